/**
 * What the reference model expects of each request of the sequence test, before it is sent: the rules of
 * DESIGN.md sections 4–6b read from the text, in the order a request meets them (the account's status gate, what
 * the caller can see, the permission it needs, the state, then section 6b's arrangement and manager limits).
 * `expect*` answers the outcome; the caller applies `after` when the request is accepted.
 */
import type { Permission } from '../../src/access/catalog.js';
import type { ShareResource } from '../../src/access/snapshot.js';
import {
  type AccountMember,
  type AccountModel,
  gainBeyond,
  heldOnAccount,
  isManager,
  memberWorld,
  modelAccess,
  modelGains,
  ownerWorld,
  rolePermissions,
  visibleGroups,
} from './model.js';
import type { Question } from './world.js';

/** An answer as the test compares it: the status and, for a refusal, the problem's code. */
export interface Outcome {
  status: number;
  code?: string;
}

export const accepted = (status: number): Outcome => ({ status });
export const refused = (status: number, code: string): Outcome => ({ status, code });
const notFound = refused(404, 'not_found');
const missing = refused(403, 'missing_permission');
const widens = refused(403, 'would_widen_access');

/** Who acts: the owner, or a member as the model knows it. */
export type Actor = { owner: true } | { owner: false; member: AccountMember };

export const MAX_GROUP_DEPTH = 10;

export const copyModel = (model: AccountModel): AccountModel => structuredClone(model);

const trialEnded = (model: AccountModel, member: AccountMember) => member.trialEndsAt !== null && member.trialEndsAt.getTime() <= model.now.getTime();

/** The actor's permissions for a question: everything for the owner, the model's answer for a member. */
export function permissionsOf(model: AccountModel, actor: Actor, question: Question): Set<Permission> {
  if (actor.owner) return modelAccess(ownerWorld(model), question).permissions;
  return modelAccess(memberWorld(model, actor.member), question).permissions;
}

const holds = (model: AccountModel, actor: Actor, question: Question, permission: Permission) => permissionsOf(model, actor, question).has(permission);
const onEnv = (environmentId: string): Question => ({ kind: 'environment', environmentId });
const inGroup = (groupId: string | null): Question => ({ kind: 'create', groupId });

/** Section 2: an ended trial gets 403 trial_expired on every route but sign-in, /me, its collaborations and leave. */
export function statusGate(model: AccountModel, actor: Actor): Outcome | null {
  return !actor.owner && trialEnded(model, actor.member) ? refused(403, 'trial_expired') : null;
}

/** A route acting in the owner's account: only an active member learns anything; some need a manager or the owner. */
export function accountGate(model: AccountModel, actor: Actor, needs: 'member' | 'manager' | 'owner'): Outcome | null {
  const gate = statusGate(model, actor);
  if (gate || actor.owner) return gate;
  if (actor.member.membership !== 'active') return notFound;
  const managed = heldOnAccount(model, actor.member).has('collaboration.manage');
  if (needs === 'manager' && !managed) return missing;
  if (needs === 'owner') return managed ? refused(403, 'forbidden') : missing;
  return null;
}

/** An environment route: 404 unless the actor sees it, 403 without `permission` on it. */
export function environmentGate(model: AccountModel, actor: Actor, environmentId: string | undefined, permission: Permission): Outcome | null {
  const gate = statusGate(model, actor);
  if (gate) return gate;
  if (!environmentId || !model.environments.some((e) => e.id === environmentId)) return notFound;
  if (!holds(model, actor, onEnv(environmentId), 'env.view')) return notFound;
  return holds(model, actor, onEnv(environmentId), permission) ? null : missing;
}

/** A group route: 404 unless the actor sees the group, 403 without `permission` there. */
export function groupGate(model: AccountModel, actor: Actor, groupId: string | undefined, permission: Permission): Outcome | null {
  const gate = statusGate(model, actor);
  if (gate) return gate;
  if (!groupId || !model.groups.some((g) => g.id === groupId)) return notFound;
  if (!visibleGroups(model, actor.owner ? 'owner' : actor.member).has(groupId)) return notFound;
  return holds(model, actor, inGroup(groupId), permission) ? null : missing;
}

/** Where something new goes: a group the actor sees, holding `permission` there (or on the account at the top level). */
export function destinationGate(model: AccountModel, actor: Actor, groupId: string | null, permission: Permission): Outcome | null {
  if (groupId !== null && !visibleGroups(model, actor.owner ? 'owner' : actor.member).has(groupId)) return notFound;
  return holds(model, actor, inGroup(groupId), permission) ? null : missing;
}

/** A member route for a manager: never itself, never another manager (section 6); the owner manages anyone. */
export function memberGate(model: AccountModel, actor: Actor, target: AccountMember): Outcome | null {
  if (target.membership === 'none') return notFound;
  if (actor.owner) return null;
  if (target.userId === actor.member.userId) return refused(403, 'forbidden');
  return isManager(model, target) ? refused(403, 'forbidden') : null;
}

/** Section 6b for anyone but the owner: refused when any active member would gain on any environment. */
export function arrangementGate(before: AccountModel, after: AccountModel, actor: Actor, baselineOf?: (id: string) => string): Outcome | null {
  if (actor.owner) return null;
  return modelGains(before, after, baselineOf).length > 0 ? widens : null;
}

/** Section 6: a manager may leave a member holding nothing, anywhere, beyond what it holds on the account itself. */
export function managerLimitGate(before: AccountModel, after: AccountModel, actor: Actor, target: AccountMember): Outcome | null {
  if (actor.owner) return null;
  return gainBeyond(before, after, target.userId, heldOnAccount(before, actor.member)) ? missing : null;
}

/** The groups at and below `groupId`, deepest first. */
export function subtree(model: AccountModel, groupId: string): string[] {
  const below = model.groups.filter((g) => g.parentId === groupId).flatMap((g) => subtree(model, g.id));
  return [...below, groupId];
}

/** `groupId` and its ancestors, itself first. */
export function ancestry(model: AccountModel, groupId: string): string[] {
  const chain: string[] = [];
  for (let at: string | null = groupId; at !== null && !chain.includes(at); at = model.groups.find((g) => g.id === at)?.parentId ?? null) chain.push(at);
  return chain;
}

/** Levels from `groupId` down to its deepest subgroup, itself counted. */
export function height(model: AccountModel, groupId: string): number {
  return 1 + Math.max(0, ...model.groups.filter((g) => g.parentId === groupId).map((g) => height(model, g.id)));
}

/** The permissions the roles name, before any level narrows them (what granting and narrowing compare). */
export function permissionsOfRoles(model: AccountModel, roleIds: readonly string[]): Set<Permission> {
  return new Set(roleIds.flatMap((id) => rolePermissions(model, id)));
}

/** Removes what a deleted group or environment takes with it: the shares on it, from every member and every team. */
export function dropShares(model: AccountModel, on: (resource: ShareResource) => boolean): void {
  for (const holder of [...model.members, ...model.teams]) holder.shares = holder.shares.filter((share) => !on(share.resource));
}
