import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import type { Answer } from '../support/http.js';
import { type Account, createOwner } from '../factories.js';
import { createRole, inviteAndAccept, type Member, share } from '../factories/collaboration.js';
import { createGroup, createRunningEnvironment, envName, settleRuntime, singleNode } from '../factories/environments.js';

// The other half of BOLA: ids in a body or a query. An owner acting in its own account names another owner's
// environment, group, role, member or share; each must be the same answer as an id that does not exist, and change
// nothing. And an environment its owner deleted is gone on every route (DESIGN.md section 3).

let t: TestApp;

interface Tenant {
  owner: Account;
  env: { id: string };
  group: { id: string };
  role: string;
  member: Member;
  share: string;
}
let victim: Tenant;
let attacker: Tenant;

async function tenant(label: string): Promise<Tenant> {
  const owner = await createOwner(t, label);
  const env = await createRunningEnvironment(t, owner);
  const group = await createGroup(t, owner);
  const role = await createRole(t, owner, ['env.view']);
  const member = await inviteAndAccept(t, owner);
  const shareId = await share(t, owner, member.memberId, { type: 'environment', id: env.id }, ['viewer']);
  return { owner, env, group, role, member, share: shareId };
}

beforeAll(async () => {
  t = await startTestApp();
  victim = await tenant('victim');
  attacker = await tenant('attacker');
}, 60_000);
afterAll(() => t.close());

const NOWHERE = 'f0e1d2c3-0000-4000-8000-000000000000';

interface Probe {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The request naming `id`, one of the victim's ids. */
  request: (id: string) => { path: string; body?: unknown; query?: Record<string, string> };
  /** The victim's id the attacker names. */
  id: () => string;
}

const members = (a: Tenant) => `/api/v1/collaboration/members/${a.member.memberId}`;

const probes: Probe[] = [
  {
    name: 'POST /environments in its own account, in the victim’s group',
    method: 'POST',
    id: () => victim.group.id,
    request: (id) => ({ path: '/api/v1/environments', body: { name: envName('ref'), groupId: id, nodes: singleNode } }),
  },
  {
    name: 'POST /groups under the victim’s group',
    method: 'POST',
    id: () => victim.group.id,
    request: (id) => ({ path: '/api/v1/groups', body: { name: 'Inside', parentId: id } }),
  },
  {
    name: 'PATCH its own group to move it under the victim’s group',
    method: 'PATCH',
    id: () => victim.group.id,
    request: (id) => ({ path: `/api/v1/groups/${attacker.group.id}`, body: { parentId: id } }),
  },
  {
    name: 'PUT the victim’s environment into its own group',
    method: 'PUT',
    id: () => victim.env.id,
    request: (id) => ({ path: `/api/v1/groups/${attacker.group.id}/environments/${id}` }),
  },
  {
    name: 'PUT its own environment into the victim’s group',
    method: 'PUT',
    id: () => victim.group.id,
    request: (id) => ({ path: `/api/v1/groups/${id}/environments/${attacker.env.id}` }),
  },
  {
    name: 'share the victim’s environment with its own member',
    method: 'POST',
    id: () => victim.env.id,
    request: (id) => ({ path: `${members(attacker)}/shares`, body: { resource: { type: 'environment', id }, roleIds: ['admin'] } }),
  },
  {
    name: 'share the victim’s group with its own member',
    method: 'POST',
    id: () => victim.group.id,
    request: (id) => ({ path: `${members(attacker)}/shares`, body: { resource: { type: 'group', id }, roleIds: ['admin'] } }),
  },
  {
    name: 'share with the victim’s custom role',
    method: 'POST',
    id: () => victim.role,
    request: (id) => ({ path: `${members(attacker)}/shares`, body: { resource: { type: 'account' }, roleIds: [id] } }),
  },
  {
    name: 'PATCH the victim’s share through its own member',
    method: 'PATCH',
    id: () => victim.share,
    request: (id) => ({ path: `${members(attacker)}/shares/${id}`, body: { roleIds: ['admin'] } }),
  },
  {
    name: 'DELETE the victim’s share through its own member',
    method: 'DELETE',
    id: () => victim.share,
    request: (id) => ({ path: `${members(attacker)}/shares/${id}` }),
  },
  {
    name: 'PATCH the victim’s share under the victim’s member, in its own account',
    method: 'PATCH',
    id: () => victim.member.memberId,
    request: (id) => ({ path: `/api/v1/collaboration/members/${id}/shares/${victim.share}`, body: { roleIds: ['admin'] } }),
  },
  {
    name: 'explain its own member on the victim’s environment',
    method: 'GET',
    id: () => victim.env.id,
    request: (id) => ({ path: '/api/v1/access/explain', query: { memberId: attacker.member.memberId, environmentId: id } }),
  },
  {
    name: 'explain the victim’s member on its own environment',
    method: 'GET',
    id: () => victim.member.memberId,
    request: (id) => ({ path: '/api/v1/access/explain', query: { memberId: id, environmentId: attacker.env.id } }),
  },
];

