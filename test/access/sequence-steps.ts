/**
 * One step of the sequence test: an operation (sequence-ops.ts) resolved against the state of the moment, the
 * outcome the model expects (sequence-rules.ts), the request through the real HTTP app, and — when it is accepted —
 * the same change made to the model.
 */
import { HOUR } from '../../src/clock.js';
import type { Permission } from '../../src/access/catalog.js';
import type { ShareFacts, ShareResource } from '../../src/access/snapshot.js';
import { setTrialEnd } from '../factories.js';
import { envName, settleRuntime } from '../factories/environments.js';
import type { Answer } from '../support/http.js';
import { type AccountMember, type AccountModel, heldOnAccount, isManager } from './model.js';
import type { CastMember, Stage } from './sequence-cast.js';
import type { Op } from './sequence-ops.js';
import type { Question } from './world.js';
import {
  accepted,
  accountGate,
  type Actor,
  ancestry,
  arrangementGate,
  copyModel,
  destinationGate,
  dropShares,
  environmentGate,
  groupGate,
  height,
  managerLimitGate,
  MAX_GROUP_DEPTH,
  memberGate,
  type Outcome,
  permissionsOf,
  permissionsOfRoles,
  refused,
  statusGate,
  subtree,
} from './sequence-rules.js';

export interface Sequence {
  stage: Stage;
  model: AccountModel;
  /** Each member's collaboration id: the current one, or the last one it had (a removed member's id is a 404). */
  collaborationIds: Map<string, string>;
  /** Ids of groups and environments that are gone: asked about now and then, they must be 404. */
  gone: { groups: string[]; environments: string[] };
  names: number;
  /** The current step aims: its actor and targets are drawn among those holding what the operation needs. */
  aiming: boolean;
  /** Milliseconds spent waiting for the runtime (profiling). */
  settled?: number;
}

/** What a step did, for the invariants and the log. */
export interface StepRecord {
  kind: string;
  text: string;
  /** A member's key when a member acted; 'owner', 'platform' (the billing team) or 'time' otherwise. */
  by: string;
  outcome: Outcome;
  acceptedStep: boolean;
  /** An entitled grant: a manager giving `memberKey` at most `limit` (its own account-level permissions). */
  grant?: { memberKey: string; limit: Set<Permission> };
  /** A clone: its id and its source's, so the clone can be compared with the source. */
  clone?: { id: string; sourceId: string };
}

const nodes = [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 1 }];
const nth = <T>(list: readonly T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);

function castOf(seq: Sequence, n: number): CastMember {
  return seq.stage.members[n % seq.stage.members.length] as CastMember;
}

export function modelMember(model: AccountModel, cast: CastMember): AccountMember {
  const found = model.members.find((m) => m.userId === cast.account.id);
  if (!found) throw new Error(`${cast.key} is not in the model`);
  return found;
}

interface Acting {
  actor: Actor;
  by: string;
  http: ReturnType<Stage['t']['http']['as']>;
  /** `?ownerId=` for a member acting in the owner's account. */
  ownerQuery: Record<string, string>;
}

function acting(seq: Sequence, pick: number, needs?: Permission): Acting {
  if (pick === 0) return { actor: { owner: true }, by: 'owner', http: seq.stage.t.http.as(seq.stage.owner), ownerQuery: {} };
  // Aiming, the actor is one of the members holding what the operation needs somewhere (when there is one): the
  // steps then reach the arrangement and manager rules instead of stopping at a missing permission.
  const holders = needs && seq.aiming ? seq.stage.members.filter((m) => holdsSomewhere(seq.model, modelMember(seq.model, m), needs)) : [];
  const cast = holders.length > 0 ? (nth(holders, pick - 1) as CastMember) : castOf(seq, pick - 1);
  return {
    actor: { owner: false, member: modelMember(seq.model, cast) },
    by: cast.key,
    http: seq.stage.t.http.as(cast.account),
    ownerQuery: { ownerId: seq.stage.owner.id },
  };
}

function holdsSomewhere(model: AccountModel, member: AccountMember, permission: Permission): boolean {
  const questions: Question[] = [
    { kind: 'account' },
    { kind: 'create', groupId: null },
    ...model.groups.map((g): Question => ({ kind: 'create', groupId: g.id })),
    ...model.environments.map((e): Question => ({ kind: 'environment', environmentId: e.id })),
  ];
  return questions.some((q) => permissionsOf(model, { owner: false, member }, q).has(permission));
}

