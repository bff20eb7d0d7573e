import type { Permission } from './catalog.js';
import { canSee, type Access, type AccessLevel, type BlockReason } from './decide.js';
import type { AccessTarget, ShareResource } from './snapshot.js';

/** The answer of `GET /api/v1/access/explain`: the decision, the level and shares behind it, or what blocked it. */
export interface Explanation {
  allowed: boolean;
  permission?: Permission;
  level: AccessLevel | null;
  permissions: Permission[];
  /** The shares that decided; `team` names the team a share came through (null: the member's own). */
  via: { shareId: string; resource: ShareResource; roles: { id: string; name: string }[]; team: { id: string; name: string } | null }[];
  blockedBy?: BlockReason;
}

/** What `allowed` answers: a given permission, or else whether the target is reached at all. */
export interface ExplainQuestion {
  permission?: Permission | undefined;
  on?: AccessTarget['kind'];
}

/** Without a permission asked: an environment is reached when seen, a destination when env.create holds there. */
function reached(access: Access, on: AccessTarget['kind']): boolean {
  if (on === 'environment') return canSee(access);
  if (on === 'create') return access.permissions.includes('env.create');
  return access.permissions.length > 0;
}

/**
 * Turns an `Access` into its explanation. `roleNames` (and `teamNames`) map ids to names; an id they lack is shown as itself.
 * `allowed` answers for `question.permission` when given, else whether the target (an environment by default) is reached.
 */
export function explain(access: Access, roleNames: ReadonlyMap<string, string>, question: ExplainQuestion = {}, teamNames: ReadonlyMap<string, string> = new Map()): Explanation {
  const { permission, on = 'environment' } = question;
  const explanation: Explanation = {
    allowed: permission ? access.permissions.includes(permission) : reached(access, on),
    ...(permission ? { permission } : {}),
    level: access.level,
    permissions: [...access.permissions],
    via: access.via.map((grant) => ({
      shareId: grant.shareId,
      resource: grant.resource,
      roles: grant.roleIds.map((id) => ({ id, name: roleNames.get(id) ?? id })),
      team: grant.teamId === null ? null : { id: grant.teamId, name: teamNames.get(grant.teamId) ?? grant.teamId },
    })),
  };
  // blockedBy appears only when nothing granted: a level that decided but lacks the permission blocked nothing.
  if (access.blockedBy !== null) explanation.blockedBy = access.blockedBy;
  return explanation;
}
