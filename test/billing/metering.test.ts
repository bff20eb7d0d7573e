import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meterUsage } from '../../src/billing/metering.js';
import { DAY, HOUR, ManualClock, MINUTE } from '../../src/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createPaidOwner } from '../factories.js';
import { balanceOf, meter, storedBalance, sumMoney, usageOf } from '../factories/billing.js';
import { inviteAndAccept, share } from '../factories/collaboration.js';
import { changeTopology, createRunningEnvironment, lifecycle, type TestEnvironment } from '../factories/environments.js';

// Sessions must outlive the hours the clock is moved forward.
const config = { sessionIdleSeconds: 365 * 24 * 3600, sessionMaxSeconds: 365 * 24 * 3600, pricePerCloudletHour: 0.002 };
const clock = new ManualClock('2030-01-07T10:15:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ clock, config, workers: true });
});
afterAll(async () => {
  await t.close();
});

const hours = (rows: Array<{ hour: Date }>) => rows.map((row) => row.hour.toISOString().slice(11, 16));

describe('metering', () => {
  it('charges the owner once per started hour, the current one included', async () => {
    const owner = await createPaidOwner(t);
    clock.set('2030-01-07T10:15:00Z');
    const env = await createRunningEnvironment(t, owner, { nodes: [{ role: 'app', count: 2, cloudlets: 2 }] });

    await meter(t);
    let rows = await usageOf(t, env.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ownerId: owner.id, createdBy: owner.id, environmentName: env.name, cloudlets: 4, cost: '0.008000' });
    expect(rows[0]?.hour.toISOString()).toBe('2030-01-07T10:00:00.000Z');
    expect(await balanceOf(t, owner)).toBe('-0.008000');

    // Again within the same hour: nothing new.
    clock.advance(30 * MINUTE);
    await meter(t);
    expect(await usageOf(t, env.id)).toHaveLength(1);

    clock.advance(2 * HOUR); // 12:45
    await meter(t);
    rows = await usageOf(t, env.id);
    expect(hours(rows)).toEqual(['10:00', '11:00', '12:00']);
    expect(await balanceOf(t, owner)).toBe('-0.024000');
    await lifecycle(t, owner, env.id, 'stop');
  });

  it('charges nothing for a stopped environment, and stops charging when it stops', async () => {
    const owner = await createPaidOwner(t);
    clock.set('2030-01-08T10:15:00Z');
    const idle = await createRunningEnvironment(t, owner);
    await lifecycle(t, owner, idle.id, 'stop');
    clock.advance(MINUTE);
    const brief = await createRunningEnvironment(t, owner, { nodes: [{ role: 'app', count: 1, cloudlets: 4 }] });
    clock.advance(30 * MINUTE);
    await lifecycle(t, owner, brief.id, 'stop');
    clock.advance(5 * HOUR);
    await meter(t);
    // The idle one was stopped before the clock moved: it never ran.
    expect(await usageOf(t, idle.id)).toEqual([]);
    expect(hours(await usageOf(t, brief.id))).toEqual(['10:00']);
    clock.advance(DAY);
    await meter(t);
    expect(await usageOf(t, idle.id)).toEqual([]);
    expect(await usageOf(t, brief.id)).toHaveLength(1);
    expect(await balanceOf(t, owner)).toBe('-0.008000');
  });

  it('charges the hours of each run across stops and starts, and an hour shared by two runs once', async () => {
    const owner = await createPaidOwner(t);
    clock.set('2030-01-09T10:15:00Z');
    const env = await createRunningEnvironment(t, owner, { nodes: [{ role: 'app', count: 1, cloudlets: 4 }] });
    clock.set('2030-01-09T11:30:00Z');
    await lifecycle(t, owner, env.id, 'stop');
    clock.set('2030-01-09T13:10:00Z');
    await lifecycle(t, owner, env.id, 'start');
    clock.set('2030-01-09T13:20:00Z');
    await lifecycle(t, owner, env.id, 'stop');
    clock.set('2030-01-09T13:40:00Z');
    await lifecycle(t, owner, env.id, 'start');
    // A restart keeps it running; stopped on the hour sharp, it did not run during 14:00.
    await lifecycle(t, owner, env.id, 'restart');
    clock.set('2030-01-09T14:00:00Z');
    await lifecycle(t, owner, env.id, 'stop');
    clock.set('2030-01-09T17:05:00Z');
    await meter(t);
    expect(hours(await usageOf(t, env.id))).toEqual(['10:00', '11:00', '13:00']);
    expect(await balanceOf(t, owner)).toBe('-0.024000');
  });

  it('charges each hour at the cloudlets the environment has when the hour is charged', async () => {
    const owner = await createPaidOwner(t);
    clock.set('2030-01-10T10:05:00Z');
    const env = await createRunningEnvironment(t, owner, { nodes: [{ role: 'app', count: 1, cloudlets: 4 }] });
    await meter(t);
    // Scaled within the hour: the started hour stays charged as it was; the next ones at the new size.
    await changeTopology(t, owner, env.id, [
      { role: 'app', count: 2, cloudlets: 3 },
      { role: 'db', count: 1, cloudlets: 8 },
    ]);
    await meter(t);
    clock.advance(HOUR);
    await meter(t);
    const rows = await usageOf(t, env.id);
    expect(rows.map((row) => [row.cloudlets, row.cost])).toEqual([
      [4, '0.008000'],
      [14, '0.028000'],
    ]);
    expect(await balanceOf(t, owner)).toBe('-0.036000');
    await lifecycle(t, owner, env.id, 'stop');
  });

  it("bills the owner for an environment a member created in the owner's account, never the member", async () => {
    const owner = await createPaidOwner(t);
    const member = await inviteAndAccept(t, owner);
    await share(t, owner, member.memberId, { type: 'account' }, ['developer']);
    clock.set('2030-01-11T10:05:00Z');
    const env = await createRunningEnvironment(t, member, { ownerId: owner.id, nodes: [{ role: 'app', count: 1, cloudlets: 4 }] });
    clock.advance(90 * MINUTE);
    await meter(t);
    const rows = await usageOf(t, env.id);
    expect(rows.map((row) => [row.ownerId, row.createdBy])).toEqual([
      [owner.id, member.id],
      [owner.id, member.id],
    ]);
    expect(await balanceOf(t, owner)).toBe('-0.016000');
    expect(await storedBalance(t, member.id)).toBe('0');
    await lifecycle(t, owner, env.id, 'stop');
  });

  it('keeps money exact with a price that binary floats cannot hold', async () => {
    const priced = await startTestApp({ database: t.db, clock, config: { ...config, pricePerCloudletHour: 0.1 }, workers: true });
    try {
      const owner = await createPaidOwner(priced);
      clock.set('2030-01-12T10:05:00Z');
      const env = await createRunningEnvironment(priced, owner, { nodes: [{ role: 'app', count: 1, cloudlets: 3 }] });
      clock.advance(9 * HOUR);
      await meter(priced);
      const rows = await usageOf(priced, env.id);
      expect(rows).toHaveLength(10);
      expect(new Set(rows.map((row) => row.cost))).toEqual(new Set(['0.300000']));
      expect(await balanceOf(priced, owner)).toBe('-3.000000');
      await lifecycle(priced, owner, env.id, 'stop');
    } finally {
      await priced.close();
    }
  });

  it('still charges the hours of an environment deleted before the worker came by', async () => {
    const owner = await createPaidOwner(t);
    clock.set('2030-01-13T10:05:00Z');
    const env = await createRunningEnvironment(t, owner);
    clock.advance(2 * HOUR);
    const deleted = await t.http.as(owner).delete(`/api/v1/environments/${env.id}`);
    expect(deleted.status).toBe(202);
    for (let i = 0; i < 500 && (await t.http.as(owner).get(`/api/v1/environments/${env.id}`)).status !== 404; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    clock.advance(DAY);
    await meter(t);
    expect(hours(await usageOf(t, env.id))).toEqual(['10:00', '11:00', '12:00']);
  });
});

