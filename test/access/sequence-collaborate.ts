/**
 * Collaboration steps of the sequence test (sequence-steps.ts): shares created, changed and deleted, members
 * suspended, re-activated, removed, leaving and invited again, custom roles created, edited and deleted — by the
 * owner, by managers within their limits, and by members who may not.
 */
import { HOUR } from '../../src/clock.js';
import type { ShareFacts, ShareResource } from '../../src/access/snapshot.js';
import { type AccountMember, heldOnAccount, isManager } from './model.js';
import type { CastMember } from './sequence-cast.js';
import type { Op } from './sequence-ops.js';
import { leaveTeams, type TeamOp } from './sequence-teams.js';
import {
  accepted,
  accountGate,
  arrangementGate,
  copyModel,
  managerLimitGate,
  memberGate,
  type Outcome,
  permissionsOf,
  permissionsOfRoles,
  refused,
  statusGate,
} from './sequence-rules.js';

import {
  acting,
  type Acting,
  castOf,
  environmentPick,
  groupPick,
  modelMember,
  nth,
  type Planned,
  rolesFrom,
  type Sequence,
} from './sequence-picks.js';

export type CollaborationOp = Exclude<
  Op,
  { kind: 'wait' | 'trialEnd' | 'groupCreate' | 'groupMove' | 'groupDelete' | 'file' | 'unfile' | 'envCreate' | 'envClone' | 'envDelete' | 'envTransfer' | TeamOp['kind'] }
>;

export function planCollaboration(seq: Sequence, op: CollaborationOp): Planned {
  const planned = planCollaborationOne(seq, op);
  return { kind: op.kind, ...planned };
}

