import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, ManualClock, MINUTE } from '../../src/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { type Account, createOwner, createPaidOwner, setTrialEnd } from '../factories.js';
import { manualBillingWorkers } from '../factories/billing.js';
import { endMembership, inviteAndAccept, type Member, share } from '../factories/collaboration.js';
import { createRunningEnvironment, lifecycle, type TestEnvironment } from '../factories/environments.js';

const config = { sessionIdleSeconds: 365 * 24 * 3600, sessionMaxSeconds: 365 * 24 * 3600 };
const clock = new ManualClock('2030-05-01T08:00:00Z');
let t: TestApp;
let owner: Account;
let member: Member;
let other: Account;
let envA: TestEnvironment;
let envB: TestEnvironment;
let envM: TestEnvironment;

interface Item {
  id: string;
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  ownerId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  outcome: string;
  requestId: string | null;
}

const audit = (as: Account, query: Record<string, string | number | undefined> = {}) => t.http.as(as).get('/api/v1/audit', { query });
const who = (id: string | null) => (id === member.id ? 'member' : id === owner.id ? 'owner' : 'other');
const actions = (items: Item[]) => items.map((item) => `${who(item.actorId)}:${item.action}:${item.outcome}`);

beforeAll(async () => {
  t = await startTestApp({ clock, config, workers: true });
  await manualBillingWorkers(t);
  owner = await createPaidOwner(t, 'owner');
  other = await createPaidOwner(t, 'other');
  member = await inviteAndAccept(t, owner, { account: await createPaidOwner(t, 'member') });
  await share(t, owner, member.memberId, { type: 'account' }, ['operator']);
  // One action a minute from 08:01 on.
  clock.set('2030-05-01T08:01:00Z');
  envA = await createRunningEnvironment(t, owner);
  clock.advance(MINUTE);
  envB = await createRunningEnvironment(t, owner);
  clock.advance(MINUTE);
  await lifecycle(t, member, envA.id, 'stop');
  clock.advance(MINUTE);
  expect((await t.http.as(member).delete(`/api/v1/environments/${envA.id}`)).status).toBe(403);
  clock.advance(MINUTE);
  await lifecycle(t, member, envB.id, 'restart');
  // The member's own account, and a stranger acting in theirs: never in the owner's log.
  clock.advance(MINUTE);
  envM = await createRunningEnvironment(t, member);
  clock.advance(MINUTE);
  await createRunningEnvironment(t, other);
});
afterAll(async () => {
  await t.close();
});

