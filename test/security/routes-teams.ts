import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { type World } from './actors.js';
import { ownerOnly, missing, type Expected } from './expectations.js';
import type { RouteSpec } from './routes.js';

const api = (path: string) => `/api/v1${path}`;
const byOwner = (w: World) => ({ ownerId: w.owner.id });
const unique = (label: string) => `${label} ${randomBytes(3).toString('hex')}`;

// Teams are the owner's alone (one change moves many members' access): an admin member gets 403 forbidden, a member
// without collaboration.manage 403 naming it, like the account's policy.
const ownerAlone = { level: 'account', permission: 'collaboration.manage', expect: { noShare: missing('collaboration.manage'), admin: ownerOnly } as Partial<Record<string, Expected>> } as const;

/** A team of the owner holding the target member and a viewer share on `otherEnv`; a fresh one for a case that consumes it. */
async function newTeam(w: World): Promise<{ id: string; shareId: string }> {
  const created = await w.t.http.as(w.owner).post(api('/collaboration/teams'), { name: unique('Team') });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const added = await w.t.http.as(w.owner).put(api(`/collaboration/teams/${created.body.id}/members/${w.target.memberId}`));
  expect(added.status, JSON.stringify(added.body)).toBe(200);
  const shared = await w.t.http.as(w.owner).post(api(`/collaboration/teams/${created.body.id}/shares`), { resource: { type: 'environment', id: w.otherEnv.id }, roleIds: ['viewer'] });
  expect(shared.status, JSON.stringify(shared.body)).toBe(201);
  return { id: created.body.id as string, shareId: shared.body.id as string };
}

const standing = new WeakMap<World, Promise<{ id: string; shareId: string }>>();
function teamOf(w: World): Promise<{ id: string; shareId: string }> {
  let team = standing.get(w);
  if (!team) {
    team = newTeam(w);
    standing.set(w, team);
  }
  return team;
}
const pick = async (w: World, succeeds: boolean) => (succeeds ? newTeam(w) : teamOf(w));

/** The team routes of src/collaboration/teams/routes.ts. */
export function teamRoutes(): RouteSpec[] {
  return [
    {
      ...ownerAlone,
      method: 'GET',
      name: '/collaboration/teams?ownerId',
      ok: 200,
      build: async (w) => {
        await teamOf(w);
        return { path: api('/collaboration/teams'), query: { ...byOwner(w), limit: '200' } };
      },
    },
    { ...ownerAlone, method: 'POST', name: '/collaboration/teams?ownerId', ok: 201, build: async (w) => ({ path: api('/collaboration/teams'), query: byOwner(w), body: { name: unique('Team') } }) },
    { ...ownerAlone, method: 'GET', name: '/collaboration/teams/:id?ownerId', ok: 200, idOnly: true, build: async (w) => ({ path: api(`/collaboration/teams/${(await teamOf(w)).id}`), query: byOwner(w) }) },
    {
      ...ownerAlone,
      method: 'PATCH',
      name: '/collaboration/teams/:id?ownerId',
      ok: 200,
      idOnly: true,
      build: async (w) => ({ path: api(`/collaboration/teams/${(await teamOf(w)).id}`), query: byOwner(w), body: { name: unique('Renamed') } }),
    },
    {
      ...ownerAlone,
      method: 'DELETE',
      name: '/collaboration/teams/:id?ownerId',
      ok: 204,
      idOnly: true,
      build: async (w, _who, succeeds) => ({ path: api(`/collaboration/teams/${(await pick(w, succeeds)).id}`), query: byOwner(w) }),
    },
    {
      ...ownerAlone,
      method: 'PUT',
      name: '/collaboration/teams/:id/members/:memberId?ownerId',
      ok: 200,
      idOnly: true,
      build: async (w) => ({ path: api(`/collaboration/teams/${(await teamOf(w)).id}/members/${w.target.memberId}`), query: byOwner(w) }),
    },
    {
      ...ownerAlone,
      method: 'DELETE',
      name: '/collaboration/teams/:id/members/:memberId?ownerId',
      ok: 204,
      idOnly: true,
      build: async (w, _who, succeeds) => ({ path: api(`/collaboration/teams/${(await pick(w, succeeds)).id}/members/${w.target.memberId}`), query: byOwner(w) }),
    },
    {
      ...ownerAlone,
      method: 'GET',
      name: '/collaboration/teams/:id/shares?ownerId',
      ok: 200,
      idOnly: true,
      build: async (w) => ({ path: api(`/collaboration/teams/${(await teamOf(w)).id}/shares`), query: { ...byOwner(w), limit: '200' } }),
    },
    {
      ...ownerAlone,
      method: 'POST',
      name: '/collaboration/teams/:id/shares?ownerId',
      ok: 201,
      idOnly: true,
      build: async (w, _who, succeeds) => ({
        path: api(`/collaboration/teams/${(await pick(w, succeeds)).id}/shares`),
        query: byOwner(w),
        body: { resource: { type: 'group', id: w.group.id }, roleIds: ['viewer'] },
      }),
    },
    {
      ...ownerAlone,
      method: 'PATCH',
      name: '/collaboration/teams/:id/shares/:shareId?ownerId',
      ok: 200,
      idOnly: true,
      build: async (w) => {
        const team = await teamOf(w);
        return { path: api(`/collaboration/teams/${team.id}/shares/${team.shareId}`), query: byOwner(w), body: { reviewBy: new Date(Date.now() + 30 * 86_400_000).toISOString() } };
      },
    },
    {
      ...ownerAlone,
      method: 'DELETE',
      name: '/collaboration/teams/:id/shares/:shareId?ownerId',
      ok: 204,
      idOnly: true,
      build: async (w, _who, succeeds) => {
        const team = await pick(w, succeeds);
        return { path: api(`/collaboration/teams/${team.id}/shares/${team.shareId}`), query: byOwner(w) };
      },
    },
  ];
}