describe('metering on several nodes at once', () => {
  it('charges every environment-hour exactly once when two workers run concurrently', async () => {
    const second = await startTestApp({ database: t.db, clock, config, workers: true });
    try {
      const owners = [await createPaidOwner(t), await createPaidOwner(t)];
      const envs: Array<{ env: TestEnvironment; ownerIndex: number }> = [];
      clock.set('2030-02-01T08:30:00Z');
      for (let i = 0; i < 12; i++) {
        const ownerIndex = i % 2;
        const owner = owners[ownerIndex];
        if (!owner) throw new Error('no owner');
        envs.push({ env: await createRunningEnvironment(t, owner, { nodes: [{ role: 'app', count: 1 + (i % 3), cloudlets: 2 }] }), ownerIndex });
      }
      // Six hours in uneven steps, both nodes metering at the same moments, twice each.
      for (const step of [HOUR, 2 * HOUR, 20 * MINUTE, 3 * HOUR]) {
        clock.advance(step);
        // The loops' own passes may run too: they are more workers at once, which is the point.
        await Promise.all([meter(t), meter(second), meterUsage(second.ctx), meterUsage(t.ctx)]);
      }
      for (const { env, ownerIndex } of envs) {
        const owner = owners[ownerIndex];
        if (owner) await lifecycle(t, owner, env.id, 'stop');
      }
      clock.advance(DAY);
      await Promise.all([meter(t), meter(second)]);

      // 08:00 through 14:00: seven started hours per environment, each once.
      for (const { env } of envs) {
        expect(hours(await usageOf(t, env.id))).toEqual(['08:00', '09:00', '10:00', '11:00', '12:00', '13:00', '14:00']);
      }
      for (const [index, owner] of owners.entries()) {
        const costs = [];
        for (const { env, ownerIndex } of envs) {
          if (ownerIndex === index) costs.push(...(await usageOf(t, env.id)).map((row) => row.cost));
        }
        expect(await storedBalance(t, owner.id)).toBe(`-${await sumMoney(t, costs)}`);
      }
    } finally {
      await second.close();
    }
  });

  it('lets the unique key decide when many passes race over the same hours', async () => {
    const second = await startTestApp({ database: t.db, clock, config, workers: true });
    try {
      const owner = await createPaidOwner(t);
      clock.set('2030-03-01T00:10:00Z');
      const env = await createRunningEnvironment(t, owner, { nodes: [{ role: 'app', count: 1, cloudlets: 5 }] });
      clock.advance(2 * DAY);
      const charged = await Promise.all(Array.from({ length: 8 }, (_, i) => meterUsage((i % 2 === 0 ? t : second).ctx)));
      await lifecycle(t, owner, env.id, 'stop');
      // 00:00 on the first day through 00:00 two days later.
      expect(await usageOf(t, env.id)).toHaveLength(49);
      expect(charged.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(49);
      expect(await storedBalance(t, owner.id)).toBe('-0.490000');
    } finally {
      await second.close();
    }
  });
});
