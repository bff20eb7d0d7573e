import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, HOUR, ManualClock, MINUTE } from '../../src/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { newestMail } from '../support/mail.js';
import { type Account, createPaidOwner } from '../factories.js';
import { balanceOf, manualBillingWorkers, meter, usageOf } from '../factories/billing.js';
import { inviteAndAccept, share } from '../factories/collaboration.js';
import { auditOf, createGroup, createRunningEnvironment, expectStatus } from '../factories/environments.js';
import { expireTransfers } from '../../src/environments/transfer/expire.js';

const config = { sessionIdleSeconds: 365 * 24 * 3600, sessionMaxSeconds: 365 * 24 * 3600, pricePerCloudletHour: 0.01 };
const clock = new ManualClock('2030-03-04T10:15:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ clock, config, workers: true });
  await manualBillingWorkers(t);
});
afterAll(() => t.close());

const hours = (rows: Array<{ hour: Date; ownerId: string }>) => rows.map((row) => `${row.hour.toISOString().slice(11, 16)} ${row.ownerId}`);

async function askTransfer(from: Account, environmentId: string, to: Account) {
  const answer = await t.http.as(from).post(`/api/v1/environments/${environmentId}/transfers`, { email: to.email });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { id: string; status: string; expiresAt: string };
}