const roleIdsOf = (model: AccountModel) => ['viewer', 'operator', 'developer', 'admin', ...model.customRoles.map((r) => r.id)];
/** Roles by pick; aiming for a manager, among the roles within its own account-level permissions when there are any. */
function rolesFrom(seq: Sequence, picks: number[], limit: ReadonlySet<Permission> | null): string[] {
  const all = roleIdsOf(seq.model);
  const within = limit && seq.aiming ? all.filter((id) => [...permissionsOfRoles(seq.model, [id])].every((p) => limit.has(p))) : [];
  const from = within.length > 0 ? within : all;
  return [...new Set(picks.map((p) => nth(from, p) ?? 'viewer'))];
}

/**
 * A group or environment id: now and then one that is gone (which must be a 404 for everyone). Aiming for an actor,
 * among those where it holds `permission` when there are any.
 */
function groupPick(seq: Sequence, n: number, a?: Acting, permission?: Permission): string | undefined {
  if (n % 11 === 10 && seq.gone.groups.length > 0) return nth(seq.gone.groups, n);
  const actor = a?.actor;
  const aimed =
    seq.aiming && actor && permission ? seq.model.groups.filter((g) => permissionsOf(seq.model, actor, { kind: 'create', groupId: g.id }).has(permission)) : [];
  return nth(aimed.length > 0 ? aimed : seq.model.groups, n)?.id;
}
function environmentPick(seq: Sequence, n: number, a?: Acting, permission?: Permission): string | undefined {
  if (n % 11 === 10 && seq.gone.environments.length > 0) return nth(seq.gone.environments, n);
  const actor = a?.actor;
  const aimed =
    seq.aiming && actor && permission
      ? seq.model.environments.filter((e) => permissionsOf(seq.model, actor, { kind: 'environment', environmentId: e.id }).has(permission))
      : [];
  return nth(aimed.length > 0 ? aimed : seq.model.environments, n)?.id;
}

const describe = (label: string, value: string | undefined | null) => `${label} ${value === undefined ? '-' : value === null ? 'top' : value.slice(-6)}`;

interface Planned {
  /** The operation actually planned (one whose target is missing falls back to a related one). */
  kind?: string;
  text: string;
  expected: Outcome;
  send: () => Promise<Answer>;
  /** The model after the change, when accepted; `answer` is the accepted answer's body. */
  apply?: (answer: Answer) => void;
  grant?: StepRecord['grant'];
  settle?: boolean;
  clone?: (answer: Answer) => StepRecord['clone'];
}

/** Plans an operation against the state of the moment; falls back to a related one when its target does not exist. */
function plan(seq: Sequence, op: Op): Planned | { wait: Op & { kind: 'wait' } } {
  const planned = planOne(seq, op);
  return 'wait' in planned ? planned : { kind: op.kind, ...planned };
}