function planCollaborationOne(seq: Sequence, op: CollaborationOp): Planned {
  const model = seq.model;
  if (op.kind === 'roleCreate' || op.kind === 'roleEdit' || op.kind === 'roleDelete') return planRole(seq, op);
  const a = op.kind === 'leave' ? undefined : acting(seq, op.actor, 'collaboration.manage');
  const manager = a && !a.actor.owner ? a.actor.member : undefined;
  // Aiming, a manager acts on a member it may manage (neither itself nor another manager).
  const manageable = manager && seq.aiming ? seq.stage.members.filter((m) => m.account.id !== manager.userId && !isManager(model, modelMember(model, m))) : [];
  const cast = manageable.length > 0 ? (nth(manageable, op.member) as CastMember) : castOf(seq, op.member);
  const target = modelMember(model, cast);
  const collaborationId = seq.collaborationIds.get(cast.account.id) as string;
  const members = `/api/v1/collaboration/members/${collaborationId}`;
  if (op.kind === 'leave' || !a) {
    const http = seq.stage.t.http.as(cast.account);
    const expected =
      target.membership === 'none' ? refused(404, 'not_found') : target.membership === 'active' || target.membership === 'suspended' ? accepted(200) : refused(409, 'invalid_state');
    return {
      text: `${cast.key}: leave`,
      expected,
      send: () => http.post(`/api/v1/collaborations/${collaborationId}/leave`),
      apply: () => {
        target.membership = 'left';
        target.shares = [];
        leaveTeams(seq.model.teams, target.userId);
      },
    };
  }
  const gate = accountGate(model, a.actor, 'manager');
  const shareable = target.membership === 'active' || target.membership === 'suspended' ? null : refused(409, 'invalid_state');
  switch (op.kind) {
    case 'shareCreate': {
      let resource: ShareResource | undefined = { type: 'account' };
      if (op.on === 'group') resource = ((id) => (id ? { type: 'group' as const, id } : undefined))(groupPick(seq, op.pick));
      if (op.on === 'environment') resource = ((id) => (id ? { type: 'environment' as const, id } : undefined))(environmentPick(seq, op.pick));
      resource ??= { type: 'account' };
      const limit = a.actor.owner ? null : heldOnAccount(model, a.actor.member);
      const roleIds = rolesFrom(seq, op.roles, limit);
      const expiresAt = op.expiresInHours === null ? null : new Date(model.now.getTime() + op.expiresInHours * HOUR);
      const exists = resource.type === 'account' || (resource.type === 'group' ? model.groups : model.environments).some((x) => x.id === (resource as { id: string }).id);
      const granted = permissionsOfRoles(model, roleIds);
      const key = (r: ShareResource) => (r.type === 'account' ? 'account' : `${r.type}:${r.id}`);
      const expected =
        gate ??
        memberGate(model, a.actor, target) ??
        shareable ??
        (exists ? null : refused(404, 'not_found')) ??
        (limit && [...granted].some((p) => !limit.has(p)) ? refused(403, 'missing_permission') : null) ??
        (target.shares.some((s) => key(s.resource) === key(resource) && !seq.requestShares?.has(s.id)) ? refused(409, 'conflict') : accepted(201));
      return {
        text: `${a.by}: share ${key(resource).slice(-18)} with ${cast.key} as ${roleIds.join('+').slice(0, 40)}${expiresAt ? ` until +${op.expiresInHours} h` : ''}`,
        expected,
        send: () => a.http.post(`${members}/shares`, { resource, roleIds, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) }, { query: a.ownerQuery }),
        apply: (answer) => target.shares.push({ id: answer.body.id, resource, roleIds, expiresAt }),
        ...(limit ? { grant: { memberKey: cast.key, limit } } : {}),
      };
    }
    case 'requestApprove':
      return planRequestApprove(seq, op, a, cast, target, gate);
    case 'shareUpdate':
    case 'shareDelete': {
      const share = nth(target.shares, op.share);
      if (!share) return planCollaboration(seq, { kind: 'shareCreate', actor: op.actor, member: op.member, on: 'group', pick: op.share, roles: [op.share], expiresInHours: null });
      const after = copyModel(model);
      const changed = modelMember(after, cast);
      const limit = a.actor.owner ? null : heldOnAccount(model, a.actor.member);
      let roleIds = share.roleIds;
      let expiresAt = share.expiresAt;
      // A change must change something: with nothing drawn, the same roles are sent again (still a request to judge).
      const sendsRoles = op.kind === 'shareUpdate' && (op.roles !== null || op.expiry === 'keep');
      if (op.kind === 'shareUpdate') {
        roleIds = op.roles ? rolesFrom(seq, op.roles, limit) : share.roleIds;
        expiresAt = op.expiry === 'keep' ? share.expiresAt : op.expiry === 'never' ? null : new Date(model.now.getTime() + op.expiry * HOUR);
        changed.shares = changed.shares.map((s): ShareFacts => (s.id === share.id ? { ...s, roleIds, expiresAt } : s));
      } else changed.shares = changed.shares.filter((s) => s.id !== share.id);
      const [had, has] = [permissionsOfRoles(model, share.roleIds), permissionsOfRoles(model, roleIds)];
      const sooner = expiresAt !== null && (share.expiresAt === null || expiresAt.getTime() <= share.expiresAt.getTime());
      const narrowing = op.kind === 'shareDelete' || ([...has].every((p) => had.has(p)) && (sooner || expiresAt?.getTime() === share.expiresAt?.getTime()));
      const expected =
        gate ??
        memberGate(model, a.actor, target) ??
        shareable ??
        (limit && sendsRoles && [...has].some((p) => !limit.has(p)) ? refused(403, 'missing_permission') : null) ??
        managerLimitGate(model, after, a.actor, target) ??
        (narrowing ? arrangementGate(model, after, a.actor) : null) ??
        accepted(op.kind === 'shareUpdate' ? 200 : 204);
      const body = { ...(sendsRoles ? { roleIds } : {}), ...(op.kind === 'shareUpdate' && op.expiry !== 'keep' ? { expiresAt: expiresAt?.toISOString() ?? null } : {}) };
      const path = `${members}/shares/${share.id}`;
      return {
        text: `${a.by}: ${op.kind === 'shareUpdate' ? `change share ${share.id.slice(-6)} of ${cast.key} to ${JSON.stringify(body).slice(0, 80)}` : `delete share ${share.id.slice(-6)} of ${cast.key}`}`,
        expected,
        send: () => (op.kind === 'shareUpdate' ? a.http.patch(path, body, { query: a.ownerQuery }) : a.http.delete(path, { query: a.ownerQuery })),
        apply: () => {
          seq.model = after;
        },
        ...(limit && !narrowing ? { grant: { memberKey: cast.key, limit } } : {}),
      };
    }
    case 'suspend':
    case 'activate':
    case 'unlink': {
      const from = op.kind === 'suspend' ? 'active' : 'suspended';
      const after = copyModel(model);
      const changed = modelMember(after, cast);
      if (op.kind === 'unlink') {
        changed.membership = 'none';
        changed.shares = [];
        leaveTeams(after.teams, changed.userId);
      } else changed.membership = op.kind === 'suspend' ? 'suspended' : 'active';
      // Waking, a manager's limits compare with the member holding nothing: neither its own shares nor its teams'.
      const asleep = copyModel(model);
      modelMember(asleep, cast).shares = [];
      leaveTeams(asleep.teams, target.userId);
      const waking = op.kind === 'activate' ? managerLimitGate(asleep, after, a.actor, target) : null;
      const expected =
        gate ??
        memberGate(model, a.actor, target) ??
        (op.kind !== 'unlink' && target.membership !== from ? refused(409, 'invalid_state') : null) ??
        waking ??
        accepted(op.kind === 'unlink' ? 204 : 200);
      return {
        text: `${a.by}: ${op.kind} ${cast.key}`,
        expected,
        send: () => (op.kind === 'unlink' ? a.http.delete(members, { query: a.ownerQuery }) : a.http.post(`${members}/${op.kind}`, {}, { query: a.ownerQuery })),
        apply: () => {
          seq.model = after;
        },
        ...(op.kind === 'activate' && !a.actor.owner ? { grant: { memberKey: cast.key, limit: heldOnAccount(model, a.actor.member) } } : {}),
      };
    }
    case 'rejoin':
      return planRejoin(seq, a, cast, target, gate);
  }
}

