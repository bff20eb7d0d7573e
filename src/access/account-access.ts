import { grantableAt, type Permission } from './catalog.js';
import { effectiveAccess } from './decide.js';
import type { AccessSnapshot, GroupFacts, ShareFacts } from './snapshot.js';

/** One member of an owner's account, as far as its access there is concerned. */
export interface MemberFacts {
  collaborationId: string;
  userId: string;
  /** What the owner and managers call the member: the owner's alias, else the account's name or email. */
  label: string;
  shares: readonly ShareFacts[];
}

/**
 * What decides the access of an owner's members to some of its environments: enough to answer, for each of those
 * members and environments, what the member may do there once awake (DESIGN.md section 6): active, with a running
 * trial. A suspended member or an ended trial holds nothing today, but its shares wake up with it.
 */
export interface AccountFacts {
  now: Date;
  ownerId: string;
  members: readonly MemberFacts[];
  groups: ReadonlyMap<string, GroupFacts>;
  rolePermissions: ReadonlyMap<string, readonly Permission[]>;
  environments: ReadonlyArray<{ id: string; name: string; groupIds: readonly string[] }>;
}

/** How one member's permissions on one environment move with a change. */
export interface AccessDelta {
  collaborationId: string;
  label: string;
  environmentId: string;
  environmentName: string;
  gained: Permission[];
  lost: Permission[];
}

function snapshotOf(facts: AccountFacts, member: MemberFacts, at: Date): AccessSnapshot {
  return {
    now: at,
    subject: { id: member.userId, trialExpired: false },
    ownerId: facts.ownerId,
    collaboration: { id: member.collaborationId, status: 'active' },
    shares: member.shares,
    groups: facts.groups,
    rolePermissions: facts.rolePermissions,
  };
}

/**
 * The permissions that are about the environment itself. env.create and collaboration.manage ride along in an
 * environment's permissions at group or account level, but they are about places and the account: moving,
 * filing or copying environments cannot change them.
 */
const onEnvironment = (permissions: readonly Permission[]) => new Set(permissions.filter((permission) => grantableAt.direct.has(permission)));

/**
 * The instants a change is judged at: now, and just after every expiry still ahead. A change can give nothing today
 * yet show its effect when a narrower share runs out (a move under a group whose share outlives a direct one).
 */
function instants(now: Date, ...sides: AccountFacts[]): Date[] {
  const ahead = new Set<number>();
  for (const side of sides) {
    for (const member of side.members) {
      for (const share of member.shares) if (share.expiresAt && share.expiresAt > now) ahead.add(share.expiresAt.getTime() + 1);
    }
  }
  return [now, ...[...ahead].sort((a, b) => a - b).map((ms) => new Date(ms))];
}

/**
 * Who gains and who loses what, environment by environment, between two states of an account: pure. `baselineOf`
 * maps an environment of `after` to the one of `before` it is compared with (a clone is compared with its source;
 * an environment absent from `before` is compared with nothing). Each instant compares like with like, so shares
 * that simply run out are no change; `gained` and `lost` unite what every instant shows.
 */
export function accessDelta(before: AccountFacts, after: AccountFacts, baselineOf: (environmentId: string) => string = (id) => id): AccessDelta[] {
  const deltas: AccessDelta[] = [];
  const beforeMembers = new Map(before.members.map((member) => [member.collaborationId, member]));
  const afterMembers = new Map(after.members.map((member) => [member.collaborationId, member]));
  const collaborationIds = [...new Set([...beforeMembers.keys(), ...afterMembers.keys()])];
  const environments = new Map(before.environments.map((env) => [env.id, env]));
  const envIds = [...new Set([...before.environments.map((env) => env.id), ...after.environments.map((env) => env.id)])];
  const afterEnvs = new Map(after.environments.map((env) => [env.id, env]));
  const at = instants(after.now, before, after);

  for (const collaborationId of collaborationIds) {
    const was = beforeMembers.get(collaborationId);
    const is = afterMembers.get(collaborationId);
    const member = is ?? was;
    if (!member) continue;
    for (const environmentId of envIds) {
      const then = environments.get(baselineOf(environmentId));
      const now = afterEnvs.get(environmentId);
      const gained = new Set<Permission>();
      const lost = new Set<Permission>();
      for (const instant of at) {
        const had = onEnvironment(
          was && then ? effectiveAccess(snapshotOf(before, was, instant), { kind: 'environment', environmentId: then.id, groupIds: then.groupIds }).permissions : [],
        );
        const has = onEnvironment(
          is && now ? effectiveAccess(snapshotOf(after, is, instant), { kind: 'environment', environmentId: now.id, groupIds: now.groupIds }).permissions : [],
        );
        for (const permission of has) if (!had.has(permission)) gained.add(permission);
        for (const permission of had) if (!has.has(permission)) lost.add(permission);
      }
      if (gained.size === 0 && lost.size === 0) continue;
      const env = now ?? then;
      deltas.push({
        collaborationId,
        label: member.label,
        environmentId,
        environmentName: env?.name ?? environmentId,
        gained: [...gained],
        lost: [...lost],
      });
    }
  }
  return deltas;
}