function planOne(seq: Sequence, op: Op): Planned | { wait: Op & { kind: 'wait' } } {
  const model = seq.model;
  switch (op.kind) {
    case 'wait':
      return { wait: op };
    case 'trialEnd': {
      const trial = seq.stage.members.find((m) => m.trial) as CastMember;
      const endsAt = new Date(model.now.getTime() + op.hours * HOUR);
      return {
        text: `platform: ${trial.key}'s trial ends in ${op.hours} h`,
        expected: accepted(200),
        send: async () => {
          await setTrialEnd(seq.stage.t, trial.account, endsAt);
          return { status: 200, body: {}, headers: {} };
        },
        apply: () => {
          modelMember(model, trial).trialEndsAt = endsAt;
        },
      };
    }
    case 'groupCreate': {
      const a = acting(seq, op.actor, 'env.groups');
      const parentId = op.parent === null ? null : (groupPick(seq, op.parent, a, 'env.groups') ?? null);
      const name = `g${(seq.names += 1)}`;
      const depth = parentId !== null && model.groups.some((g) => g.id === parentId) ? ancestry(model, parentId).length : 0;
      const expected =
        accountGate(model, a.actor, 'member') ??
        (parentId !== null && !model.groups.some((g) => g.id === parentId) ? refused(404, 'not_found') : null) ??
        destinationGate(model, a.actor, parentId, 'env.groups') ??
        (depth >= MAX_GROUP_DEPTH ? refused(409, 'conflict') : accepted(201));
      return {
        text: `${a.by}: create group ${name} under ${describe('', parentId)}`,
        expected,
        send: () => a.http.post('/api/v1/groups', { name, ...(parentId ? { parentId } : {}), ...a.ownerQuery }),
        apply: (answer) => model.groups.push({ id: answer.body.id, parentId }),
      };
    }
    case 'groupMove': {
      const a = acting(seq, op.actor, 'env.groups');
      const groupId = groupPick(seq, op.group, a, 'env.groups');
      if (groupId === undefined) return plan(seq, { kind: 'groupCreate', actor: op.actor, parent: null });
      const parentId = op.parent === null ? null : (groupPick(seq, op.parent, a, 'env.groups') ?? null);
      const group = model.groups.find((g) => g.id === groupId);
      const after = copyModel(model);
      const moved = after.groups.find((g) => g.id === groupId);
      if (moved) moved.parentId = parentId;
      let expected = groupGate(model, a.actor, groupId, 'env.groups');
      if (!expected && group && group.parentId !== parentId) {
        if (parentId !== null) {
          expected =
            (!model.groups.some((g) => g.id === parentId) ? refused(404, 'not_found') : null) ??
            destinationGate(model, a.actor, parentId, 'env.groups') ??
            (ancestry(model, parentId).includes(groupId) || ancestry(model, parentId).length + height(model, groupId) > MAX_GROUP_DEPTH ? refused(409, 'conflict') : null);
        } else expected = destinationGate(model, a.actor, null, 'env.groups');
        expected ??= arrangementGate(model, after, a.actor);
      }
      return {
        text: `${a.by}: move ${describe('group', groupId)} under ${describe('', parentId)}`,
        expected: expected ?? accepted(200),
        send: () => a.http.patch(`/api/v1/groups/${groupId}`, { parentId }),
        apply: () => {
          seq.model = after;
        },
      };
    }
    case 'groupDelete': {
      const a = acting(seq, op.actor, 'env.groups');
      const groupId = groupPick(seq, op.group, a, 'env.groups');
      if (groupId === undefined) return plan(seq, { kind: 'groupCreate', actor: op.actor, parent: null });
      let expected = groupGate(model, a.actor, groupId, 'env.groups');
      const doomed = model.groups.some((g) => g.id === groupId) ? subtree(model, groupId) : [];
      const after = copyModel(model);
      after.groups = after.groups.filter((g) => !doomed.includes(g.id));
      for (const env of after.environments) env.groupIds = env.groupIds.filter((id) => !doomed.includes(id));
      dropShares(after, (r) => r.type === 'group' && doomed.includes(r.id));
      if (!expected) {
        const subgroups = doomed.filter((id) => id !== groupId);
        if (subgroups.length > 0 && !op.recursive) expected = refused(409, 'conflict');
        else expected = subgroups.map((id) => destinationGate(model, a.actor, id, 'env.groups')).find((o) => o !== null) ?? arrangementGate(model, after, a.actor);
      }
      return {
        text: `${a.by}: delete ${describe('group', groupId)}${op.recursive ? ' recursively' : ''}`,
        expected: expected ?? accepted(204),
        send: () => a.http.delete(`/api/v1/groups/${groupId}`, { query: { recursive: op.recursive } }),
        apply: () => {
          seq.model = after;
          seq.gone.groups.push(...doomed);
        },
      };
    }
    case 'file':
    case 'unfile': {
      const a = acting(seq, op.actor, 'env.groups');
      const environmentId = environmentPick(seq, op.env, a, 'env.groups');
      if (environmentId === undefined) return plan(seq, { kind: 'envCreate', actor: op.actor, group: op.group });
      const env = model.environments.find((e) => e.id === environmentId);
      const groupId =
        op.kind === 'unfile' && env && env.groupIds.length > 0 && op.group % 3 !== 0 ? nth(env.groupIds, op.group) : groupPick(seq, op.group, a, 'env.groups');
      if (groupId === undefined) return plan(seq, { kind: 'groupCreate', actor: op.actor, parent: null });
      const after = copyModel(model);
      const changed = after.environments.find((e) => e.id === environmentId);
      if (changed) changed.groupIds = op.kind === 'file' ? [...new Set([...changed.groupIds, groupId])] : changed.groupIds.filter((id) => id !== groupId);
      const expected =
        environmentGate(model, a.actor, environmentId, 'env.groups') ?? groupGate(model, a.actor, groupId, 'env.groups') ?? arrangementGate(model, after, a.actor);
      const path = `/api/v1/groups/${groupId}/environments/${environmentId}`;
      return {
        text: `${a.by}: ${op.kind} ${describe('env', environmentId)} ${op.kind === 'file' ? 'into' : 'out of'} ${describe('group', groupId)}`,
        expected: expected ?? accepted(200),
        send: () => (op.kind === 'file' ? a.http.put(path) : a.http.delete(path)),
        apply: () => {
          seq.model = after;
        },
      };
    }
    case 'envCreate': {
      const a = acting(seq, op.actor, 'env.create');
      const groupId = op.group === null ? null : (groupPick(seq, op.group, a, 'env.create') ?? null);
      const expected =
        accountGate(model, a.actor, 'member') ??
        (groupId !== null && !model.groups.some((g) => g.id === groupId) ? refused(404, 'not_found') : null) ??
        destinationGate(model, a.actor, groupId, 'env.create');
      return {
        text: `${a.by}: create an environment in ${describe('', groupId)}`,
        expected: expected ?? accepted(201),
        send: () => a.http.post('/api/v1/environments', { name: envName('seq'), nodes, ...(groupId ? { groupId } : {}), ...a.ownerQuery }),
        apply: (answer) => model.environments.push({ id: answer.body.id, groupIds: groupId ? [groupId] : [] }),
        settle: true,
      };
    }
    case 'envClone': {
      const a = acting(seq, op.actor, 'env.clone');
      const sourceId = environmentPick(seq, op.env, a, 'env.clone');
      if (sourceId === undefined) return plan(seq, { kind: 'envCreate', actor: op.actor, group: null });
      const source = model.environments.find((e) => e.id === sourceId);
      const after = copyModel(model);
      const CLONE = 'the-clone';
      after.environments.push({ id: CLONE, groupIds: [...(source?.groupIds ?? [])] });
      const destinations = source && source.groupIds.length > 0 ? source.groupIds : [null];
      const expected =
        environmentGate(model, a.actor, sourceId, 'env.clone') ??
        destinations.map((g) => (destinationGate(model, a.actor, g, 'env.create') ? refused(403, 'missing_permission') : null)).find((o) => o !== null) ??
        arrangementGate(model, after, a.actor, (id) => (id === CLONE ? sourceId : id));
      return {
        text: `${a.by}: clone ${describe('env', sourceId)}`,
        expected: expected ?? accepted(201),
        send: () => a.http.post(`/api/v1/environments/${sourceId}/clone`, { name: envName('clone') }),
        apply: (answer) => model.environments.push({ id: answer.body.id, groupIds: [...(source?.groupIds ?? [])] }),
        settle: true,
        clone: (answer) => ({ id: answer.body.id, sourceId }),
      };
    }
    case 'envDelete': {
      const a = acting(seq, op.actor, 'env.delete');
      const environmentId = environmentPick(seq, op.env, a, 'env.delete');
      if (environmentId === undefined) return plan(seq, { kind: 'envCreate', actor: op.actor, group: null });
      const after = copyModel(model);
      after.environments = after.environments.filter((e) => e.id !== environmentId);
      dropShares(after, (r) => r.type === 'environment' && r.id === environmentId);
      const expected = environmentGate(model, a.actor, environmentId, 'env.delete') ?? arrangementGate(model, after, a.actor);
      return {
        text: `${a.by}: delete ${describe('env', environmentId)}`,
        expected: expected ?? accepted(202),
        send: () => a.http.delete(`/api/v1/environments/${environmentId}`),
        apply: () => {
          seq.model = after;
          seq.gone.environments.push(environmentId);
        },
        settle: true,
      };
    }
    default:
      return planCollaboration(seq, op);
  }
}

