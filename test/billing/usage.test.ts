import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, ManualClock, MINUTE } from '../../src/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { type Account, createPaidOwner } from '../factories.js';
import { balanceOf, manualBillingWorkers, meter } from '../factories/billing.js';
import { createRole, endMembership, inviteAndAccept, type Member, share } from '../factories/collaboration.js';
import { createRunningEnvironment, lifecycle, type TestEnvironment } from '../factories/environments.js';

const config = { sessionIdleSeconds: 365 * 24 * 3600, sessionMaxSeconds: 365 * 24 * 3600, pricePerCloudletHour: 0.002 };
const clock = new ManualClock('2030-04-01T09:10:00Z');
let t: TestApp;

// One owner with three environments that ran for known hours; a member created one of them.
let owner: Account;
let member: Member;
let web: TestEnvironment;
let db: TestEnvironment;
let worker: TestEnvironment;

beforeAll(async () => {
  t = await startTestApp({ clock, config, workers: true });
  await manualBillingWorkers(t);
  owner = await createPaidOwner(t, 'owner');
  member = await inviteAndAccept(t, owner, { name: 'The Developer' });
  await share(t, owner, member.memberId, { type: 'account' }, ['developer']);
  // web: 09:00-11:00 (3 hours, 4 cloudlets); db: 09:00 (1 hour, 8); worker: 10:00-11:00 (2 hours, 1).
  web = await createRunningEnvironment(t, owner, { name: 'web-usage', nodes: [{ role: 'app', count: 2, cloudlets: 2 }] });
  db = await createRunningEnvironment(t, owner, { name: 'db-usage', nodes: [{ role: 'db', count: 1, cloudlets: 8 }] });
  clock.advance(20 * MINUTE);
  await lifecycle(t, owner, db.id, 'stop');
  clock.set('2030-04-01T10:30:00Z');
  worker = await createRunningEnvironment(t, member, { name: 'worker-usage', ownerId: owner.id, nodes: [{ role: 'app', count: 1, cloudlets: 1 }] });
  clock.set('2030-04-01T11:45:00Z');
  await lifecycle(t, owner, web.id, 'stop');
  await lifecycle(t, owner, worker.id, 'stop');
  await meter(t);
  clock.set('2030-04-02T12:00:00Z');
});
afterAll(async () => {
  await t.close();
});

const usage = (as: Account, query: Record<string, string | undefined> = {}) => t.http.as(as).get('/api/v1/billing/usage', { query });

/** A fresh member of the owner with one share per entry. */
async function memberWith(...grants: Array<[Parameters<typeof share>[3], string[]]>): Promise<Member> {
  const fresh = await inviteAndAccept(t, owner);
  for (const [resource, roleIds] of grants) await share(t, owner, fresh.memberId, resource, roleIds);
  return fresh;
}

