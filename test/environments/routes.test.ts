import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { type Account, createAdmin, createOwner } from '../factories.js';
import { createRunningEnvironment, envName, singleNode } from '../factories/environments.js';

let t: TestApp;
let owner: Account;
let env: { id: string };

beforeAll(async () => {
  t = await startTestApp();
  owner = await createOwner(t);
  env = await createRunningEnvironment(t, owner);
});
afterAll(async () => t.close());

/** Every environment route, with a body that would succeed for the owner. */
const routes = (id: string): Array<[string, string, unknown?]> => [
  ['GET', `/api/v1/environments/${id}`],
  ['PATCH', `/api/v1/environments/${id}`, { displayName: 'Taken over' }],
  ['DELETE', `/api/v1/environments/${id}`],
  ['POST', `/api/v1/environments/${id}/start`, {}],
  ['POST', `/api/v1/environments/${id}/stop`, {}],
  ['POST', `/api/v1/environments/${id}/restart`, {}],
  ['POST', `/api/v1/environments/${id}/clone`, { name: envName('stolen') }],
  ['PUT', `/api/v1/environments/${id}/topology`, { nodes: singleNode }],
  ['POST', `/api/v1/environments/${id}/deploy`, { source: 'https://example.com/app.zip' }],
  ['GET', `/api/v1/environments/${id}/variables`],
  ['PUT', `/api/v1/environments/${id}/variables`, { variables: { A: 'b' } }],
  ['GET', `/api/v1/environments/${id}/logs`],
  ['POST', `/api/v1/environments/${id}/exec`, { command: 'ls' }],
];

describe('every environment route', () => {
  it("answers 404 on another account's environment, exactly as on a missing one, and changes nothing", async () => {
    const stranger = await createOwner(t);
    await expectNoChange(t, async () => {
      for (const [method, path, body] of routes(env.id)) {
        const theirs = await t.http.as(stranger).request(method, path, body);
        const missing = await t.http.as(stranger).request(method, path.replace(env.id, 'f0e1d2c3-0000-4000-8000-000000000000'), body);
        expect(theirs.status, `${method} ${path}`).toBe(404);
        expect(theirs.body.code).toBe('not_found');
        expect(theirs.body.detail).toBe(missing.body.detail);
      }
    });
  });

  it('answers 401 without a session or with a forged token, and changes nothing', async () => {
    await expectNoChange(t, async () => {
      for (const [method, path, body] of [...routes(env.id), ['GET', '/api/v1/environments'], ['POST', '/api/v1/environments', { name: envName(), nodes: singleNode }]] as const) {
        expect((await t.http.request(method, path, body)).status, `${method} ${path}`).toBe(401);
        expect((await t.http.request(method, path, body, { token: 'sps_forged' })).status, `${method} ${path}`).toBe(401);
      }
    });
  });

  it('answers 403 trial_expired to an owner whose trial has ended, even on its own environment', async () => {
    const admin = await createAdmin(t);
    const expiring = await createOwner(t);
    const own = await createRunningEnvironment(t, expiring);
    const past = new Date(t.clock.now().getTime() - 1).toISOString();
    expect((await t.http.as(admin).post(`/api/v1/admin/users/${expiring.id}/trial`, { endsAt: past })).status).toBe(200);
    await expectNoChange(t, async () => {
      for (const [method, path, body] of [...routes(own.id), ['GET', '/api/v1/environments'], ['GET', '/api/v1/groups']] as const) {
        const answer = await t.http.as(expiring).request(method, path, body);
        expect(answer.status, `${method} ${path}`).toBe(403);
        expect(answer.body.code).toBe('trial_expired');
      }
    });
  });
});
