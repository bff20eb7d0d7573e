import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookDeliveries } from '../../src/db/schema/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { type Account, createPaidOwner } from '../factories.js';

const EVENTS = 30;
let first: TestApp;
let second: TestApp;
let owner: Account;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  first = await startTestApp({ workers: true, config: { webhookAllowPrivate: true } });
  second = await startTestApp({ workers: true, database: first.db, config: { webhookAllowPrivate: true } });
  owner = await createPaidOwner(first, 'owner');
});
afterAll(async () => {
  await second.close();
  await first.close();
  await receiver.stop();
});

describe('deliveries across nodes', () => {
  it('two nodes working the same queue post each event to each endpoint exactly once', async () => {
    const endpoints: string[] = [];
    for (const url of [receiver.url, `${receiver.url}?second`]) {
      const created = await first.http.as(owner).post('/api/v1/webhooks', { url, events: ['role.*'] });
      expect(created.status).toBe(201);
      endpoints.push(created.body.id);
    }
    for (let i = 0; i < EVENTS; i++) {
      const app = i % 2 === 0 ? first : second;
      expect((await app.http.as(owner).post('/api/v1/roles', { name: `Role ${i}`, permissions: ['env.view'] })).status).toBe(201);
    }
    const deadline = Date.now() + 30_000;
    while (receiver.received.length < EVENTS * 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    // Both loops are still polling: a duplicate would show up now.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const keys = receiver.received.map((hook) => `${hook.headers['webhook-id']}`);
    expect(receiver.received).toHaveLength(EVENTS * 2);
    // One event id per event, the same for both endpoints; each pair of (event, endpoint) arrives once.
    const counts = new Map<string, number>();
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
    expect(counts.size).toBe(EVENTS);
    expect([...counts.values()].every((n) => n === 2)).toBe(true);
    for (const endpointId of endpoints) {
      const rows = await first.ctx.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));
      expect(rows).toHaveLength(EVENTS);
      expect(rows.every((row) => row.status === 'delivered' && row.attempts === 1)).toBe(true);
    }
  });
});
