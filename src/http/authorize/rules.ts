import type { SQL } from 'drizzle-orm';
import type { Permission } from '../../access/catalog.js';

/** Where a rule reads an id from: a path parameter, a query field or a body field (after validation). */
export interface IdSource {
  from: 'params' | 'query' | 'body';
  field: string;
}

export const param = (field: string): IdSource => ({ from: 'params', field });
export const query = (field: string): IdSource => ({ from: 'query', field });
export const body = (field: string): IdSource => ({ from: 'body', field });

/** Who may act in an account: any active member (and the owner), a manager (collaboration.manage), the owner only. */
export type AccountNeed = 'member' | 'manager' | 'owner';

/**
 * One thing a route loads for its caller before the handler runs. Rules run in order; each may use what the ones
 * before it loaded (an `account` rule after an `environment` rule is that environment's owner's account).
 */
export type ResourceRule =
  /** The account the route acts in: `id` (default the caller's own, or the owner of what was loaded before). */
  | { kind: 'account'; id: IdSource; needs: AccountNeed }
  /**
   * Where something new goes in the account loaded before: the group `id` names (absent: the top level), where the
   * caller must hold `permission` (DESIGN.md section 6: the group walk, then the account share). `ownsEnvironments`
   * refuses accounts that cannot own environments (collaborator accounts).
   */
  | { kind: 'destination'; id: IdSource; permission: Permission; ownsEnvironments: boolean }
  /** An environment the caller sees (404 otherwise), holding `permission` on it (403 otherwise). */
  /** `columns`: more columns of the environment's row, read in the same statement (the handler's presentation). */
  | { kind: 'environment'; id: IdSource; permission: Permission; optional?: boolean; columns?: Record<string, SQL> }
  /** A group the caller sees (404 otherwise), holding `permission` there (403 otherwise). */
  | { kind: 'group'; id: IdSource; permission: Permission }
  /** A member (collaboration) of the account loaded before; `manage`: one the caller may manage (never itself or another manager). */
  | { kind: 'member'; id: IdSource; manage: boolean }
  /** A team of the account loaded before (404 for another account's). */
  | { kind: 'team'; id: IdSource }
  /** A share of the team, else of the member, loaded before. */
  | { kind: 'share'; id: IdSource }
  /**
   * An access request in the account loaded before, with its member. `decides`: the caller answers it (the owner, or
   * a manager on a member it may manage); otherwise the caller must be the member who made it (404 for anyone else).
   */
  | { kind: 'accessRequest'; id: IdSource; decides: boolean };

/** What a route declares next to its access level: the audit action its refusals are recorded as, and what it loads. */
export interface RouteRule {
  action: string;
  load: readonly ResourceRule[];
}

export const rule = (action: string, ...load: ResourceRule[]): RouteRule => ({ action, load });

export const inAccount = (needs: AccountNeed, id: IdSource = query('ownerId')): ResourceRule => ({ kind: 'account', id, needs });
export const onEnvironment = (permission: Permission, id: IdSource = param('id'), columns?: Record<string, SQL>): ResourceRule => ({
  kind: 'environment',
  id,
  permission,
  ...(columns ? { columns } : {}),
});
export const onGroup = (permission: Permission, id: IdSource = param('id')): ResourceRule => ({ kind: 'group', id, permission });
export const onMember = (id: IdSource = param('id'), manage = true): ResourceRule => ({ kind: 'member', id, manage });
export const onShare = (id: IdSource = param('shareId')): ResourceRule => ({ kind: 'share', id });
export const onTeam = (id: IdSource = param('id')): ResourceRule => ({ kind: 'team', id });
export const atDestination = (permission: Permission, id: IdSource, ownsEnvironments = true): ResourceRule => ({
  kind: 'destination',
  id,
  permission,
  ownsEnvironments,
});
export const onAccessRequest = (decides: boolean, id: IdSource = param('id')): ResourceRule => ({ kind: 'accessRequest', id, decides });
