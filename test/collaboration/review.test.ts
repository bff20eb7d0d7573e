import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../src/clock.js';
import { remindReviews } from '../../src/collaboration/review/reminders.js';
import { outbox, shares } from '../../src/db/schema/index.js';
import { usageWritesSettled } from '../../src/http/authorize/usage.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createPaidOwner } from '../factories.js';
import { inviteAndAccept, share } from '../factories/collaboration.js';
import { createGroup, createRunningEnvironment, envName, withImages } from '../factories/environments.js';

let t: TestApp;

beforeAll(async () => {
  // Reviews look months ahead: sessions must outlive the clock's jumps.
  t = await startTestApp({ config: { sessionIdleSeconds: 365 * 24 * 3600, sessionMaxSeconds: 365 * 24 * 3600 } });
});
afterAll(() => t.close());

async function world() {
  const owner = await createPaidOwner(t);
  const env = await createRunningEnvironment(t, owner);
  const idle = await inviteAndAccept(t, owner);
  const idleShare = await share(t, owner, idle.memberId, { type: 'environment', id: env.id }, ['viewer']);
  const busy = await inviteAndAccept(t, owner);
  const busyShare = await share(t, owner, busy.memberId, { type: 'environment', id: env.id }, ['operator']);
  return { owner, env, idle, idleShare, busy, busyShare };
}

const review = async (as: Parameters<TestApp['http']['as']>[0], query: Record<string, string> = {}) => t.http.as(as).get('/api/v1/collaboration/review', { query });
const ids = (items: Array<{ id: string }>) => items.map((item) => item.id);

/** A member's read of the environment, with its last-use write settled (it runs after the answer). */
async function use(who: Parameters<TestApp['http']['as']>[0], envId: string) {
  expect((await t.http.as(who).get(`/api/v1/environments/${envId}`)).status).toBe(200);
  await usageWritesSettled(t.ctx);
}

const lastUsed = async (shareId: string) => (await t.ctx.db.select({ at: shares.lastUsedAt }).from(shares).where(eq(shares.id, shareId)))[0]?.at?.toISOString() ?? null;

describe('access review', () => {
  it('lists a share nobody used, and a member who never used its access, but not what is in use', async () => {
    const { owner, env, idle, idleShare, busy, busyShare } = await world();
    await use(busy, env.id);
    t.clock.advance(31 * DAY);
    await use(busy, env.id);
    const answer = await review(owner);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(ids(answer.body.unusedShares)).toContain(idleShare);
    expect(ids(answer.body.unusedShares)).not.toContain(busyShare);
    expect(answer.body.unusedShares.find((s: { id: string }) => s.id === idleShare)).toMatchObject({ memberLabel: idle.name, lastUsedAt: null });
    expect(answer.body.idleMembers.map((m: { memberId: string }) => m.memberId)).toEqual([idle.memberId]);
    // Unused for more than 40 days: nothing yet.
    expect(ids((await review(owner, { unusedDays: '40' })).body.unusedShares)).not.toContain(idleShare);
  });

  it("records a share's last use at most once an hour", async () => {
    const { env, busy, busyShare } = await world();
    await use(busy, env.id);
    const first = t.clock.now().toISOString();
    expect(await lastUsed(busyShare)).toBe(first);
    t.clock.advance(30 * MINUTE);
    await use(busy, env.id);
    expect(await lastUsed(busyShare)).toBe(first);
    t.clock.advance(31 * MINUTE);
    await use(busy, env.id);
    expect(await lastUsed(busyShare)).toBe(t.clock.now().toISOString());
  });

  it('records the share that decided a creation in a group, and the account share of a manager acting on members', async () => {
    const owner = await createPaidOwner(t);
    const group = await createGroup(t, owner);
    const developer = await inviteAndAccept(t, owner);
    const groupShare = await share(t, owner, developer.memberId, { type: 'group', id: group.id }, ['developer']);
    const accountShare = await share(t, owner, developer.memberId, { type: 'account' }, ['viewer']);
    const manager = await inviteAndAccept(t, owner);
    const managerShare = await share(t, owner, manager.memberId, { type: 'account' }, ['admin']);
    t.clock.advance(2 * HOUR);
    const created = await t.http.as(developer).post('/api/v1/environments', { name: envName(), ownerId: owner.id, groupId: group.id, nodes: withImages([{ role: 'app', count: 1, cloudlets: 1 }]) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await usageWritesSettled(t.ctx);
    // The group share decided the creation; the account share, below it in precedence, did not.
    expect(await lastUsed(groupShare)).toBe(t.clock.now().toISOString());
    expect(await lastUsed(accountShare)).toBeNull();
    // A route any member may use (its own notifications) decides on no share.
    expect((await t.http.as(manager).get('/api/v1/notifications')).status).toBe(200);
    await usageWritesSettled(t.ctx);
    expect(await lastUsed(managerShare)).toBeNull();
    expect((await t.http.as(manager).get('/api/v1/collaboration/members', { query: { ownerId: owner.id } })).status).toBe(200);
    await usageWritesSettled(t.ctx);
    expect(await lastUsed(managerShare)).toBe(t.clock.now().toISOString());
  });

  it('lists shares ending within a week and stale tokens; only the owner reviews', async () => {
    const { owner, env, busy } = await world();
    const ending = await share(t, owner, busy.memberId, { type: 'account' }, ['viewer'], { expiresAt: new Date(t.clock.now().getTime() + 5 * DAY).toISOString() });
    const token = (await t.http.as(busy).post('/api/v1/tokens', { name: 'old script' })).body;
    const manager = await inviteAndAccept(t, owner);
    await share(t, owner, manager.memberId, { type: 'account' }, ['admin']);
    expect(ids((await review(owner)).body.expiringShares)).toEqual([ending]);
    t.clock.advance(31 * DAY);
    await use(busy, env.id);
    expect(ids((await review(owner)).body.staleTokens)).toContain(token.id);
    expect((await review(manager, { ownerId: owner.id })).status).toBe(403);
  });

  it('a review date set on a share mails the owner once, three days before, whatever the number of nodes', async () => {
    const { owner, idle, idleShare } = await world();
    const reviewBy = new Date(t.clock.now().getTime() + 10 * DAY).toISOString();
    const bellBefore = (await t.http.as(idle).get('/api/v1/notifications')).body.items.length;
    const set = await t.http.as(owner).patch(`/api/v1/collaboration/members/${idle.memberId}/shares/${idleShare}`, { reviewBy });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.reviewBy).toBe(reviewBy);
    // Only a date: the member is not told.
    expect((await t.http.as(idle).get('/api/v1/notifications')).body.items.length).toBe(bellBefore);
    const reminders = async () => t.ctx.db.$count(outbox, and(eq(outbox.kind, 'share.review_due'), eq(outbox.toAddress, owner.email)));
    await Promise.all([remindReviews(t.ctx), remindReviews(t.ctx)]);
    expect(await reminders()).toBe(0);
    t.clock.advance(7 * DAY + HOUR);
    await Promise.all([remindReviews(t.ctx), remindReviews(t.ctx), remindReviews(t.ctx)]);
    await remindReviews(t.ctx);
    expect(await reminders()).toBe(1);
    expect(ids((await review(owner)).body.reviewDue)).toContain(idleShare);
    const past = await t.http.as(owner).patch(`/api/v1/collaboration/members/${idle.memberId}/shares/${idleShare}`, { reviewBy: new Date(t.clock.now().getTime() - HOUR).toISOString() });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].path).toBe('reviewBy');
  });
});
