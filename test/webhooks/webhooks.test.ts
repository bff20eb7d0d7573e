import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { outbox, webhookDeliveries } from '../../src/db/schema/index.js';
import { RETRY_SCHEDULE_MS } from '../../src/webhooks/deliver.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { type ReceivedHook, settleWebhooks, WebhookReceiver } from '../support/webhook-receiver.js';
import { type Account, createPaidOwner } from '../factories.js';
import { inviteAndAccept, type Member, share } from '../factories/collaboration.js';
import { createRunningEnvironment, type TestEnvironment } from '../factories/environments.js';

// Standard Webhooks receivers refuse timestamps more than five minutes from their own clock: this app's clock starts
// at the real time, and the tests that move it far ahead do not verify signatures after that.
const clock = new ManualClock(new Date());
let t: TestApp;
let owner: Account;
let member: Member;
let env: TestEnvironment;
let receiver: WebhookReceiver;

const headersOf = (hook: ReceivedHook) => ({
  'webhook-id': String(hook.headers['webhook-id']),
  'webhook-timestamp': String(hook.headers['webhook-timestamp']),
  'webhook-signature': String(hook.headers['webhook-signature']),
});

async function register(as: Account, body: Record<string, unknown>) {
  const answer = await t.http.as(as).post('/api/v1/webhooks', body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { id: string; secret: string };
}

async function deliveries(endpointId: string) {
  const answer = await t.http.as(owner).get(`/api/v1/webhooks/${endpointId}/deliveries`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.items as any[];
}

const drainWebhooks = () => settleWebhooks(t);

beforeAll(async () => {
  receiver = await new WebhookReceiver().start();
  t = await startTestApp({ clock, workers: true, config: { webhookAllowPrivate: true } });
  owner = await createPaidOwner(t, 'owner');
  member = await inviteAndAccept(t, owner, { account: await createPaidOwner(t, 'member') });
  await share(t, owner, member.memberId, { type: 'account' }, ['developer']);
  env = await createRunningEnvironment(t, owner);
});
afterAll(async () => {
  await t.close();
  await receiver.stop();
});

describe('signed webhooks', () => {
  it("an owner receives a collaborator's deploy, signed and verifiable with the Standard Webhooks library", async () => {
    const endpoint = await register(owner, { url: receiver.url, events: ['environment.*'], description: 'Deploys to chat' });
    expect(endpoint.secret).toMatch(/^whsec_/);
    const listed = await t.http.as(owner).get('/api/v1/webhooks');
    expect(listed.body.items.map((item: any) => item.id)).toContain(endpoint.id);
    expect(JSON.stringify(listed.body)).not.toContain(endpoint.secret);

    const deployed = await t.http.as(member).post(`/api/v1/environments/${env.id}/deploy`, { source: 'https://git.example.test/app.git' });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(202);
    const hook = await receiver.waitFor((candidate) => candidate.json?.type === 'environment.deploy');
    await drainWebhooks();
    const payload = new Webhook(endpoint.secret).verify(hook.body, headersOf(hook)) as any;
    expect(payload).toMatchObject({
      type: 'environment.deploy',
      data: { action: 'environment.deploy', outcome: 'ok', actor: { id: member.id, email: member.email }, target: { type: 'environment', id: env.id } },
    });
    expect(() => new Webhook(`whsec_${Buffer.from('another secret, not this one').toString('base64')}`).verify(hook.body, headersOf(hook))).toThrow();

    const log = await deliveries(endpoint.id);
    const entry = log.find((item) => item.eventId === hook.headers['webhook-id']);
    expect(entry).toMatchObject({ type: 'environment.deploy', status: 'delivered', attempt: 1, responseCode: 200, responseExcerpt: 'ok' });
    expect(entry.durationMs).toBeGreaterThanOrEqual(0);
    await t.http.as(owner).delete(`/api/v1/webhooks/${endpoint.id}`);
  });

  it('status changes and refused attempts are events too, and an endpoint gets only the types it subscribed to', async () => {
    const endpoint = await register(owner, { url: receiver.url, events: ['environment.status_changed', 'attempt.refused'] });
    const viewer = await inviteAndAccept(t, owner, { account: await createPaidOwner(t, 'viewer') });
    await share(t, owner, viewer.memberId, { type: 'environment', id: env.id }, ['viewer']);
    expect((await t.http.as(viewer).post(`/api/v1/environments/${env.id}/stop`)).status).toBe(403);
    const refused = await receiver.waitFor((hook) => hook.json?.type === 'attempt.refused' && hook.json.data.actor?.id === viewer.id);
    expect(refused.json.data).toMatchObject({ action: 'environment.stop', outcome: 'denied', details: { permission: 'env.stop' } });

    expect((await t.http.as(member).post(`/api/v1/environments/${env.id}/restart`)).status).toBe(202);
    const status = await receiver.waitFor((hook) => hook.json?.type === 'environment.status_changed' && hook.json.data.to === 'restarting');
    expect(status.json.data).toMatchObject({ environment: { id: env.id }, from: 'running', to: 'restarting' });
    await receiver.waitFor((hook) => hook.json?.type === 'environment.status_changed' && hook.json.data.from === 'restarting');
    const types = new Set((await deliveries(endpoint.id)).map((item) => item.type));
    expect([...types].sort()).toEqual(['attempt.refused', 'environment.status_changed']);
    await t.http.as(owner).delete(`/api/v1/webhooks/${endpoint.id}`);
  });

  it('a delivery to an endpoint that is down is retried with backoff, and redelivered with the same webhook-id', async () => {
    const endpoint = await register(owner, { url: receiver.url, events: ['share.*'] });
    await receiver.stop();
    const viewer = await inviteAndAccept(t, owner, { account: await createPaidOwner(t, 'later') });
    const shareId = await share(t, owner, viewer.memberId, { type: 'environment', id: env.id }, ['viewer']);
    await drainWebhooks();
    let [entry] = await deliveries(endpoint.id);
    expect(entry).toMatchObject({ type: 'share.create', status: 'pending', attempt: 1, responseCode: null });
    expect(entry.error).toMatch(/ECONNREFUSED/);
    expect(Date.parse(entry.nextAttemptAt) - Date.parse(entry.at)).toBe(RETRY_SCHEDULE_MS[0]);

    // Up again, but answering 503: still a failure, the next wait is the schedule's second.
    await receiver.start();
    receiver.status = 503;
    clock.advance(RETRY_SCHEDULE_MS[0] ?? 0);
    await drainWebhooks();
    [entry] = await deliveries(endpoint.id);
    expect(entry).toMatchObject({ status: 'pending', attempt: 2, responseCode: 503, error: 'answered 503' });
    expect(Date.parse(entry.nextAttemptAt) - Date.parse(entry.at)).toBe(RETRY_SCHEDULE_MS[1]);

    receiver.status = 200;
    clock.advance(RETRY_SCHEDULE_MS[1] ?? 0);
    await drainWebhooks();
    [entry] = await deliveries(endpoint.id);
    expect(entry).toMatchObject({ status: 'delivered', attempt: 3, responseCode: 200 });
    const first = receiver.received.find((hook) => hook.json?.type === 'share.create' && hook.json.data.target.id === shareId);
    expect(first?.headers['webhook-id']).toBe(entry.eventId);

    const redelivered = await t.http.as(owner).post(`/api/v1/webhooks/${endpoint.id}/deliveries/${entry.id}/redeliver`);
    expect(redelivered.status, JSON.stringify(redelivered.body)).toBe(200);
    expect(redelivered.body.status).toBe('pending');
    await drainWebhooks();
    [entry] = await deliveries(endpoint.id);
    expect(entry).toMatchObject({ status: 'delivered', attempt: 4 });
    const sameEvent = receiver.received.filter((hook) => hook.headers['webhook-id'] === entry.eventId);
    expect(sameEvent).toHaveLength(3);
    expect(new Set(sameEvent.map((hook) => hook.body)).size).toBe(1);
    expect((await t.http.as(owner).post(`/api/v1/webhooks/${endpoint.id}/deliveries/999999999/redeliver`)).status).toBe(404);
    await t.http.as(owner).delete(`/api/v1/webhooks/${endpoint.id}`);
  });

  it('after a rotation both secrets sign for a day, so a receiver can switch at its own pace', async () => {
    // Receivers check the signed timestamp against their own clock: back to the real time after the tests that moved it.
    clock.set(new Date());
    const endpoint = await register(owner, { url: receiver.url, events: ['role.create'] });
    const rotated = await t.http.as(owner).post(`/api/v1/webhooks/${endpoint.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    const role = await t.http.as(owner).post('/api/v1/roles', { name: `Rotated ${Date.now()}`, permissions: ['env.view'] });
    const hook = await receiver.waitFor((candidate) => candidate.json?.type === 'role.create' && candidate.json.data.target.id === role.body.id);
    expect(String(hook.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(() => new Webhook(rotated.body.secret).verify(hook.body, headersOf(hook))).not.toThrow();
    expect(() => new Webhook(endpoint.secret).verify(hook.body, headersOf(hook))).not.toThrow();
    await t.http.as(owner).delete(`/api/v1/webhooks/${endpoint.id}`);
  });

  it('refuses unknown event types, and other owners’ endpoints are 404', async () => {
    const unknown = await t.http.as(owner).post('/api/v1/webhooks', { url: receiver.url, events: ['environment.vanish'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('validation_failed');
    const stranger = await createPaidOwner(t, 'stranger');
    const endpoint = await register(owner, { url: receiver.url, events: ['*'] });
    for (const path of [`/api/v1/webhooks/${endpoint.id}/deliveries`]) expect((await t.http.as(stranger).get(path)).status).toBe(404);
    expect((await t.http.as(stranger).patch(`/api/v1/webhooks/${endpoint.id}`, { enabled: false })).status).toBe(404);
    expect((await t.http.as(stranger).post(`/api/v1/webhooks/${endpoint.id}/rotate-secret`)).status).toBe(404);
    expect((await t.http.as(member).get('/api/v1/webhooks', { query: { ownerId: owner.id } })).status).toBe(403);
    await t.http.as(owner).delete(`/api/v1/webhooks/${endpoint.id}`);
  });
});

describe('an endpoint failing for a day', () => {
  it('is disabled and its owner mailed; once enabled again, its failed deliveries are redelivered', async () => {
    const endpoint = await register(owner, { url: receiver.url, events: ['collaboration.*'], description: 'Flaky' });
    receiver.status = 500;
    await inviteAndAccept(t, owner, { account: await createPaidOwner(t, 'during') });
    await receiver.waitFor((hook) => hook.json?.type === 'collaboration.accept');
    await drainWebhooks();
    // The whole schedule: the last attempt comes more than a day after the first failure.
    for (const wait of RETRY_SCHEDULE_MS) {
      clock.advance(wait);
      await drainWebhooks();
    }
    const after = await t.http.as(owner).get('/api/v1/webhooks');
    const state = after.body.items.find((item: any) => item.id === endpoint.id);
    expect(state).toMatchObject({ enabled: false, disabledReason: expect.stringMatching(/failed/) });
    const mails = await t.ctx.db.select().from(outbox).where(eq(outbox.kind, 'webhook.disabled'));
    expect(mails.map((mail) => mail.toAddress)).toEqual([owner.email]);
    expect(mails[0]?.textBody).toContain('Flaky');
    // The delivery whose failure disabled the endpoint has spent its schedule; one still due then waits, queued.
    const stopped = await deliveries(endpoint.id);
    expect(stopped.map((item) => item.type).sort()).toEqual(['collaboration.accept', 'collaboration.invite']);
    expect(stopped.some((item) => item.status === 'failed' && item.attempt === RETRY_SCHEDULE_MS.length + 1)).toBe(true);
    expect(stopped.every((item) => item.status === 'failed' || item.status === 'pending')).toBe(true);
    const failed = stopped.filter((item) => item.status === 'failed');
    const whileDisabled = await t.http.as(owner).post(`/api/v1/webhooks/${endpoint.id}/deliveries/${failed[0].id}/redeliver`);
    expect(whileDisabled.status).toBe(409);
    expect(whileDisabled.body.code).toBe('invalid_state');

    receiver.status = 200;
    const enabled = await t.http.as(owner).patch(`/api/v1/webhooks/${endpoint.id}`, { enabled: true });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    for (const item of failed) expect((await t.http.as(owner).post(`/api/v1/webhooks/${endpoint.id}/deliveries/${item.id}/redeliver`)).status).toBe(200);
    await drainWebhooks();
    expect((await deliveries(endpoint.id)).map((item) => item.status)).toEqual(['delivered', 'delivered']);
    const pending = await t.ctx.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
    expect(pending.every((row) => row.claim === null && row.lockedUntil === null)).toBe(true);
  });
});