describe('the audit log', () => {
  it("gives an owner the whole account's log, newest first, members' actions included with the member as actor", async () => {
    const answer = await audit(owner, { action: 'environment.*' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(actions(answer.body.items)).toEqual([
      'member:environment.restart:ok',
      'member:environment.delete:denied',
      'member:environment.stop:ok',
      'owner:environment.create:ok',
      'owner:environment.create:ok',
    ]);
    const first: Item = answer.body.items[0];
    expect(first).toMatchObject({
      actorId: member.id,
      actorEmail: member.email,
      ownerId: owner.id,
      targetType: 'environment',
      targetId: envB.id,
      outcome: 'ok',
    });
    expect(first.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(first.at).toISOString()).toBe(first.at);
    expect(answer.body.nextCursor).toBeNull();
  });

  it("holds the account's own events written by the product, the platform admin's included", async () => {
    const answer = await audit(owner, { action: 'account.*' });
    expect(answer.body.items.map((item: Item) => item.action)).toEqual(['account.convert', 'account.verify_email', 'account.login', 'account.signup']);
    expect(who(answer.body.items[0].actorId)).toBe('other');
    expect(answer.body.items.every((item: Item) => item.requestId)).toBe(true);
  });

  it('filters by environment, actor, action, outcome and time', async () => {
    expect(actions((await audit(owner, { environmentId: envB.id, action: 'environment.*' })).body.items)).toEqual([
      'member:environment.restart:ok',
      'owner:environment.create:ok',
    ]);
    expect(actions((await audit(owner, { actorId: member.id, action: 'environment.*' })).body.items)).toEqual([
      'member:environment.restart:ok',
      'member:environment.delete:denied',
      'member:environment.stop:ok',
    ]);
    expect(actions((await audit(owner, { action: 'environment.stop' })).body.items)).toEqual(['member:environment.stop:ok']);
    expect(actions((await audit(owner, { outcome: 'denied', action: 'environment.*' })).body.items)).toEqual(['member:environment.delete:denied']);
    // The environment events are a minute apart from 08:01 on; [08:03, 08:05) holds the stop and the refused delete.
    const window = await audit(owner, { from: '2030-05-01T08:03:00Z', to: '2030-05-01T08:05:00Z', action: 'environment.*' });
    expect(actions(window.body.items)).toEqual(['member:environment.delete:denied', 'member:environment.stop:ok']);
  });

  it('pages with limit and cursor without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const answer = await audit(owner, { action: 'environment.*', limit: 2, cursor });
      expect(answer.status).toBe(200);
      expect(answer.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...answer.body.items.map((item: Item) => item.id));
      cursor = answer.body.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    const all = await audit(owner, { action: 'environment.*' });
    expect(seen).toEqual(all.body.items.map((item: Item) => item.id));
  });

  it("shows a member only its own actions in the owner's account", async () => {
    const answer = await audit(member, { ownerId: owner.id });
    expect(answer.status).toBe(200);
    expect(actions(answer.body.items)).toEqual([
      'member:environment.restart:ok',
      'member:environment.delete:denied',
      'member:environment.stop:ok',
      'member:collaboration.accept:ok',
    ]);
    expect(answer.body.items.every((item: Item) => !('details' in item))).toBe(true);
    // Asking for the owner's actions finds none of them.
    expect((await audit(member, { ownerId: owner.id, actorId: owner.id })).body.items).toEqual([]);
  });

  it("gives a member without ownerId its own account's log, not the accounts it works in", async () => {
    const answer = await audit(member, { action: 'environment.*' });
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((item: Item) => [item.ownerId, item.targetId])).toEqual([[member.id, envM.id]]);
  });

  it('refuses strangers, departed members and bad input, and changes nothing', async () => {
    await expectNoChange(t, async () => {
      expect((await t.http.get('/api/v1/audit')).status).toBe(401);
      const stranger = await audit(other, { ownerId: owner.id });
      expect(stranger.status).toBe(404);
      expect(stranger.body.code).toBe('not_found');
      expect((await audit(other, { ownerId: 'no-such-account' })).status).toBe(404);
      const badCursor = await audit(owner, { cursor: 'not-a-cursor' });
      expect(badCursor.status).toBe(400);
      expect(badCursor.body.errors[0].path).toBe('querystring.cursor');
      const badOutcome = await audit(owner, { outcome: 'maybe' });
      expect(badOutcome.status).toBe(400);
      expect(badOutcome.body.errors[0].path).toBe('querystring.outcome');
      expect((await audit(owner, { limit: 0 })).status).toBe(400);
      expect((await audit(owner, { from: '2030-05-02T00:00:00Z', to: '2030-05-01T00:00:00Z' })).status).toBe(400);
    });
    await endMembership(t, 'suspend', owner, member, member.memberId);
    expect((await audit(member, { ownerId: owner.id })).status).toBe(404);
    expect((await t.http.as(owner).post(`/api/v1/collaboration/members/${member.memberId}/activate`)).status).toBe(200);
    expect((await audit(member, { ownerId: owner.id })).status).toBe(200);
  });

  it('answers 403 trial_expired to an account whose trial has ended', async () => {
    const expired = await createOwner(t, 'expired');
    await setTrialEnd(t, expired, new Date(clock.now().getTime() - DAY));
    await expectNoChange(t, async () => {
      const answer = await audit(expired);
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('trial_expired');
    });
  });
});