/** Invited again (after leaving or being removed) and accepting at once; a pending member only accepts. */
function planRejoin(seq: Sequence, a: Acting, cast: CastMember, target: AccountMember, gate: Outcome | null): Planned {
  const model = seq.model;
  const invites = target.membership !== 'pending';
  const expectedInvite = gate ?? (target.membership === 'active' || target.membership === 'suspended' ? refused(409, 'conflict') : accepted(201));
  const accepts = !invites || expectedInvite.status === 201;
  const expected = !accepts ? expectedInvite : statusGate(model, { owner: false, member: target }) ?? accepted(200);
  const http = seq.stage.t.http.as(cast.account);
  return {
    text: `${a.by}: ${invites ? 'invite' : 'remind'} ${cast.key}, who accepts`,
    expected,
    send: async () => {
      if (invites) {
        const invited = await a.http.post('/api/v1/collaboration/members', { email: cast.account.email }, { query: a.ownerQuery });
        if (invited.status !== 201) return invited;
        seq.collaborationIds.set(cast.account.id, invited.body.id);
        target.membership = 'pending';
        target.shares = [];
      }
      return http.post(`/api/v1/collaborations/${seq.collaborationIds.get(cast.account.id)}/accept`);
    },
    apply: () => {
      target.membership = 'active';
    },
  };
}

type RoleOp = Extract<Op, { kind: 'roleCreate' | 'roleEdit' | 'roleDelete' }>;

function planRole(seq: Sequence, op: RoleOp): Planned {
  return { kind: op.kind, ...planRoleOne(seq, op) };
}

