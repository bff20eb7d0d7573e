import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Answer } from '../support/http.js';
import { uniqueEmail } from '../factories.js';
import { envName, singleNode } from '../factories/environments.js';
import {
  type Actor,
  ensureMemberStatus,
  freshEnvironment,
  freshGroup,
  freshInvitation,
  freshRole,
  freshShare,
  freshSubgroup,
  freshFailedDelivery,
  freshWebhook,
  type World,
} from './actors.js';
import { type Expected, hiddenAs404, type Judged, missing, ownerOnly } from './expectations.js';
import { budgetRoutes, transferRoutes } from './routes-transfers.js';
import { teamRoutes } from './routes-teams.js';

export interface Req {
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

/** One route of the matrix: how to call it on the owner's resources, and how it is judged. */
export interface RouteSpec extends Judged {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path as the test names read, without /api/v1. */
  name: string;
  /** A list route: the id its answer must hold on success (and must not hold for a member who does not reach it). */
  listed?: (w: World) => string;
  /** The path names one of the owner's ids and the query takes ?ownerId=: a stranger who omits it must get 404 too. */
  idOnly?: boolean;
  /**
   * Builds the request. `succeeds` says the case expects a success: routes that consume their target (delete, stop,
   * remove...) then build a fresh one, so cases never disturb each other.
   */
  build(w: World, who: Actor, succeeds: boolean): Promise<Req>;
  /** More checks on a success. */
  check?(answer: Answer, w: World, who: Actor): void;
}

const api = (path: string) => `/api/v1${path}`;
const byOwner = (w: World) => ({ ownerId: w.owner.id });
const unique = (label: string) => `${label} ${randomBytes(3).toString('hex')}`;

// A member who sees the account but not collaboration.manage there: the code answers 403 naming it (scope.ts), not
// 404, since the member knows the account it collaborates with. A suspended member is no member (section 6, step 2):
// it stays under the general rule, 404.
const manageRefused: Partial<Record<string, Expected>> = { noShare: missing('collaboration.manage') };

function environmentRoutes(): RouteSpec[] {
  const env = (w: World) => w.env.id;
  const onEnv = (
    method: RouteSpec['method'],
    suffix: string,
    permission: string,
    ok: number,
    body?: (w: World) => unknown,
    extra: Partial<RouteSpec> = {},
  ): RouteSpec => ({
    method,
    name: `/environments/:id${suffix}`,
    level: 'environment',
    permission,
    ok,
    build: async (w) => ({ path: api(`/environments/${env(w)}${suffix}`), body: body?.(w) }),
    ...extra,
  });
  // Lifecycle actions consume their target: a success gets a fresh environment in the status the action needs.
  const lifecycle = (action: 'start' | 'stop' | 'restart'): RouteSpec => {
    const needs = action === 'start' ? 'stopped' : 'running';
    return onEnv('POST', `/${action}`, `env.${action}`, 202, undefined, {
      build: async (w, who, succeeds) => {
        const id = succeeds ? await freshEnvironment(w, who, needs) : needs === 'stopped' ? w.stoppedEnv.id : w.env.id;
        return { path: api(`/environments/${id}/${action}`) };
      },
      check: (answer) => expect(answer.body.status).toBe({ start: 'starting', stop: 'stopping', restart: 'restarting' }[action]),
    });
  };

  return [
    {
      method: 'GET',
      name: '/environments?ownerId',
      level: 'environment',
      permission: 'env.view',
      ok: 200,
      listed: env,
      build: async (w) => ({ path: api('/environments'), query: { ...byOwner(w), limit: '200' } }),
    },
    {
      method: 'GET',
      name: '/environments?groupId',
      level: 'group',
      permission: 'env.view',
      ok: 200,
      listed: (w) => w.groupEnv.id,
      // A group the member cannot see is a 404, like a missing one: the list does not answer empty.
      expect: { noShare: { kind: 'refused', status: 404, code: 'not_found' } },
      build: async (w) => ({ path: api('/environments'), query: { groupId: w.group.id, limit: '200' } }),
    },
    {
      method: 'POST',
      name: '/environments (ownerId, at the root)',
      level: 'account',
      permission: 'env.create',
      ok: 201,
      // A member of the account without env.create at its root is refused by name: it knows the account.
      expect: { noShare: missing('env.create') },
      build: async (w) => ({ path: api('/environments'), body: { name: envName('bola'), ownerId: w.owner.id, nodes: singleNode } }),
      check: (answer, w, who) => expect(answer.body).toMatchObject({ owner: { id: w.owner.id }, createdBy: { id: who.account?.id } }),
    },
    {
      method: 'POST',
      name: '/environments (ownerId, groupId)',
      level: 'group',
      permission: 'env.create',
      ok: 201,
      build: async (w) => ({
        path: api('/environments'),
        body: { name: envName('bola'), ownerId: w.owner.id, groupId: w.group.id, nodes: singleNode },
      }),
      check: (answer, w) => expect(answer.body.groups.map((g: { id: string }) => g.id)).toEqual([w.group.id]),
    },
    onEnv('GET', '', 'env.view', 200, undefined, { check: (answer, w) => expect(answer.body.id).toBe(w.env.id) }),
    onEnv('PATCH', '', 'env.rename', 200, () => ({ displayName: unique('Renamed') })),
    onEnv('DELETE', '', 'env.delete', 202, undefined, {
      build: async (w, who, succeeds) => ({ path: api(`/environments/${succeeds ? await freshEnvironment(w, who, 'running') : w.env.id}`) }),
      check: (answer) => expect(answer.body.status).toBe('deleting'),
    }),
    lifecycle('start'),
    lifecycle('stop'),
    lifecycle('restart'),
    onEnv('POST', '/clone', 'env.clone', 201, () => ({ name: envName('clone') }), {
      // DESIGN.md section 5: the clone also needs env.create where it goes, here the account's root (the source is
      // in no group). A direct share on the source gives nothing there.
      expect: { developer: missing('env.create'), admin: missing('env.create') },
    }),
    onEnv('PUT', '/topology', 'env.topology', 200, () => ({ nodes: singleNode })),
    onEnv('POST', '/deploy', 'env.deploy', 202, () => ({ source: 'https://example.com/app.zip' })),
    onEnv('GET', '/variables', 'env.config', 200),
    onEnv('PUT', '/variables', 'env.config', 200, () => ({ variables: { BOLA: 'yes' } })),
    onEnv('GET', '/logs', 'env.logs', 200),
    onEnv('GET', '/activity', 'env.view', 200, undefined, {
      // Only the owner and managers know members by their alias; anyone else never sees one.
      check: (answer, _w, who) => {
        const labels = answer.body.items.map((item: { actor: { label: string } }) => item.actor.label);
        if (who.kind !== 'owner' && who.kind !== 'admin') for (const label of labels) expect(['you', 'the owner', 'a collaborator', 'Shareplane']).toContain(label);
      },
    }),
    onEnv('POST', '/exec', 'env.exec', 200, () => ({ command: 'ls' })),
    // Owner or collaboration.manage, which a direct share never gives (only an account share does).
    onEnv('GET', '/access', 'collaboration.manage', 200, undefined, { check: (answer, w) => expect(answer.body.environment.id).toBe(w.env.id) }),
  ];
}

function groupRoutes(): RouteSpec[] {
  const judged = { level: 'group', permission: 'env.groups' } as const;
  return [
    {
      method: 'GET',
      name: '/groups?ownerId',
      level: 'group',
      permission: 'env.view',
      ok: 200,
      listed: (w) => w.group.id,
      build: async (w) => ({ path: api('/groups'), query: byOwner(w) }),
    },
    {
      ...judged,
      method: 'POST',
      name: '/groups (ownerId, parentId)',
      ok: 201,
      build: async (w) => ({ path: api('/groups'), body: { name: unique('Made'), parentId: w.group.id, ownerId: w.owner.id } }),
      check: (answer, w) => expect(answer.body).toMatchObject({ ownerId: w.owner.id, parentId: w.group.id }),
    },
    {
      ...judged,
      method: 'PATCH',
      name: '/groups/:id',
      ok: 200,
      build: async (w) => ({ path: api(`/groups/${w.subgroup.id}`), body: { name: unique('Renamed') } }),
    },
    {
      ...judged,
      method: 'DELETE',
      name: '/groups/:id',
      ok: 204,
      build: async (w, _who, succeeds) => ({ path: api(`/groups/${succeeds ? await freshSubgroup(w) : w.subgroup.id}`) }),
    },
    {
      ...judged,
      method: 'PUT',
      name: '/groups/:id/environments/:envId',
      ok: 200,
      build: async (w) => ({ path: api(`/groups/${w.subgroup.id}/environments/${w.groupEnv.id}`) }),
      check: (answer, w) => expect(answer.body.groups.map((g: { id: string }) => g.id)).toContain(w.subgroup.id),
    },
    {
      ...judged,
      method: 'DELETE',
      name: '/groups/:id/environments/:envId',
      ok: 200,
      build: async (w) => ({ path: api(`/groups/${w.subgroup.id}/environments/${w.groupEnv.id}`) }),
      check: (answer, w) => expect(answer.body.groups.map((g: { id: string }) => g.id)).not.toContain(w.subgroup.id),
    },
  ];
}

function memberRoutes(): RouteSpec[] {
  const judged = { level: 'account', permission: 'collaboration.manage', expect: manageRefused } as const;
  const member = (w: World) => api(`/collaboration/members/${w.target.memberId}`);
  return [
    {
      ...judged,
      method: 'GET',
      name: '/collaboration/members?ownerId',
      ok: 200,
      build: async (w) => ({ path: api('/collaboration/members'), query: { ...byOwner(w), limit: '200' } }),
      check: (answer, w) => expect(answer.body.items.map((m: { id: string }) => m.id)).toContain(w.target.memberId),
    },
    {
      ...judged,
      method: 'POST',
      name: '/collaboration/members?ownerId (invite)',
      ok: 201,
      build: async (w) => ({ path: api('/collaboration/members'), query: byOwner(w), body: { email: uniqueEmail('bola-invitee') } }),
    },
    { ...judged, method: 'GET', name: '/collaboration/members/:id?ownerId', ok: 200, idOnly: true, build: async (w) => ({ path: member(w), query: byOwner(w) }) },
    {
      ...judged,
      method: 'PATCH',
      name: '/collaboration/members/:id?ownerId',
      ok: 200,
      idOnly: true,
      build: async (w) => ({ path: member(w), query: byOwner(w), body: { displayName: unique('Alias') } }),
    },
    {
      ...judged,
      method: 'POST',
      name: '/collaboration/members/:id/resend?ownerId',
      ok: 200,
      idOnly: true,
      build: async (w) => ({ path: api(`/collaboration/members/${w.pending}/resend`), query: byOwner(w) }),
    },
    {
      ...judged,
      method: 'POST',
      name: '/collaboration/members/:id/suspend?ownerId',
      ok: 200,
      idOnly: true,
      build: async (w) => {
        await ensureMemberStatus(w, w.suspendTarget, 'active');
        return { path: api(`/collaboration/members/${w.suspendTarget.memberId}/suspend`), query: byOwner(w) };
      },
      check: (answer) => expect(answer.body.status).toBe('suspended'),
    },
    {
      ...judged,
      method: 'POST',
      name: '/collaboration/members/:id/activate?ownerId',
      ok: 200,
      idOnly: true,
      build: async (w) => {
        await ensureMemberStatus(w, w.activateTarget, 'suspended');
        return { path: api(`/collaboration/members/${w.activateTarget.memberId}/activate`), query: byOwner(w) };
      },
      check: (answer) => expect(answer.body.status).toBe('active'),
    },
    {
      ...judged,
      method: 'DELETE',
      name: '/collaboration/members/:id?ownerId',
      ok: 204,
      idOnly: true,
      build: async (w, _who, succeeds) => ({
        path: api(`/collaboration/members/${succeeds ? await freshInvitation(w) : w.target.memberId}`),
        query: byOwner(w),
      }),
    },
    {
      ...judged,
      method: 'GET',
      name: '/collaboration/members/:id/shares?ownerId',
      ok: 200,
      idOnly: true,
      build: async (w) => ({ path: `${member(w)}/shares`, query: byOwner(w) }),
      check: (answer, w) => expect(answer.body.items.map((s: { id: string }) => s.id)).toContain(w.targetShare),
    },
    {
      ...judged,
      method: 'POST',
      name: '/collaboration/members/:id/shares?ownerId',
      ok: 201,
      idOnly: true,
      build: async (w, _who, succeeds) => ({
        path: `${member(w)}/shares`,
        query: byOwner(w),
        body: { resource: { type: 'group', id: succeeds ? await freshGroup(w) : w.group.id }, roleIds: ['viewer'] },
      }),
    },
    {
      ...judged,
      method: 'PATCH',
      name: '/collaboration/members/:id/shares/:shareId?ownerId',
      ok: 200,
      idOnly: true,
      build: async (w) => ({ path: `${member(w)}/shares/${w.targetShare}`, query: byOwner(w), body: { roleIds: ['operator'] } }),
    },
    {
      ...judged,
      method: 'DELETE',
      name: '/collaboration/members/:id/shares/:shareId?ownerId',
      ok: 204,
      idOnly: true,
      build: async (w, _who, succeeds) => ({ path: `${member(w)}/shares/${succeeds ? await freshShare(w) : w.targetShare}`, query: byOwner(w) }),
    },
  ];
}

function roleRoutes(): RouteSpec[] {
  // Managers list roles; only the owner creates, changes or deletes them (DESIGN.md section 6 lists what a manager
  // may do, and roles are not in it): an admin member gets 403 forbidden.
  const write = { level: 'account', permission: 'collaboration.manage', expect: { ...manageRefused, admin: ownerOnly } } as const;
  return [
    {
      level: 'account',
      permission: 'collaboration.manage',
      expect: manageRefused,
      method: 'GET',
      name: '/roles?ownerId',
      ok: 200,
      build: async (w) => ({ path: api('/roles'), query: { ...byOwner(w), limit: '200' } }),
      check: (answer, w) => expect(answer.body.items.map((r: { id: string }) => r.id)).toContain(w.customRole),
    },
    {
      ...write,
      method: 'POST',
      name: '/roles?ownerId',
      ok: 201,
      build: async (w) => ({ path: api('/roles'), query: byOwner(w), body: { name: unique('Role'), permissions: ['env.view'] } }),
    },
    {
      ...write,
      method: 'PATCH',
      name: '/roles/:id?ownerId',
      ok: 200,
      idOnly: true,
      build: async (w) => ({ path: api(`/roles/${w.customRole}`), query: byOwner(w), body: { description: unique('Changed') } }),
    },
    {
      ...write,
      method: 'DELETE',
      name: '/roles/:id?ownerId',
      ok: 204,
      idOnly: true,
      build: async (w, _who, succeeds) => ({ path: api(`/roles/${succeeds ? await freshRole(w) : w.customRole}`), query: byOwner(w) }),
    },
  ];
}

function accountRoutes(): RouteSpec[] {
  return [
    {
      // Judged on the environment: a member who does not see it gets 404, one who sees it without
      // collaboration.manage on the account 403.
      level: 'account',
      permission: 'collaboration.manage',
      method: 'GET',
      name: '/access/explain?environmentId',
      ok: 200,
      build: async (w) => ({ path: api('/access/explain'), query: { memberId: w.target.memberId, environmentId: w.env.id } }),
    },
    {
      level: 'account',
      permission: 'collaboration.manage',
      expect: manageRefused,
      method: 'GET',
      name: '/access/explain?ownerId (the account)',
      ok: 200,
      idOnly: true,
      build: async (w) => ({ path: api('/access/explain'), query: { memberId: w.target.memberId, ...byOwner(w) } }),
    },
    {
      level: 'account',
      permission: 'billing.view',
      // A member without billing.view on the account is refused by name (billing/scope.ts).
      expect: { noShare: missing('billing.view') },
      method: 'GET',
      name: '/billing/balance?ownerId',
      ok: 200,
      build: async (w) => ({ path: api('/billing/balance'), query: byOwner(w) }),
      check: (answer, w) => expect(answer.body.ownerId).toBe(w.owner.id),
    },
    {
      level: 'account',
      permission: 'billing.view',
      expect: { noShare: missing('billing.view') },
      method: 'GET',
      name: '/billing/usage?ownerId',
      ok: 200,
      build: async (w) => ({ path: api('/billing/usage'), query: byOwner(w) }),
      check: (answer, w) => expect(answer.body).toMatchObject({ ownerId: w.owner.id, scope: 'account' }),
    },
    {
      // Every active member reads its own actions in the owner's log (DESIGN.md section 7); only them. A member locked
      // out for want of a second factor still reads its own history: it reveals nothing of the owner's.
      level: 'account',
      permission: null,
      expect: { noShare: { kind: 'ok', status: 200 }, noSecondFactor: { kind: 'ok', status: 200 } },
      method: 'GET',
      name: '/audit?ownerId',
      ok: 200,
      build: async (w) => ({ path: api('/audit'), query: { ...byOwner(w), limit: '200' } }),
      check: (answer, w, who) => {
        if (who.kind === 'owner') return;
        for (const item of answer.body.items) expect(item.actorId).toBe(who.account?.id);
      },
    },
    {
      // The export answers what the log answers (src/audit/list.ts, auditScope): a member only its own actions.
      level: 'account',
      permission: null,
      expect: { noShare: { kind: 'ok', status: 200 }, noSecondFactor: { kind: 'ok', status: 200 } },
      method: 'GET',
      name: '/audit/export?ownerId',
      ok: 200,
      build: async (w) => ({ path: api('/audit/export'), query: { ...byOwner(w), format: 'ndjson' } }),
      check: (answer, w, who) => {
        const items = String(answer.body).split('\n').filter((line) => line !== '').map((line) => JSON.parse(line));
        if (who.kind === 'owner') return expect(items.length).toBeGreaterThan(0);
        for (const item of items) expect(item.actorId).toBe(who.account?.id);
      },
    },
  ];
}

function webhookRoutes(): RouteSpec[] {
  // The owner alone manages webhooks (src/webhooks/routes.ts says why): a member without collaboration.manage is
  // refused by name, a manager (admin) with 403 forbidden, as for role writes.
  const judged = { level: 'account', permission: 'collaboration.manage', expect: { ...manageRefused, admin: ownerOnly } } as const;
  const hook = (w: World) => api(`/webhooks/${w.webhook}`);
  return [
    {
      ...judged,
      method: 'GET',
      name: '/webhooks?ownerId',
      ok: 200,
      build: async (w) => ({ path: api('/webhooks'), query: byOwner(w) }),
      check: (answer, w) => expect(answer.body.items.map((item: { id: string }) => item.id)).toContain(w.webhook),
    },
    {
      ...judged,
      method: 'POST',
      name: '/webhooks?ownerId',
      ok: 201,
      build: async (w) => ({ path: api('/webhooks'), query: byOwner(w), body: { url: 'https://hooks.example.test/new', events: ['role.create'] } }),
    },
    {
      ...judged,
      method: 'PATCH',
      name: '/webhooks/:id?ownerId',
      ok: 200,
      idOnly: true,
      build: async (w) => ({ path: hook(w), query: byOwner(w), body: { description: unique('Changed') } }),
    },
    {
      ...judged,
      method: 'DELETE',
      name: '/webhooks/:id?ownerId',
      ok: 204,
      idOnly: true,
      build: async (w, _who, succeeds) => ({ path: succeeds ? api(`/webhooks/${await freshWebhook(w)}`) : hook(w), query: byOwner(w) }),
    },
    {
      ...judged,
      method: 'POST',
      name: '/webhooks/:id/rotate-secret?ownerId',
      ok: 200,
      idOnly: true,
      build: async (w, _who, succeeds) => ({ path: `${succeeds ? api(`/webhooks/${await freshWebhook(w)}`) : hook(w)}/rotate-secret`, query: byOwner(w) }),
    },
    {
      ...judged,
      method: 'GET',
      name: '/webhooks/:id/deliveries?ownerId',
      ok: 200,
      idOnly: true,
      build: async (w) => ({ path: `${hook(w)}/deliveries`, query: byOwner(w) }),
    },
    {
      ...judged,
      method: 'POST',
      name: '/webhooks/:id/deliveries/:deliveryId/redeliver?ownerId',
      ok: 200,
      idOnly: true,
      build: async (w, _who, succeeds) => ({ path: `${hook(w)}/deliveries/${succeeds ? await freshFailedDelivery(w) : '1'}/redeliver`, query: byOwner(w) }),
    },
  ];
}

function tokenPolicyRoutes(): RouteSpec[] {
  // The account's policy and its members' tokens are the owner's alone (issue 12): an admin member gets 403 forbidden.
  const ownerAlone = { level: 'account', permission: 'collaboration.manage', expect: { ...manageRefused, admin: ownerOnly } } as const;
  // A member's unscoped token acts in every account it collaborates with: a fresh one per case, to list or revoke.
  const memberToken = async (w: World) => {
    const answer = await w.t.http.as(w.target).post('/api/v1/tokens', { name: unique('acting') });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body.id as string;
  };
  return [
    { ...ownerAlone, method: 'GET', name: '/account/policy?ownerId', ok: 200, build: async (w) => ({ path: api('/account/policy'), query: byOwner(w) }) },
    {
      ...ownerAlone,
      method: 'PATCH',
      name: '/account/policy?ownerId',
      ok: 200,
      build: async (w) => ({ path: api('/account/policy'), query: byOwner(w), body: { tokenMaxLifetimeDays: null } }),
    },
    {
      ...ownerAlone,
      method: 'GET',
      name: '/collaboration/tokens?ownerId',
      ok: 200,
      build: async (w) => ({ path: api('/collaboration/tokens'), query: { ...byOwner(w), limit: '200' } }),
    },
    {
      // The access review reads every member's use and tokens: the owner's alone, as the tokens' list is.
      ...ownerAlone,
      method: 'GET',
      name: '/collaboration/review?ownerId',
      ok: 200,
      build: async (w) => ({ path: api('/collaboration/review'), query: byOwner(w) }),
    },
    {
      ...ownerAlone,
      method: 'DELETE',
      name: '/collaboration/tokens/:id?ownerId',
      ok: 204,
      idOnly: true,
      build: async (w) => ({ path: api(`/collaboration/tokens/${await memberToken(w)}`), query: byOwner(w) }),
    },
  ];
}

function accessRequestRoutes(): RouteSpec[] {
  // A request by the plain target member for viewer on the environment it sees: answering it changes nobody's access.
  const newRequest = async (w: World) => {
    const answer = await w.t.http
      .as(w.target)
      .post('/api/v1/access-requests', { ownerId: w.owner.id, resource: { type: 'environment', id: w.otherEnv.id }, roleIds: ['viewer'], durationHours: 1, reason: 'matrix' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body.id as string;
  };
  // Refused cases all aim at one standing pending request (made on first use, before the case compares the database).
  const standing = new WeakMap<World, Promise<string>>();
  const pendingOf = (w: World) => {
    let id = standing.get(w);
    if (!id) standing.set(w, (id = newRequest(w)));
    return id;
  };
  const answered = (verb: 'approve' | 'deny', ok: number): RouteSpec => ({
    level: 'account',
    permission: 'collaboration.manage',
    expect: manageRefused,
    method: 'POST',
    name: `/access-requests/:id/${verb}?ownerId`,
    ok,
    idOnly: true,
    build: async (w, _who, succeeds) => ({ path: api(`/access-requests/${succeeds ? await newRequest(w) : await pendingOf(w)}/${verb}`), query: byOwner(w), body: {} }),
    check: (answer) => expect(answer.body.status).toBe(verb === 'approve' ? 'approved' : 'denied'),
  });
  return [
    {
      // Any member who sees the environment may ask for more on it; the owner holds everything and is refused.
      level: 'environment',
      permission: null,
      expect: { owner: ownerOnly },
      method: 'POST',
      name: '/access-requests',
      ok: 201,
      build: async (w) => ({
        path: api('/access-requests'),
        body: { ownerId: w.owner.id, resource: { type: 'environment', id: w.env.id }, roleIds: ['operator'], durationHours: 1, reason: 'matrix' },
      }),
      check: (answer) => expect(answer.body.status).toBe('pending'),
    },
    {
      // Every active member lists (its own requests, or all of them when it answers them).
      level: 'account',
      permission: null,
      expect: { noShare: { kind: 'ok', status: 200 } },
      method: 'GET',
      name: '/access-requests?ownerId',
      ok: 200,
      build: async (w) => ({ path: api('/access-requests'), query: { ...byOwner(w), limit: '200' } }),
    },
    answered('approve', 200),
    answered('deny', 200),
    {
      // Only the requester cancels: for everyone else the request does not exist.
      level: 'account',
      permission: null,
      expect: { owner: hiddenAs404, viewer: hiddenAs404, operator: hiddenAs404, developer: hiddenAs404, admin: hiddenAs404, scopedViewer: hiddenAs404 },
      method: 'POST',
      name: '/access-requests/:id/cancel?ownerId',
      ok: 200,
      idOnly: true,
      build: async (w) => ({ path: api(`/access-requests/${await pendingOf(w)}/cancel`), query: byOwner(w) }),
    },
  ];
}

/** Every route that acts on an owner's resources, from the route files under src/. */
export const ROUTES: RouteSpec[] = [
  ...environmentRoutes(),
  ...groupRoutes(),
  ...memberRoutes(),
  ...roleRoutes(),
  ...accountRoutes(),
  ...webhookRoutes(),
  ...tokenPolicyRoutes(),
  ...accessRequestRoutes(),
  ...transferRoutes(),
  ...budgetRoutes(),
  ...teamRoutes(),
];