async function answerTransfer(as: Account, id: string, how: 'accept' | 'decline' | 'cancel', status = 200) {
  const answer = await t.http.as(as).post(`/api/v1/transfers/${id}/${how}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  return answer.body;
}

async function notificationTypes(as: Account): Promise<string[]> {
  const answer = await t.http.as(as).get('/api/v1/notifications');
  return answer.body.items.map((item: { type: string }) => item.type);
}

describe('environment ownership transfer', () => {
  it('an environment a collaborator created in the owner account moves to a third account, keeps running and is billed hour by hour to whoever owned it', async () => {
    const owner = await createPaidOwner(t);
    const creator = await inviteAndAccept(t, owner);
    await share(t, owner, creator.memberId, { type: 'account' }, ['developer']);
    const viewer = await inviteAndAccept(t, owner);
    const recipient = await createPaidOwner(t, 'recipient');
    const group = await createGroup(t, owner);

    clock.set('2030-03-04T10:15:00Z');
    const env = await createRunningEnvironment(t, creator, { ownerId: owner.id, groupId: group.id, nodes: [{ role: 'app', count: 1, cloudlets: 10 }] });
    await share(t, owner, viewer.memberId, { type: 'environment', id: env.id }, ['viewer']);
    await meter(t);

    clock.set('2030-03-04T10:40:00Z');
    const transfer = await askTransfer(owner, env.id, recipient);
    expect(transfer.status).toBe('pending');
    expect(await newestMail(t, recipient.email, 'transfer.requested')).toContain(env.name);
    expect(await notificationTypes(recipient)).toContain('transfer.requested');
    const incoming = await t.http.as(recipient).get('/api/v1/transfers', { query: { direction: 'incoming' } });
    expect(incoming.body.items.map((item: { id: string }) => item.id)).toEqual([transfer.id]);

    clock.set('2030-03-04T11:30:00Z');
    const accepted = await answerTransfer(recipient, transfer.id, 'accept');
    expect(accepted.status).toBe('accepted');

    // It kept running through the hand-over: the same run, no stop.
    const seen = await expectStatus(t, recipient, env.id, 'running');
    expect(seen.owner.id).toBe(recipient.id);
    expect(seen.groups).toEqual([]);
    for (const gone of [owner, creator, viewer]) expect((await t.http.as(gone).get(`/api/v1/environments/${env.id}`)).status).toBe(404);
    expect(await notificationTypes(viewer)).toContain('share.revoked');
    expect(await newestMail(t, owner.email, 'transfer.accepted')).toContain(env.name);

    clock.set('2030-03-04T13:10:00Z');
    await meter(t);
    expect(hours(await usageOf(t, env.id))).toEqual([`10:00 ${owner.id}`, `11:00 ${owner.id}`, `12:00 ${recipient.id}`, `13:00 ${recipient.id}`]);
    expect(await balanceOf(t, owner)).toBe('-0.200000');
    expect(await balanceOf(t, recipient)).toBe('-0.200000');

    for (const account of [owner, recipient]) {
      const audit = await t.http.as(account).get('/api/v1/audit', { query: { action: 'environment.transfer_accept' } });
      expect(audit.body.items.map((item: { ownerId: string; targetId: string }) => [item.ownerId, item.targetId])).toEqual([[account.id, env.id]]);
    }
    // The creator keeps no access until the new owner shares it.
    const member = await inviteAndAccept(t, recipient, { account: creator });
    expect((await t.http.as(creator).get(`/api/v1/environments/${env.id}`)).status).toBe(404);
    await share(t, recipient, member.memberId, { type: 'environment', id: env.id }, ['viewer']);
    expect((await t.http.as(creator).get(`/api/v1/environments/${env.id}`)).status).toBe(200);
  });

  it('an hour that begins at the very instant of the hand-over is the new owner’s, the one before the old owner’s', async () => {
    const owner = await createPaidOwner(t);
    const recipient = await createPaidOwner(t, 'recipient');
    clock.set('2030-03-05T10:59:00Z');
    const env = await createRunningEnvironment(t, owner, { nodes: [{ role: 'app', count: 1, cloudlets: 10 }] });
    const transfer = await askTransfer(owner, env.id, recipient);
    clock.set('2030-03-05T11:00:00Z');
    await answerTransfer(recipient, transfer.id, 'accept');
    // Metering before and after in any order charges each hour once.
    await meter(t);
    clock.advance(30 * MINUTE);
    await meter(t);
    await meter(t);
    expect(hours(await usageOf(t, env.id))).toEqual([`10:00 ${owner.id}`, `11:00 ${recipient.id}`]);
  });

  it('an hour charged before the hand-over stays charged once, to the old owner', async () => {
    const owner = await createPaidOwner(t);
    const recipient = await createPaidOwner(t, 'recipient');
    clock.set('2030-03-06T10:05:00Z');
    const env = await createRunningEnvironment(t, owner, { nodes: [{ role: 'app', count: 1, cloudlets: 10 }] });
    const transfer = await askTransfer(owner, env.id, recipient);
    clock.set('2030-03-06T11:59:59Z');
    await meter(t);
    await answerTransfer(recipient, transfer.id, 'accept');
    await meter(t);
    clock.set('2030-03-06T12:00:00Z');
    await meter(t);
    expect(hours(await usageOf(t, env.id))).toEqual([`10:00 ${owner.id}`, `11:00 ${owner.id}`, `12:00 ${recipient.id}`]);
  });

  it('only the owner asks; the recipient must be an account that can own environments', async () => {
    const owner = await createPaidOwner(t);
    const manager = await inviteAndAccept(t, owner);
    await share(t, owner, manager.memberId, { type: 'account' }, ['admin']);
    const collaborator = await inviteAndAccept(t, owner);
    const recipient = await createPaidOwner(t, 'recipient');
    const env = await createRunningEnvironment(t, owner);

    const byManager = await t.http.as(manager).post(`/api/v1/environments/${env.id}/transfers`, { email: recipient.email });
    expect([byManager.status, byManager.body.code]).toEqual([403, 'forbidden']);
    const toCollaborator = await t.http.as(owner).post(`/api/v1/environments/${env.id}/transfers`, { email: collaborator.email });
    expect([toCollaborator.status, toCollaborator.body.code]).toEqual([403, 'collaborator_cannot_own']);
    const toNobody = await t.http.as(owner).post(`/api/v1/environments/${env.id}/transfers`, { email: 'nobody-here@example.test' });
    expect([toNobody.status, toNobody.body.code]).toEqual([400, 'validation_failed']);
    const toSelf = await t.http.as(owner).post(`/api/v1/environments/${env.id}/transfers`, { email: owner.email });
    expect([toSelf.status, toSelf.body.code]).toEqual([400, 'validation_failed']);

    const transfer = await askTransfer(owner, env.id, recipient);
    const twice = await t.http.as(owner).post(`/api/v1/environments/${env.id}/transfers`, { email: recipient.email });
    expect([twice.status, twice.body.code]).toEqual([409, 'conflict']);
    // Nobody but the recipient answers it, and only the giver cancels it.
    for (const someone of [owner, manager, collaborator]) expect((await t.http.as(someone).post(`/api/v1/transfers/${transfer.id}/accept`)).status).toBe(404);
    expect((await t.http.as(recipient).post(`/api/v1/transfers/${transfer.id}/cancel`)).status).toBe(404);
  });

  it('the recipient declines, or the owner cancels: the environment stays and the other side is told', async () => {
    const owner = await createPaidOwner(t);
    const recipient = await createPaidOwner(t, 'recipient');
    const env = await createRunningEnvironment(t, owner);

    const declined = await askTransfer(owner, env.id, recipient);
    expect((await answerTransfer(recipient, declined.id, 'decline')).status).toBe('declined');
    expect(await notificationTypes(owner)).toContain('transfer.declined');
    expect((await answerTransfer(recipient, declined.id, 'accept', 409)).code).toBe('invalid_state');

    const cancelled = await askTransfer(owner, env.id, recipient);
    expect((await answerTransfer(owner, cancelled.id, 'cancel')).status).toBe('cancelled');
    expect(await newestMail(t, recipient.email, 'transfer.cancelled')).toContain(env.name);
    expect((await answerTransfer(recipient, cancelled.id, 'accept', 409)).code).toBe('invalid_state');
    expect((await t.http.as(owner).get(`/api/v1/environments/${env.id}`)).body.owner.id).toBe(owner.id);
  });

  it('deleting the environment cancels its pending transfer and tells the recipient', async () => {
    const owner = await createPaidOwner(t);
    const recipient = await createPaidOwner(t, 'recipient');
    const env = await createRunningEnvironment(t, owner);
    const transfer = await askTransfer(owner, env.id, recipient);
    expect((await t.http.as(owner).delete(`/api/v1/environments/${env.id}`)).status).toBe(202);
    const listed = await t.http.as(recipient).get('/api/v1/transfers', { query: { status: 'pending' } });
    expect(listed.body.items.map((item: { id: string }) => item.id)).not.toContain(transfer.id);
    expect(await notificationTypes(recipient)).toContain('transfer.cancelled');
    expect((await answerTransfer(recipient, transfer.id, 'accept', 409)).code).toBe('invalid_state');
  });

  it('a transfer not answered within 7 days expires (410), its owner is told once, and may ask again', async () => {
    const owner = await createPaidOwner(t);
    const recipient = await createPaidOwner(t, 'recipient');
    const env = await createRunningEnvironment(t, owner);
    const transfer = await askTransfer(owner, env.id, recipient);
    clock.advance(7 * DAY + HOUR);
    expect((await answerTransfer(recipient, transfer.id, 'accept', 410)).code).toBe('transfer_expired');
    const listed = await t.http.as(owner).get('/api/v1/transfers', { query: { environmentId: env.id } });
    expect(listed.body.items[0].status).toBe('expired');
    // Several nodes' passes (and this app's own worker) settle it once: one notice, one audit record.
    await Promise.all([expireTransfers(t.ctx), expireTransfers(t.ctx), expireTransfers(t.ctx)]);
    const expired = await auditOf(t, owner.id, 'environment.transfer_expire');
    expect(expired.map((event) => event.targetId)).toEqual([env.id]);
    expect(await newestMail(t, owner.email, 'transfer.expired')).toContain('did not answer');
    expect((await notificationTypes(owner)).filter((type) => type === 'transfer.expired')).toHaveLength(1);
    expect(await notificationTypes(recipient)).not.toContain('transfer.expired');
    await askTransfer(owner, env.id, recipient);
  });

  it('lists transfers a page at a time, newest first, filtered by status as each reads now', async () => {
    const owner = await createPaidOwner(t);
    const recipient = await createPaidOwner(t, 'recipient');
    const asked: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const env = await createRunningEnvironment(t, owner);
      asked.push((await askTransfer(owner, env.id, recipient)).id);
      clock.advance(1000);
    }
    const first = await t.http.as(recipient).get('/api/v1/transfers', { query: { direction: 'incoming', limit: 2 } });
    expect(first.body.items.map((item: { id: string }) => item.id)).toEqual([asked[2], asked[1]]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.http.as(recipient).get('/api/v1/transfers', { query: { direction: 'incoming', limit: 2, cursor: first.body.nextCursor } });
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: asked[0], status: 'pending' })], nextCursor: null });
    expect((await t.http.as(recipient).get('/api/v1/transfers', { query: { cursor: 'not a cursor' } })).status).toBe(400);
    clock.advance(7 * DAY);
    const pending = await t.http.as(recipient).get('/api/v1/transfers', { query: { direction: 'incoming', status: 'pending' } });
    expect(pending.body.items.filter((item: { id: string }) => asked.includes(item.id))).toEqual([]);
    const expired = await t.http.as(recipient).get('/api/v1/transfers', { query: { direction: 'incoming', status: 'expired', limit: 200 } });
    expect(expired.body.items.map((item: { id: string }) => item.id)).toEqual(expect.arrayContaining(asked));
  });

  it('asking again after the 7 days settles the expired transfer in the same transaction, told and audited once', async () => {
    const owner = await createPaidOwner(t);
    const recipient = await createPaidOwner(t, 'recipient');
    const env = await createRunningEnvironment(t, owner);
    const first = await askTransfer(owner, env.id, recipient);
    clock.advance(7 * DAY + MINUTE);
    const second = await askTransfer(owner, env.id, recipient);
    await expireTransfers(t.ctx);
    const listed = await t.http.as(owner).get('/api/v1/transfers', { query: { environmentId: env.id } });
    expect(listed.body.items.map((item: { id: string; status: string }) => [item.id, item.status])).toEqual([
      [second.id, 'pending'],
      [first.id, 'expired'],
    ]);
    expect((await auditOf(t, owner.id, 'environment.transfer_expire')).length).toBe(1);
  });

  it('the recipient must stay within its own limits when it accepts', async () => {
    const limited = await startTestApp({ database: t.db, clock, config: { ...config, maxEnvironmentsPerAccount: 1 } });
    try {
      const owner = await createPaidOwner(limited);
      const recipient = await createPaidOwner(limited, 'recipient');
      const env = await createRunningEnvironment(limited, owner);
      await createRunningEnvironment(limited, recipient);
      const asked = await limited.http.as(owner).post(`/api/v1/environments/${env.id}/transfers`, { email: recipient.email });
      const accepted = await limited.http.as(recipient).post(`/api/v1/transfers/${asked.body.id}/accept`);
      expect([accepted.status, accepted.body.code]).toEqual([409, 'limit_reached']);
      expect((await limited.http.as(owner).get(`/api/v1/environments/${env.id}`)).body.owner.id).toBe(owner.id);
    } finally {
      await limited.close();
    }
  });
});
