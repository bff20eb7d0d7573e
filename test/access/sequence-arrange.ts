/**
 * Steps that arrange the owner's account (sequence-steps.ts): groups created, moved and deleted, environments filed,
 * unfiled, created, cloned and deleted, and the billing team ending or extending a trial. Each names the outcome
 * the model expects and the model after it.
 */
import { HOUR } from '../../src/clock.js';
import { type Account, createPaidOwner, setTrialEnd } from '../factories.js';
import type { TestApp } from '../support/app.js';
import { envName } from '../factories/environments.js';
import type { CastMember } from './sequence-cast.js';
import type { Op } from './sequence-ops.js';
import {
  accepted,
  accountGate,
  ancestry,
  arrangementGate,
  copyModel,
  destinationGate,
  dropShares,
  environmentGate,
  groupGate,
  height,
  MAX_GROUP_DEPTH,
  permissionsOf,
  refused,
  subtree,
} from './sequence-rules.js';

import { plan } from './sequence-steps.js';
import { planCollaboration } from './sequence-collaborate.js';
import { isTeamOp, planTeam } from './sequence-teams.js';
import { acting, describe, environmentPick, groupPick, nodes, nth, modelMember, type Planned, type Sequence } from './sequence-picks.js';

// The account outside the owner's that transferred environments go to, one per app.
const recipients = new WeakMap<TestApp, Promise<Account>>();
function recipientIn(t: TestApp): Promise<Account> {
  let recipient = recipients.get(t);
  if (!recipient) {
    recipient = createPaidOwner(t, 'recipient');
    recipients.set(t, recipient);
  }
  return recipient;
}

/** Plans an arrangement, a wait or a trial's end; anything else is a collaboration step. */
export function planArrangement(seq: Sequence, op: Op): Planned | { wait: Op & { kind: 'wait' } } {
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
      // Aiming, the new parent is outside the group's own subtree (a cycle is a 409 the unaimed draws still reach).
      const inside = model.groups.some((g) => g.id === groupId) ? subtree(model, groupId) : [];
      const parentId = op.parent === null ? null : (groupPick(seq, op.parent, a, 'env.groups', inside) ?? null);
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
        // The caller sees the group it deletes: a subgroup it may not arrange is 403 naming env.groups, even one it does
        // not see itself (a token whose scope keeps nothing there), as the server decides each subgroup.
        const mayArrange = (id: string) => permissionsOf(model, a.actor, { kind: 'create', groupId: id }).has('env.groups');
        if (subgroups.length > 0 && !op.recursive) expected = refused(409, 'conflict');
        else expected = subgroups.some((id) => !mayArrange(id)) ? refused(403, 'missing_permission') : arrangementGate(model, after, a.actor);
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
    case 'envTransfer': {
      // Only the owner asks; once the recipient accepts, the environment is gone from this account as if deleted: its
      // shares end, it leaves the groups, and nobody here (the creator included) keeps anything on it.
      const a = acting(seq, op.actor, 'env.view');
      const environmentId = environmentPick(seq, op.env, a, 'env.view');
      if (environmentId === undefined) return plan(seq, { kind: 'envCreate', actor: op.actor, group: null });
      const after = copyModel(model);
      after.environments = after.environments.filter((e) => e.id !== environmentId);
      dropShares(after, (r) => r.type === 'environment' && r.id === environmentId);
      const expected = environmentGate(model, a.actor, environmentId, 'env.view') ?? accountGate(model, a.actor, 'owner') ?? arrangementGate(model, after, a.actor);
      return {
        text: `${a.by}: transfer ${describe('env', environmentId)} to another account`,
        expected: expected ?? accepted(201),
        send: async () => {
          const recipient = await recipientIn(seq.stage.t);
          const asked = await a.http.post(`/api/v1/environments/${environmentId}/transfers`, { email: recipient.email });
          if (asked.status !== 201) return asked;
          const accepted = await seq.stage.t.http.as(recipient).post(`/api/v1/transfers/${asked.body.id}/accept`);
          // The step's answer is the request's; a refused acceptance would leave the model wrong, so it is one too.
          return accepted.status === 200 ? asked : accepted;
        },
        apply: () => {
          seq.model = after;
          seq.gone.environments.push(environmentId);
        },
        settle: true,
      };
    }
    default:
      return isTeamOp(op) ? planTeam(seq, op) : planCollaboration(seq, op);
  }
}