type CollaborationOp = Exclude<Op, { kind: 'wait' | 'trialEnd' | 'groupCreate' | 'groupMove' | 'groupDelete' | 'file' | 'unfile' | 'envCreate' | 'envClone' | 'envDelete' }>;

function planCollaboration(seq: Sequence, op: CollaborationOp): Planned {
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
        (target.shares.some((s) => key(s.resource) === key(resource)) ? refused(409, 'conflict') : accepted(201));
      return {
        text: `${a.by}: share ${key(resource).slice(-18)} with ${cast.key} as ${roleIds.join('+').slice(0, 40)}${expiresAt ? ` until +${op.expiresInHours} h` : ''}`,
        expected,
        send: () => a.http.post(`${members}/shares`, { resource, roleIds, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) }, { query: a.ownerQuery }),
        apply: (answer) => target.shares.push({ id: answer.body.id, resource, roleIds, expiresAt }),
        ...(limit ? { grant: { memberKey: cast.key, limit } } : {}),
      };
    }
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
      } else changed.membership = op.kind === 'suspend' ? 'suspended' : 'active';
      const waking = op.kind === 'activate' ? managerLimitGate({ ...model, members: model.members.map((m) => (m === target ? { ...m, shares: [] } : m)) }, after, a.actor, target) : null;
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
    return {
      text: `${a.by}: role ${role.id.slice(-6)} now [${op.permissions.join(', ')}]`,
      expected: gate ?? accepted(200),
      send: () => a.http.patch(`/api/v1/roles/${role.id}`, { permissions: op.permissions }, { query: a.ownerQuery }),
      apply: (answer) => {
        role.permissions = answer.body.permissions;
      },
    };
  }
  const used = model.members.some((m) => m.shares.some((s) => s.roleIds.includes(role.id)));
  return {
    text: `${a.by}: delete role ${role.id.slice(-6)}`,
    expected: gate ?? (used ? refused(409, 'conflict') : accepted(204)),
    send: () => a.http.delete(`/api/v1/roles/${role.id}`, { query: a.ownerQuery }),
    apply: () => {
      model.customRoles = model.customRoles.filter((r) => r.id !== role.id);
    },
  };
}