describe('usage report', () => {
  it('groups usage and cost by environment, with totals and the hourly price', async () => {
    const answer = await usage(owner);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({
      ownerId: owner.id,
      groupBy: 'environment',
      scope: 'account',
      pricePerCloudletHour: '0.002',
      total: { hours: 6, cloudletHours: 22, cost: '0.044000' },
    });
    expect(answer.body.to).toBe('2030-04-02T12:00:00.000Z');
    expect(answer.body.from).toBe('2030-03-03T12:00:00.000Z');
    expect(answer.body.items).toEqual([
      {
        environment: { id: web.id, name: 'web-usage', displayName: 'web-usage' },
        creator: { id: owner.id, name: owner.name, email: owner.email, label: owner.name },
        hours: 3,
        cloudletHours: 12,
        cost: '0.024000',
      },
      {
        environment: { id: db.id, name: 'db-usage', displayName: 'db-usage' },
        creator: { id: owner.id, name: owner.name, email: owner.email, label: owner.name },
        hours: 1,
        cloudletHours: 8,
        cost: '0.016000',
      },
      {
        environment: { id: worker.id, name: 'worker-usage', displayName: 'worker-usage' },
        creator: { id: member.id, name: 'The Developer', email: member.email, label: 'The Developer' },
        hours: 2,
        cloudletHours: 2,
        cost: '0.004000',
      },
    ]);
  });

  it('groups by creator, so the owner sees what each collaborator costs', async () => {
    const answer = await usage(owner, { groupBy: 'creator' });
    expect(answer.status).toBe(200);
    expect(answer.body.items).toEqual([
      { creator: { id: owner.id, name: owner.name, email: owner.email, label: owner.name }, environments: 2, hours: 4, cloudletHours: 20, cost: '0.040000', budget: null, spentThisMonth: null },
      { creator: { id: member.id, name: 'The Developer', email: member.email, label: 'The Developer' }, environments: 1, hours: 2, cloudletHours: 2, cost: '0.004000', budget: null, spentThisMonth: null },
    ]);
    expect(answer.body.total.cost).toBe('0.044000');
  });

  it('counts the hours inside [from, to) only', async () => {
    const answer = await usage(owner, { from: '2030-04-01T10:00:00Z', to: '2030-04-01T11:00:00Z' });
    expect(answer.status).toBe(200);
    expect(answer.body.total).toEqual({ hours: 2, cloudletHours: 5, cost: '0.010000' });
    const later = await usage(owner, { from: '2030-04-01T12:00:00+00:00' });
    expect(later.body.items).toEqual([]);
    expect(later.body.total).toEqual({ hours: 0, cloudletHours: 0, cost: '0.000000' });
  });

  it('refuses a bad range or an unknown option with a 400 naming it', async () => {
    const backwards = await usage(owner, { from: '2030-04-02T00:00:00Z', to: '2030-04-01T00:00:00Z' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([{ path: 'querystring.from', message: 'must be before to' }]);
    const notDate = await usage(owner, { from: 'yesterday' });
    expect(notDate.status).toBe(400);
    expect(notDate.body.errors[0].path).toBe('querystring.from');
    const unknown = await usage(owner, { groupBy: 'planet' });
    expect(unknown.status).toBe(400);
    const extra = await usage(owner, { currency: 'EUR' });
    expect(extra.status).toBe(400);
    expect(extra.body.errors[0]).toMatchObject({ path: 'querystring.currency', message: 'unknown field' });
  });
});

describe('balance', () => {
  it("shows the owner's balance, debited by metering, and the price", async () => {
    const answer = await t.http.as(owner).get('/api/v1/billing/balance');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ ownerId: owner.id, amount: '-0.044000', pricePerCloudletHour: '0.002' });
    expect((await t.http.as(member).get('/api/v1/billing/balance')).body).toMatchObject({ ownerId: member.id, amount: '0.000000' });
  });
});

