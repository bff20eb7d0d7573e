import type { Permission } from '../../access/catalog.js';
import type { Access } from '../../access/decide.js';
import type { MemberRow } from '../../access/load/members.js';
import type { AccessSnapshot } from '../../access/snapshot.js';
import type { Caller, User } from '../../accounts/caller.js';
import type { accessRequests, environments, groups, shares, teams } from '../../db/schema/index.js';
import type { RequestMeta } from '../request-meta.js';
import type { RouteRule } from './rules.js';

/** The account a request acts in, who acts, and with which account-level permissions. */
export interface AccountScope {
  owner: User;
  /** True when a member with collaboration.manage acts for the owner. */
  managed: boolean;
  /** What the caller holds at account level: everything for the owner. */
  held: ReadonlySet<Permission>;
  snapshot: AccessSnapshot;
}

/** An environment as one caller may touch it: the row, its groups and the caller's effective access on it. */
export interface EnvironmentFor {
  env: typeof environments.$inferSelect;
  groupIds: string[];
  snapshot: AccessSnapshot;
  access: Access;
  /** The rule's extra `columns`, read with the row. */
  columns: Record<string, unknown>;
}

/** A group the caller sees, with the groups it sees in that account. */
export interface GroupFor {
  group: typeof groups.$inferSelect;
  snapshot: AccessSnapshot;
  visible: 'all' | Set<string>;
}

/** The validated parts of a request a rule reads ids from. */
export interface RuleInput {
  params: unknown;
  query: unknown;
  body: unknown;
}

/**
 * What the route's rule loaded for the caller, filled in as each resource loads (so a refusal part-way knows the
 * account and target to audit). Handlers receive it whole: every resource in it is one the caller may act on.
 */
export interface Authorized {
  caller: Caller;
  meta: RequestMeta;
  rule: RouteRule;
  input: RuleInput;
  /** The account refusals are recorded in, once known. */
  ownerId: string | null;
  /** What a refusal names: the last resource loaded. */
  target: { type: string; id: string | null };
  account?: AccountScope;
  environment?: EnvironmentFor;
  group?: GroupFor;
  /** The group something new goes into (null: the top level). */
  destination?: { groupId: string | null };
  member?: MemberRow;
  team?: typeof teams.$inferSelect;
  share?: typeof shares.$inferSelect;
  accessRequest?: typeof accessRequests.$inferSelect;
}

/** `authorized` with the resources a route's rule guarantees; a handler asking for one its rule lacks is a bug. */
export function loaded<K extends 'account' | 'environment' | 'group' | 'destination' | 'member' | 'team' | 'share' | 'accessRequest'>(
  authorized: Authorized,
  ...keys: K[]
): Authorized & Required<Pick<Authorized, K>> {
  for (const key of keys) {
    if (authorized[key] === undefined) throw new Error(`the route's rule does not load ${key}`);
  }
  return authorized as Authorized & Required<Pick<Authorized, K>>;
}
