import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../../src/clock.js';
import { runtimeJobs, webhookDeliveries, webhookEndpoints } from '../../src/db/schema/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createOwner } from '../factories.js';
import { createRunningEnvironment } from '../factories/environments.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ workers: true });
});
afterAll(() => t.close());

describe('housekeeping', () => {
  it('drops finished runtime jobs after thirty days, and never an open one', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    const jobsOf = () => t.ctx.db.select().from(runtimeJobs).where(eq(runtimeJobs.environmentId, env.id));
    expect((await jobsOf()).map((job) => job.status)).toEqual(['done']);
    const housekeeping = t.workers?.housekeeping;
    if (!housekeeping) throw new Error('workers are not running');

    t.clock.advance(29 * DAY);
    await housekeeping.runOnce();
    expect(await jobsOf()).toHaveLength(1);

    // A job still queued stays, however old (the runtime worker is paused so it stays queued).
    await t.workers?.runtime.stop();
    await t.ctx.db.insert(runtimeJobs).values({ environmentId: env.id, action: 'deploy', payload: { source: 'https://example.test/a.zip' }, status: 'queued', createdAt: t.clock.now() });
    t.clock.advance(2 * DAY);
    await housekeeping.runOnce();
    expect((await jobsOf()).map((job) => job.status)).toEqual(['queued']);
  });

  it('drops webhook deliveries thirty days after they settled, and never a pending one', async () => {
    const owner = await createOwner(t);
    const [endpoint] = await t.ctx.db
      .insert(webhookEndpoints)
      .values({ ownerId: owner.id, url: 'https://hooks.example.test/kept', events: ['*'], secret: `whsec_${Buffer.alloc(32, 2).toString('base64')}` })
      .returning();
    const endpointId = endpoint?.id ?? '';
    const at = t.clock.now();
    const row = (eventId: string, status: 'pending' | 'delivered' | 'failed') => ({ endpointId, eventId, type: 'role.create', data: {}, occurredAt: at, status, nextAttemptAt: at, createdAt: at, lastAttemptAt: at });
    // Disabled, so the worker leaves the pending one alone.
    await t.ctx.db.update(webhookEndpoints).set({ enabled: false }).where(eq(webhookEndpoints.id, endpointId));
    await t.ctx.db.insert(webhookDeliveries).values([row('msg_delivered', 'delivered'), row('msg_failed', 'failed'), row('msg_pending', 'pending')]);
    const left = async () => (await t.ctx.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId))).map((d) => d.eventId).sort();
    const housekeeping = t.workers?.housekeeping;
    if (!housekeeping) throw new Error('workers are not running');
    t.clock.advance(29 * DAY);
    await housekeeping.runOnce();
    expect(await left()).toEqual(['msg_delivered', 'msg_failed', 'msg_pending']);
    t.clock.advance(2 * DAY);
    await housekeeping.runOnce();
    expect(await left()).toEqual(['msg_pending']);
  });
});