describe('who may see billing', () => {
  it('answers 401 without a session', async () => {
    await expectNoChange(t, async () => {
      expect((await t.http.get('/api/v1/billing/usage')).status).toBe(401);
      expect((await t.http.get('/api/v1/billing/balance')).status).toBe(401);
    });
  });

  it('answers 404 for an account the caller is no member of, or an unknown id', async () => {
    const stranger = await createPaidOwner(t, 'stranger');
    await expectNoChange(t, async () => {
      for (const ownerId of [owner.id, 'no-such-account']) {
        const seen = await usage(stranger, { ownerId });
        expect(seen.status).toBe(404);
        expect(seen.body.code).toBe('not_found');
        expect((await t.http.as(stranger).get('/api/v1/billing/balance', { query: { ownerId } })).status).toBe(404);
      }
    });
  });

  it('shows a member with billing.view on the whole account everything', async () => {
    const admin = await memberWith([{ type: 'account' }, ['admin']]);
    const answer = await usage(admin, { ownerId: owner.id, groupBy: 'creator' });
    expect(answer.status).toBe(200);
    expect(answer.body.scope).toBe('account');
    expect(answer.body.total.cost).toBe('0.044000');
    expect(await balanceOf(t, admin, owner.id)).toBe('-0.044000');
  });

  it('refuses a member without billing.view with a 403 naming it', async () => {
    // The developer role covers everything but billing and members.
    await expectNoChange(t, async () => {
      const answer = await usage(member, { ownerId: owner.id });
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ code: 'missing_permission', permission: 'billing.view' });
      const balance = await t.http.as(member).get('/api/v1/billing/balance', { query: { ownerId: owner.id } });
      expect(balance.status).toBe(403);
      expect(balance.body).toMatchObject({ code: 'missing_permission', permission: 'billing.view' });
    });
  });

  it('shows a member holding billing.view on some environments only their usage, and no balance', async () => {
    const billingViewer = await createRole(t, owner, ['env.view', 'billing.view']);
    // Viewer on everything, plus billing.view on one environment: only that environment's usage counts.
    const accountant = await memberWith([{ type: 'account' }, ['viewer']], [{ type: 'environment', id: worker.id }, [billingViewer]]);
    const answer = await usage(accountant, { ownerId: owner.id });
    expect(answer.status).toBe(200);
    expect(answer.body.scope).toBe('environments');
    expect(answer.body.items.map((item: { environment: { id: string } }) => item.environment.id)).toEqual([worker.id]);
    expect(answer.body.total).toEqual({ hours: 2, cloudletHours: 2, cost: '0.004000' });
    const byCreator = await usage(accountant, { ownerId: owner.id, groupBy: 'creator' });
    // Another member's cost, by name: its email stays the owner's to see.
    expect(byCreator.body.items).toEqual([{ creator: { id: member.id, name: 'The Developer', label: 'The Developer' }, environments: 1, hours: 2, cloudletHours: 2, cost: '0.004000' }]);
    const balance = await t.http.as(accountant).get('/api/v1/billing/balance', { query: { ownerId: owner.id } });
    expect(balance.status).toBe(403);
    expect(balance.body.permission).toBe('billing.view');
  });

  it('reads billing.view on environments through the levels: a direct share without it hides that environment', async () => {
    // Admin on web directly and viewer on db directly: only web's usage.
    const lead = await memberWith([{ type: 'environment', id: web.id }, ['admin']], [{ type: 'environment', id: db.id }, ['viewer']]);
    const answer = await usage(lead, { ownerId: owner.id });
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((item: { environment: { id: string } }) => item.environment.id)).toEqual([web.id]);
  });

  it('reads billing.view at account level for the whole account, whatever weaker direct shares say', async () => {
    const lead = await memberWith([{ type: 'account' }, ['admin']], [{ type: 'environment', id: db.id }, ['viewer']]);
    const answer = await usage(lead, { ownerId: owner.id });
    expect(answer.status).toBe(200);
    expect(answer.body.scope).toBe('account');
    expect(answer.body.items).toHaveLength(3);
  });

  it('cuts a suspended or departed member off at once', async () => {
    for (const how of ['suspend', 'leave'] as const) {
      const former = await memberWith([{ type: 'account' }, ['admin']]);
      expect((await usage(former, { ownerId: owner.id })).status).toBe(200);
      await endMembership(t, how, owner, former, former.memberId);
      await expectNoChange(t, async () => {
        expect((await usage(former, { ownerId: owner.id })).status).toBe(404);
        expect((await t.http.as(former).get('/api/v1/billing/balance', { query: { ownerId: owner.id } })).status).toBe(404);
      });
    }
  });

  it('changes nothing by reading', async () => {
    clock.advance(HOUR);
    await expectNoChange(t, async () => {
      expect((await usage(owner)).status).toBe(200);
      expect((await t.http.as(owner).get('/api/v1/billing/balance')).status).toBe(200);
    });
  });
});

describe('one name per member', () => {
  it('the owner and its managers see a creator under the owner’s alias; a member without collaboration.manage sees the account name', async () => {
    const manager = await memberWith([{ type: 'account' }, ['admin']]);
    const accountant = await memberWith([{ type: 'account' }, ['viewer']], [{ type: 'environment', id: worker.id }, [await createRole(t, owner, ['env.view', 'billing.view'])]]);
    const alias = await t.http.as(owner).patch(`/api/v1/collaboration/members/${member.memberId}`, { displayName: 'contractor' });
    expect(alias.status).toBe(200);
    const creatorOf = async (as: Account) =>
      (await usage(as, { ownerId: owner.id, groupBy: 'creator' })).body.items.find((item: { creator: { id: string } }) => item.creator.id === member.id)?.creator;
    expect(await creatorOf(owner)).toEqual({ id: member.id, name: 'The Developer', email: member.email, label: 'contractor' });
    expect(await creatorOf(manager)).toEqual({ id: member.id, name: 'The Developer', label: 'contractor' });
    expect(await creatorOf(accountant)).toEqual({ id: member.id, name: 'The Developer', label: 'The Developer' });
    await t.http.as(owner).patch(`/api/v1/collaboration/members/${member.memberId}`, { displayName: null });
  });
});