/** The answer with the named id blanked out, to compare "not yours" with "does not exist". */
const neutral = (answer: Answer, id: string) => JSON.parse(JSON.stringify(answer.body).replaceAll(id, '<id>'));

describe("an owner naming another owner's ids from its own account", () => {
  for (const probe of probes) {
    it(`${probe.name}: the same answer as a missing id (4xx), nothing changes`, async () => {
      const id = probe.id();
      const send = (named: string) => {
        const { path, body, query } = probe.request(named);
        return t.http.as(attacker.owner).request(probe.method, path, body ?? (probe.method === 'GET' ? undefined : {}), { query });
      };
      await expectNoChange(t, async () => {
        const theirs = await send(id);
        const missing = await send(NOWHERE);
        expect(theirs.status, JSON.stringify(theirs.body)).toBeGreaterThanOrEqual(400);
        expect(theirs.status).toBeLessThan(500);
        expect(theirs.status).not.toBe(403);
        const { instance: _a, ...seen } = neutral(theirs, id);
        const { instance: _b, ...none } = neutral(missing, NOWHERE);
        expect(seen).toEqual(none);
      });
    });
  }
});

describe('a deleted environment is gone, for its owner too', () => {
  const routes = (id: string): Array<[string, string, unknown?]> => [
    ['GET', `/api/v1/environments/${id}`],
    ['PATCH', `/api/v1/environments/${id}`, { displayName: 'Back' }],
    ['DELETE', `/api/v1/environments/${id}`],
    ['POST', `/api/v1/environments/${id}/start`, {}],
    ['POST', `/api/v1/environments/${id}/clone`, { name: envName('ghost') }],
    ['PUT', `/api/v1/environments/${id}/topology`, { nodes: singleNode }],
    ['GET', `/api/v1/environments/${id}/variables`],
    ['GET', `/api/v1/environments/${id}/logs`],
    ['GET', `/api/v1/environments/${id}/access`],
    ['GET', `/api/v1/access/explain?memberId=${victim.member.memberId}&environmentId=${id}`],
    ['PUT', `/api/v1/groups/${victim.group.id}/environments/${id}`],
    ['POST', `/api/v1/collaboration/members/${victim.member.memberId}/shares`, { resource: { type: 'environment', id }, roleIds: ['viewer'] }],
  ];

  it('every environment route, its access list and explanation, and sharing it answer 404; nothing changes', async () => {
    const doomed = await createRunningEnvironment(t, victim.owner);
    expect((await t.http.as(victim.owner).delete(`/api/v1/environments/${doomed.id}`)).status).toBe(202);
    await settleRuntime(t);
    await expectNoChange(t, async () => {
      const answers: string[] = [];
      for (const [method, path, body] of routes(doomed.id)) answers.push(`${method} ${path} → ${(await t.http.as(victim.owner).request(method, path, body)).status}`);
      expect(answers).toEqual(routes(doomed.id).map(([method, path]) => `${method} ${path} → 404`));
    });
  });
});
