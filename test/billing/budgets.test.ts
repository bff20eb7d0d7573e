import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBudgets } from '../../src/billing/budgets/check.js';
import { ManualClock } from '../../src/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { newestMail } from '../support/mail.js';
import { type Account, createPaidOwner } from '../factories.js';
import { manualBillingWorkers, meter } from '../factories/billing.js';
import { invite, inviteAndAccept, type Member, share } from '../factories/collaboration.js';
import { createRunningEnvironment, envName, expectStatus, lifecycle, settleRuntime, withImages } from '../factories/environments.js';

const config = { sessionIdleSeconds: 365 * 24 * 3600, sessionMaxSeconds: 365 * 24 * 3600, pricePerCloudletHour: 0.01 };
const clock = new ManualClock('2030-04-01T00:10:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ clock, config, workers: true });
  await manualBillingWorkers(t);
});
afterAll(() => t.close());

const tenCloudlets = [{ role: 'app', count: 1, cloudlets: 10 }];

async function setBudget(owner: Account, member: Member, body: Record<string, unknown>, status = 200) {
  const answer = await t.http.as(owner).put(`/api/v1/collaboration/members/${member.memberId}/budget`, body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  return answer.body;
}

async function countOf(as: Account, type: string): Promise<number> {
  const answer = await t.http.as(as).get('/api/v1/notifications', { query: { limit: '100' } });
  return answer.body.items.filter((item: { type: string }) => item.type === type).length;
}

async function developerMember(owner: Account): Promise<Member> {
  const member = await inviteAndAccept(t, owner);
  await share(t, owner, member.memberId, { type: 'account' }, ['developer']);
  return member;
}

describe('spend guardrails per member', () => {
  it('a member with a budget of 1.00 is warned with its owner at 0.80, then blocked from starting its environments once they cost 1.00; raising it lifts the block at once', async () => {
    const owner = await createPaidOwner(t);
    const member = await developerMember(owner);
    clock.set('2030-04-01T00:10:00Z');
    const set = await setBudget(owner, member, { monthlyBudget: '1.00' });
    expect(set.budget).toMatchObject({ monthlyBudget: '1.000000', hardStop: false, maxCloudlets: null, spentThisMonth: '0.000000', month: '2030-04' });

    // 0.10 an hour: the hour it starts is charged at once.
    const env = await createRunningEnvironment(t, member, { ownerId: owner.id, nodes: tenCloudlets });
    await meter(t);
    clock.set('2030-04-01T06:10:00Z');
    await meter(t);
    expect(await countOf(owner, 'budget.warning')).toBe(0);

    clock.set('2030-04-01T07:10:00Z'); // hours 00..07: 0.80
    await meter(t);
    await meter(t);
    expect(await countOf(owner, 'budget.warning')).toBe(1);
    expect(await countOf(member, 'budget.warning')).toBe(1);
    expect(await newestMail(t, owner.email, 'budget.warning')).toContain('0.80');
    await lifecycle(t, member, env.id, 'stop');
    await lifecycle(t, member, env.id, 'start');

    clock.set('2030-04-01T09:10:00Z'); // hours 00..09: 1.00
    await meter(t);
    expect(await countOf(owner, 'budget.reached')).toBe(1);
    expect(await countOf(member, 'budget.reached')).toBe(1);
    await lifecycle(t, member, env.id, 'stop');
    const start = await t.http.as(member).post(`/api/v1/environments/${env.id}/start`);
    expect([start.status, start.body.code]).toEqual([409, 'spend_cap_reached']);
    const create = await t.http.as(member).post('/api/v1/environments', { name: envName(), ownerId: owner.id, nodes: withImages(tenCloudlets) });
    expect([create.status, create.body.code]).toEqual([409, 'spend_cap_reached']);
    const scale = await t.http.as(member).put(`/api/v1/environments/${env.id}/topology`, { nodes: withImages([{ role: 'app', count: 2, cloudlets: 10 }]) });
    expect([scale.status, scale.body.code]).toEqual([409, 'spend_cap_reached']);
    const report = await t.http.as(owner).get('/api/v1/billing/usage', { query: { groupBy: 'creator', from: '2030-04-01T00:00:00Z', to: '2030-04-02T00:00:00Z' } });
    const row = report.body.items.find((item: { creator: { id: string } | null }) => item.creator?.id === member.id);
    expect(row).toMatchObject({ spentThisMonth: '1.000000', budget: { percent: 100, reached: true, warned: true } });

    await setBudget(owner, member, { monthlyBudget: '2.00' });
    await lifecycle(t, member, env.id, 'start');
    // Told once a month per threshold, however often metering passes.
    await meter(t);
    expect(await countOf(owner, 'budget.warning')).toBe(1);
    expect(await countOf(owner, 'budget.reached')).toBe(1);
    await lifecycle(t, member, env.id, 'stop');
  });

  it('with hard stop, the member’s running environments are stopped by the worker at 100 %; the owner’s own are not touched', async () => {
    const owner = await createPaidOwner(t);
    const member = await developerMember(owner);
    clock.set('2030-05-01T00:10:00Z');
    await setBudget(owner, member, { monthlyBudget: '0.30', hardStop: true });
    const env = await createRunningEnvironment(t, member, { ownerId: owner.id, nodes: tenCloudlets });
    const own = await createRunningEnvironment(t, owner, { nodes: tenCloudlets });
    clock.set('2030-05-01T02:10:00Z');
    await meter(t);
    await settleRuntime(t);
    await expectStatus(t, member, env.id, 'stopped');
    await expectStatus(t, owner, own.id, 'running');
    const audit = await t.http.as(owner).get('/api/v1/audit', { query: { action: 'environment.stop' } });
    expect(audit.body.items.some((item: { targetId: string; actorId: string | null }) => item.targetId === env.id && item.actorId === null)).toBe(true);
    // The hard stop happens once a month: the member may not start it again, but the owner may, and it stays running.
    const again = await t.http.as(member).post(`/api/v1/environments/${env.id}/start`);
    expect([again.status, again.body.code]).toEqual([409, 'spend_cap_reached']);
    await lifecycle(t, owner, env.id, 'start');
    clock.set('2030-05-01T04:10:00Z');
    await meter(t);
    await settleRuntime(t);
    await expectStatus(t, owner, env.id, 'running');
    const stops = await t.http.as(owner).get('/api/v1/audit', { query: { action: 'environment.stop' } });
    expect(stops.body.items.filter((item: { targetId: string; actorId: string | null }) => item.targetId === env.id && item.actorId === null)).toHaveLength(1);
    await lifecycle(t, owner, env.id, 'stop');
    await lifecycle(t, owner, own.id, 'stop');
  });

  it('a cap on cloudlets running at once holds back a create past it', async () => {
    const owner = await createPaidOwner(t);
    const member = await developerMember(owner);
    clock.set('2030-06-01T00:10:00Z');
    await setBudget(owner, member, { monthlyBudget: '100', maxCloudlets: 12 });
    const env = await createRunningEnvironment(t, member, { ownerId: owner.id, nodes: tenCloudlets });
    const create = await t.http.as(member).post('/api/v1/environments', { name: envName(), ownerId: owner.id, nodes: withImages([{ role: 'app', count: 1, cloudlets: 4 }]) });
    expect([create.status, create.body.code]).toEqual([409, 'spend_cap_reached']);
    await createRunningEnvironment(t, member, { ownerId: owner.id, nodes: [{ role: 'app', count: 1, cloudlets: 2 }] });
    await lifecycle(t, member, env.id, 'stop');
  });

  it('two nodes checking at once tell each threshold once', async () => {
    const second = await startTestApp({ database: t.db, clock, config });
    try {
      const owner = await createPaidOwner(t);
      const member = await developerMember(owner);
      clock.set('2030-07-01T00:10:00Z');
      await setBudget(owner, member, { monthlyBudget: '0.10' });
      const env = await createRunningEnvironment(t, member, { ownerId: owner.id, nodes: tenCloudlets });
      await t.workers?.metering.runOnce();
      await Promise.all([checkBudgets(t.ctx), checkBudgets(second.ctx), checkBudgets(t.ctx), checkBudgets(second.ctx)]);
      expect(await countOf(owner, 'budget.warning')).toBe(1);
      expect(await countOf(owner, 'budget.reached')).toBe(1);
      expect(await countOf(member, 'budget.reached')).toBe(1);
      await lifecycle(t, member, env.id, 'stop');
    } finally {
      await second.close();
    }
  });

  it('only the owner sets budgets, only for members who joined, and with amounts written as money', async () => {
    const owner = await createPaidOwner(t);
    const manager = await inviteAndAccept(t, owner);
    await share(t, owner, manager.memberId, { type: 'account' }, ['admin']);
    const member = await developerMember(owner);
    const byManager = await t.http.as(manager).put(`/api/v1/collaboration/members/${member.memberId}/budget`, { monthlyBudget: '5' }, { query: { ownerId: owner.id } });
    expect([byManager.status, byManager.body.code]).toEqual([403, 'forbidden']);
    for (const monthlyBudget of ['1e3', '-1', '0.1234567', 'ten']) {
      const bad = await t.http.as(owner).put(`/api/v1/collaboration/members/${member.memberId}/budget`, { monthlyBudget });
      expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
    }
    const pending = await invite(t, owner);
    const early = await t.http.as(owner).put(`/api/v1/collaboration/members/${pending.memberId}/budget`, { monthlyBudget: '5' });
    expect([early.status, early.body.code]).toEqual([409, 'invalid_state']);
    await setBudget(owner, member, { monthlyBudget: '5' });
    expect((await t.http.as(owner).delete(`/api/v1/collaboration/members/${member.memberId}/budget`)).status).toBe(204);
    expect((await t.http.as(owner).get(`/api/v1/collaboration/members/${member.memberId}/budget`)).body).toEqual({ budget: null });
  });
});