/** Thrown when the server's answer is not the model's: the message carries both. */
export class Disagreement extends Error {}

/** Performs one operation: plans it, sends it, compares the answer with the model's, and applies it when accepted. */
export async function perform(seq: Sequence, op: Op): Promise<StepRecord> {
  seq.aiming = op.aim ?? false;
  const planned = plan(seq, op);
  if ('wait' in planned) {
    const { hours, toNextExpiry } = planned.wait;
    const now = seq.model.now.getTime();
    const ahead = seq.model.members.flatMap((m) => m.shares.flatMap((s) => (s.expiresAt && s.expiresAt.getTime() > now ? [s.expiresAt.getTime()] : [])));
    const to = toNextExpiry && ahead.length > 0 ? Math.min(...ahead) : now + hours * HOUR;
    seq.stage.clock.set(new Date(to));
    seq.model.now = new Date(to);
    return { kind: 'wait', text: `time: to ${new Date(to).toISOString()}`, by: 'time', outcome: accepted(200), acceptedStep: true };
  }
  const answer = await planned.send();
  const got: Outcome = answer.status < 300 ? accepted(answer.status) : refused(answer.status, String(answer.body?.code));
  const by = planned.text.split(':')[0] ?? '?';
  if (got.status !== planned.expected.status || got.code !== planned.expected.code) {
    throw new Disagreement(`${planned.text}\n    expected ${JSON.stringify(planned.expected)}, got ${answer.status} ${JSON.stringify(answer.body).slice(0, 600)}`);
  }
  const ok = answer.status < 300;
  if (ok) planned.apply?.(answer);
  if (planned.settle) {
    const settling = performance.now();
    await settleRuntime(seq.stage.t);
    seq.settled = (seq.settled ?? 0) + performance.now() - settling;
  }
  return {
    kind: planned.kind ?? op.kind,
    text: planned.text,
    by,
    outcome: got,
    acceptedStep: ok,
    ...(ok && planned.grant ? { grant: planned.grant } : {}),
    ...(ok && planned.clone ? { clone: planned.clone(answer) } : {}),
  };
}
