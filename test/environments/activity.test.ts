import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE } from '../../src/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { type Account, createPaidOwner } from '../factories.js';
import { inviteAndAccept, type Member, share } from '../factories/collaboration.js';
import { createRunningEnvironment, lifecycle, type TestEnvironment } from '../factories/environments.js';

const clock = new ManualClock('2030-07-01T08:00:00Z');
let t: TestApp;
let owner: Account;
let manager: Member;
let developer: Member;
let viewer: Member;
let env: TestEnvironment;
let other: TestEnvironment;

const activity = (as: Account, id = env.id, query: Record<string, string | number> = {}) => t.http.as(as).get(`/api/v1/environments/${id}/activity`, { query });
const lines = (items: any[]) => items.map((item) => `${item.actor.label}:${item.action}:${item.outcome}`);

async function alias(member: Member, displayName: string) {
  expect((await t.http.as(owner).patch(`/api/v1/collaboration/members/${member.memberId}`, { displayName })).status).toBe(200);
}

beforeAll(async () => {
  t = await startTestApp({ clock, workers: true });
  owner = await createPaidOwner(t, 'owner');
  manager = await inviteAndAccept(t, owner, { account: await createPaidOwner(t, 'manager') });
  developer = await inviteAndAccept(t, owner, { account: await createPaidOwner(t, 'developer') });
  viewer = await inviteAndAccept(t, owner, { account: await createPaidOwner(t, 'viewer') });
  await alias(manager, 'Ops lead');
  await alias(developer, 'Contractor');
  await share(t, owner, manager.memberId, { type: 'account' }, ['admin']);
  env = await createRunningEnvironment(t, owner);
  other = await createRunningEnvironment(t, owner);
  await share(t, owner, developer.memberId, { type: 'environment', id: env.id }, ['developer']);
  await share(t, owner, viewer.memberId, { type: 'environment', id: env.id }, ['viewer']);
  clock.advance(MINUTE);
  await lifecycle(t, developer, env.id, 'restart');
  clock.advance(MINUTE);
  expect((await t.http.as(viewer).post(`/api/v1/environments/${env.id}/stop`)).status).toBe(403);
  clock.advance(MINUTE);
  await lifecycle(t, manager, env.id, 'restart');
  await lifecycle(t, owner, other.id, 'restart');
});
afterAll(() => t.close());

describe('activity of an environment', () => {
  it('tells the owner who did what on it, members by their alias (else their address), newest first', async () => {
    const answer = await activity(owner);
    expect(answer.status).toBe(200);
    expect(lines(answer.body.items).slice(0, 3)).toEqual(['Ops lead:environment.restart:ok', `${viewer.email}:environment.stop:denied`, 'Contractor:environment.restart:ok']);
    expect(lines(answer.body.items)).toContain('you:environment.create:ok');
    expect(answer.body.items.every((item: any) => item.action !== 'environment.restart' || item.at >= '2030-07-01T08:01:00.000Z')).toBe(true);
    // Only this environment's events.
    const otherActivity = await activity(owner, other.id);
    expect(lines(otherActivity.body.items)).toEqual(['you:environment.restart:ok', 'you:environment.create:ok']);
  });

  it('gives a manager the aliases too, and any other member only "the owner", "you" or "a collaborator"', async () => {
    expect(lines((await activity(manager)).body.items).slice(0, 3)).toEqual([`you:environment.restart:ok`, `${viewer.email}:environment.stop:denied`, 'Contractor:environment.restart:ok']);
    const seen = await activity(viewer);
    expect(seen.status).toBe(200);
    expect(lines(seen.body.items).slice(0, 3)).toEqual(['a collaborator:environment.restart:ok', 'you:environment.stop:denied', 'a collaborator:environment.restart:ok']);
    expect(lines(seen.body.items)).toContain('the owner:environment.create:ok');
    expect(JSON.stringify(seen.body)).not.toMatch(/Ops lead|Contractor|@/);
  });

  it('pages with a cursor', async () => {
    const first = await activity(owner, env.id, { limit: 2 });
    expect(first.body.items).toHaveLength(2);
    const second = await activity(owner, env.id, { limit: 2, cursor: first.body.nextCursor });
    expect(second.body.items[0].id).not.toBe(first.body.items[1].id);
    expect(Number(second.body.items[0].id)).toBeLessThan(Number(first.body.items[1].id));
    expect((await activity(owner, env.id, { cursor: 'nope' })).body.code).toBe('validation_failed');
  });

  it('is 404 for whoever cannot see the environment', async () => {
    expect((await activity(viewer, other.id)).status).toBe(404);
    expect((await activity(await createPaidOwner(t, 'stranger'))).status).toBe(404);
  });
});
