// Names for the API's types, derived from the generated schema.d.ts: declarations only, so both the dashboard and the
// command-line client (whose compiled build takes only src/) can import them.
import type { paths } from './schema.js';

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Answer<P extends keyof paths, M extends keyof paths[P], S extends number> = paths[P][M] extends {
  responses: infer R;
}
  ? S extends keyof R
    ? Json<R[S]>
    : never
  : never;
type Item<T> = T extends { items: Array<infer I> } ? I : never;
type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: infer B }
  ? Json<NonNullable<B>>
  : never;

/** An account, as GET /api/v1/me answers it. */
export type User = Answer<'/api/v1/me', 'get', 200>;
/** An API token, never with its secret. */
export type ApiToken = Item<Answer<'/api/v1/tokens', 'get', 200>>;
/** A freshly created API token: the only answer that carries the secret. */
export type CreatedApiToken = Answer<'/api/v1/tokens', 'post', 201>;
export type Passkey = Item<Answer<'/api/v1/me/passkeys', 'get', 200>>;
export type TokenBody = Body<'/api/v1/tokens', 'post'>;
/** A mail of the dev mailbox. */
export type DevMail = Item<Answer<'/api/v1/dev/mail', 'get', 200>>;
/** A mail of the outbox as platform admins see it (single-use links blanked). */
export type OutboxMail = Item<Answer<'/api/v1/admin/mail', 'get', 200>>;

/** An environment with the caller's effective permissions on it and how it reaches it. */
export type Environment = Answer<'/api/v1/environments/{id}', 'get', 200>;
export type EnvironmentStatus = Environment['status'];
export type Permission = Environment['permissions'][number];
export type AccessLevel = Environment['access'];
export type NodeSpec = Body<'/api/v1/environments', 'post'>['nodes'][number];
export type LogLine = Item<Answer<'/api/v1/environments/{id}/logs', 'get', 200>>;
export type ExecAnswer = Answer<'/api/v1/environments/{id}/exec', 'post', 200>;
export type EnvironmentAccess = Answer<'/api/v1/environments/{id}/access', 'get', 200>;

/** What a change would do to access, answered for `?dryRun=true` (nothing changed). */
export type AccessPreview = Answer<'/api/v1/environments/{id}', 'delete', 200>;
export type AccessChange = AccessPreview['accessChanges'][number];

/** A group, with the caller's permissions for environments created in it. */
export type Group = Item<Answer<'/api/v1/groups', 'get', 200>>;

/** A member of an owner's account (owner side), with the owner's private alias. */
export type Member = Item<Answer<'/api/v1/collaboration/members', 'get', 200>>;
export type MemberStatus = Member['status'];
/** A share: roles on the account, a group or an environment, for one member. */
export type Share = Item<Answer<'/api/v1/collaboration/members/{id}/shares', 'get', 200>>;
export type ShareBody = Body<'/api/v1/collaboration/members/{id}/shares', 'post'>;
export type Role = Item<Answer<'/api/v1/roles', 'get', 200>>;
export type PermissionCatalog = Answer<'/api/v1/permissions', 'get', 200>;
export type Explanation = Answer<'/api/v1/access/explain', 'get', 200>;

/** A collaboration as its member sees it: the owner, never the owner's alias. */
export type Collaboration = Item<Answer<'/api/v1/collaborations', 'get', 200>>;
export type Invitation = Answer<'/api/v1/invitations/{token}', 'get', 200>;

export type Notification = Item<Answer<'/api/v1/notifications', 'get', 200>>;
export type AuditEvent = Item<Answer<'/api/v1/audit', 'get', 200>>;
export type Balance = Answer<'/api/v1/billing/balance', 'get', 200>;
export type Usage = Answer<'/api/v1/billing/usage', 'get', 200>;

/** A person as the API names them next to a resource. */
export type Person = Environment['owner'];
/** One thing someone did (or tried) on an environment, its actor as the caller may know it. */
export type ActivityItem = Item<Answer<'/api/v1/environments/{id}/activity', 'get', 200>>;
/** A webhook endpoint of the account, never with its secret. */
export type WebhookEndpoint = Item<Answer<'/api/v1/webhooks', 'get', 200>>;
/** A freshly registered endpoint: the only answer (with a rotation) that carries its signing secret. */
export type CreatedWebhookEndpoint = Answer<'/api/v1/webhooks', 'post', 201>;
/** One event for one endpoint and its last attempt. */
export type WebhookDelivery = Item<Answer<'/api/v1/webhooks/{id}/deliveries', 'get', 200>>;

/** A request to hand an environment to another account, as one of its two sides sees it. */
export type Transfer = Item<Answer<'/api/v1/transfers', 'get', 200>>;
/** A member's monthly spend guardrail in the owner's account and where it stands; null when none is set. */
export type Budget = Answer<'/api/v1/collaboration/members/{id}/budget', 'get', 200>['budget'];
export type BudgetBody = Body<'/api/v1/collaboration/members/{id}/budget', 'put'>;
/** A member's request for roles on the account, a group or an environment, for some hours. */
export type AccessRequest = Item<Answer<'/api/v1/access-requests', 'get', 200>>;
export type AccessRequestBody = Body<'/api/v1/access-requests', 'post'>;
/** The owner's access review: unused, expiring and due shares, idle members, stale tokens. */
export type AccessReview = Answer<'/api/v1/collaboration/review', 'get', 200>;
export type ReviewedShare = AccessReview['unusedShares'][number];

/** A team of the owner's members, shared with as one member is. */
export type Team = Answer<'/api/v1/collaboration/teams/{id}', 'get', 200>;
export type TeamMember = Team['members'][number];
/** A share given to a team: a member share's shape with `teamId`, `memberId` null. */
export type TeamShare = Item<Answer<'/api/v1/collaboration/teams/{id}/shares', 'get', 200>>;