function planRoleOne(seq: Sequence, op: RoleOp): Planned {
  const model = seq.model;
  const a = acting(seq, op.actor, 'collaboration.manage');
  const gate = accountGate(model, a.actor, 'owner');
  if (op.kind === 'roleCreate') {
    const name = `r${(seq.names += 1)}`;
    return {
      text: `${a.by}: create role ${name} [${op.permissions.join(', ')}]`,
      expected: gate ?? accepted(201),
      send: () => a.http.post('/api/v1/roles', { name, permissions: op.permissions }, { query: a.ownerQuery }),
      apply: (answer) => model.customRoles.push({ id: answer.body.id, permissions: answer.body.permissions }),
    };
  }
  const role = nth(model.customRoles, op.role);
  if (!role) return planRole(seq, { kind: 'roleCreate', actor: op.actor, permissions: op.kind === 'roleEdit' ? op.permissions : ['env.view'] });
  if (op.kind === 'roleEdit') {
    // A role a team share uses may not come to hold collaboration.manage.
    const teamUses = model.teams.some((t) => t.shares.some((s) => s.roleIds.includes(role.id)));
    return {
      text: `${a.by}: role ${role.id.slice(-6)} now [${op.permissions.join(', ')}]`,
      expected: gate ?? (teamUses && op.permissions.includes('collaboration.manage') ? refused(400, 'team_share_cannot_manage') : null) ?? accepted(200),
      send: () => a.http.patch(`/api/v1/roles/${role.id}`, { permissions: op.permissions }, { query: a.ownerQuery }),
      apply: (answer) => {
        role.permissions = answer.body.permissions;
      },
    };
  }
  const used = [...model.members, ...model.teams].some((m) => m.shares.some((s) => s.roleIds.includes(role.id)));
  return {
    text: `${a.by}: delete role ${role.id.slice(-6)}`,
    expected: gate ?? (used ? refused(409, 'conflict') : accepted(204)),
    send: () => a.http.delete(`/api/v1/roles/${role.id}`, { query: a.ownerQuery }),
    apply: () => {
      model.customRoles = model.customRoles.filter((r) => r.id !== role.id);
    },
  };
}


/**
 * A member asks for roles on an environment it sees, and the actor answers by approving: an expiring share beside
 * what the member holds, granted as a share is (manager limits, never for itself or another manager). A refused
 * approval is followed by the member cancelling, so no request stays pending across steps.
 */
function planRequestApprove(
  seq: Sequence,
  op: Extract<CollaborationOp, { kind: 'requestApprove' }>,
  a: Acting,
  cast: CastMember,
  target: AccountMember,
  gate: Outcome | null,
): Planned {
  const model = seq.model;
  const requester = { owner: false as const, member: target };
  const canAsk = target.membership === 'active' && (target.trialEndsAt === null || target.trialEndsAt.getTime() > model.now.getTime());
  const seen = canAsk ? model.environments.filter((e) => permissionsOf(model, requester, { kind: 'environment', environmentId: e.id }).has('env.view')) : [];
  const environmentId = nth(seen, op.pick)?.id;
  if (!environmentId) {
    return planCollaboration(seq, { kind: 'shareCreate', actor: op.actor, member: op.member, on: 'environment', pick: op.pick, roles: op.roles, expiresInHours: op.hours });
  }
  const resource: ShareResource = { type: 'environment', id: environmentId };
  const limit = a.actor.owner ? null : heldOnAccount(model, a.actor.member);
  const roleIds = rolesFrom(seq, op.roles, limit);
  const granted = permissionsOfRoles(model, roleIds);
  const expiresAt = new Date(model.now.getTime() + op.hours * HOUR);
  const expected = gate ?? memberGate(model, a.actor, target) ?? (limit && [...granted].some((p) => !limit.has(p)) ? refused(403, 'missing_permission') : null) ?? accepted(200);
  const asker = seq.stage.t.http.as(cast.account);
  const ownerId = seq.stage.owner.id;
  return {
    text: `${a.by}: approve ${cast.key}'s request for ${roleIds.join('+').slice(0, 40)} on env ${environmentId.slice(-6)} for ${op.hours} h`,
    expected,
    send: async () => {
      const made = await asker.post('/api/v1/access-requests', { ownerId, resource, roleIds, durationHours: op.hours, reason: 'sequence' });
      if (made.status !== 201) return made;
      const approved = await a.http.post(`/api/v1/access-requests/${made.body.id}/approve`, {}, { query: a.ownerQuery });
      if (approved.status !== 200) await asker.post(`/api/v1/access-requests/${made.body.id}/cancel`, undefined, { query: { ownerId } });
      return approved;
    },
    apply: (answer) => {
      seq.requestShares ??= new Set();
      seq.requestShares.add(answer.body.shareId);
      target.shares.push({ id: answer.body.shareId, resource, roleIds, expiresAt });
    },
    ...(limit ? { grant: { memberKey: cast.key, limit } } : {}),
  };
}
