import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrialPass } from '../../src/workers/trial-end.js';
import { DAY, HOUR, ManualClock, MINUTE } from '../../src/clock.js';
import { environmentRuns, outbox } from '../../src/db/schema/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { drainMail } from '../support/mail.js';
import { SmtpCapture } from '../support/smtp.js';
import { type Account, adminOf, convertAccount, createOwner, setTrialEnd } from '../factories.js';
import { manualBillingWorkers, meter, usageOf } from '../factories/billing.js';
import { createRole, inviteAndAccept, type Member, share } from '../factories/collaboration.js';
import { createRunningEnvironment, lifecycle, type TestEnvironment, waitForStatus } from '../factories/environments.js';

const config = { sessionIdleSeconds: 365 * 24 * 3600, sessionMaxSeconds: 365 * 24 * 3600 };
const T0 = new Date('2030-06-01T12:00:00Z');
const clock = new ManualClock(T0);
let smtp: SmtpCapture;
let t: TestApp;

beforeAll(async () => {
  smtp = await new SmtpCapture().start();
  t = await startTestApp({ smtp, clock, config });
  await manualBillingWorkers(t);
  await adminOf(t);
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

/** Runs the trial worker's pass, then delivers what it queued to the SMTP listener. */
async function trialPass(app: TestApp = t): Promise<void> {
  if (!app.workers) throw new Error('no workers');
  while ((await app.workers.trial.runOnce()) > 0);
  await drainMail(app);
}

/** How many mails of a kind were queued for an address (all of them, sent or not). */
async function queued(to: string, kind: string): Promise<number> {
  return t.ctx.db.$count(outbox, and(eq(outbox.toAddress, to), eq(outbox.kind, kind)));
}

/** The account's newest in-app notification of a type, through the API. */
async function notification(account: Account, type: string): Promise<{ type: string; title: string; body: string; link: string } | undefined> {
  const answer = await t.http.as(account).get('/api/v1/notifications');
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.items.find((item: { type: string }) => item.type === type);
}

describe('the end of a trial', () => {
  let owner: Account;
  let env: TestEnvironment;
  let alerted: Member;
  let customAlerted: Member;
  let viewer: Member;
  let envAdmin: Member;

  beforeAll(async () => {
    clock.set(T0);
    owner = await createOwner(t, 'trial-owner');
    alerted = await inviteAndAccept(t, owner, { name: 'Alerted Admin' });
    await share(t, owner, alerted.memberId, { type: 'account' }, ['admin']);
    customAlerted = await inviteAndAccept(t, owner, { name: 'Olga Oncall' });
    await share(t, owner, customAlerted.memberId, { type: 'account' }, [await createRole(t, owner, ['env.view'], true)]);
    viewer = await inviteAndAccept(t, owner, { name: 'Vic Viewer' });
    await share(t, owner, viewer.memberId, { type: 'account' }, ['viewer']);
    env = await createRunningEnvironment(t, owner, { name: 'trial-shop' });
    // Admin on this one environment only: trial alerts are about the whole account, so not for this member.
    envAdmin = await inviteAndAccept(t, owner, { name: 'Environment Admin' });
    await share(t, owner, envAdmin.memberId, { type: 'environment', id: env.id }, ['admin']);
  });

  it('does not warn more than three days ahead', async () => {
    clock.set(new Date(T0.getTime() + 10 * DAY));
    await trialPass();
    expect(await queued(owner.email, 'trial.ending')).toBe(0);
  });

  it('warns the owner by mail and in the app three days ahead, once, and alerts the members whose roles receive alerts', async () => {
    clock.set(new Date(T0.getTime() + 11 * DAY + HOUR));
    await trialPass();
    const mail = await smtp.waitFor(owner.email, (m) => m.subject === 'Your Shareplane trial ends in 3 days');
    expect(mail.text).toContain('Your Shareplane trial ends on 2030-06-15 12:00 UTC');
    expect(mail.text).toContain('http://shareplane.test/billing');
    expect(await notification(owner, 'trial.ending')).toMatchObject({ title: 'Your trial ends on 2030-06-15 12:00 UTC', link: '/billing' });

    for (const member of [alerted, customAlerted]) {
      const alert = await smtp.waitFor(member.email, (m) => m.subject.includes('trial ends on'));
      expect(alert.subject).toBe(`${owner.name}'s trial ends on 2030-06-15 12:00 UTC`);
      expect(await notification(member, 'environment.alert')).toMatchObject({ title: alert.subject, link: '/environments' });
    }
    for (const member of [viewer, envAdmin]) expect(await queued(member.email, 'environment.alert')).toBe(0);

    // Later passes, hours later: still one warning each.
    await trialPass();
    clock.advance(6 * HOUR);
    await trialPass();
    expect(await queued(owner.email, 'trial.ending')).toBe(1);
    expect(smtp.inbox(owner.email).filter((m) => m.subject.includes('trial ends'))).toHaveLength(1);
    expect(await queued(alerted.email, 'environment.alert')).toBe(1);
  });

  it('when the trial has passed: refuses its routes at once, stops its environments, and says so once', async () => {
    clock.set(new Date(T0.getTime() + 14 * DAY + MINUTE));
    // Judged at request time: no job has to run first.
    expect((await t.http.as(owner).get('/api/v1/me')).body.trialExpired).toBe(true);
    await expectNoChange(t, async () => {
      for (const path of ['/api/v1/billing/balance', '/api/v1/billing/usage', '/api/v1/audit']) {
        const answer = await t.http.as(owner).get(path);
        expect(answer.status).toBe(403);
        expect(answer.body.code).toBe('trial_expired');
      }
    });

    await trialPass();
    await waitForStatus(t, env.id, 'stopped');
    const [run] = await t.ctx.db.select().from(environmentRuns).where(eq(environmentRuns.environmentId, env.id));
    expect(run?.stoppedAt?.toISOString()).toBe(clock.now().toISOString());

    const mail = await smtp.waitFor(owner.email, (m) => m.subject === 'Your Shareplane trial has ended');
    expect(mail.text).toContain('We stopped your running environment trial-shop; nothing was deleted.');
    expect(await notification(owner, 'trial.ended')).toMatchObject({ title: 'Your trial has ended', link: '/billing' });
    for (const member of [alerted, customAlerted]) {
      const alert = await smtp.waitFor(member.email, (m) => m.subject === `${owner.name}'s trial has ended`);
      expect(alert.text).toContain('Its running environments were stopped: trial-shop.');
    }
    for (const member of [viewer, envAdmin]) expect(await queued(member.email, 'environment.alert')).toBe(0);

    await trialPass();
    clock.advance(DAY);
    await trialPass();
    expect(await queued(owner.email, 'trial.ended')).toBe(1);
    expect(await queued(alerted.email, 'environment.alert')).toBe(2);
    // Stopped environments cost nothing more.
    await meter(t);
    expect((await usageOf(t, env.id)).map((row) => row.hour.toISOString())).not.toContain('2030-06-15T13:00:00.000Z');
  });

  it("refuses a member's start after the end: the account stays dormant until it upgrades", async () => {
    const start = await t.http.as(alerted).post(`/api/v1/environments/${env.id}/start`);
    expect(start.status).toBe(409);
    expect(start.body).toMatchObject({ code: 'invalid_state' });
    expect(start.body.detail).toContain("owner's trial has ended");
    const create = await t.http.as(alerted).post('/api/v1/environments', {
      name: `late-${Date.now().toString(36)}`,
      ownerId: owner.id,
      nodes: [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 1 }],
    });
    expect([403, 409]).toContain(create.status);
    await trialPass();
    await waitForStatus(t, env.id, 'stopped');
    expect(await queued(owner.email, 'trial.ended')).toBe(1);
  });

  it('gives access back at once when the billing team converts the account', async () => {
    await convertAccount(t, owner, 'paid');
    expect((await t.http.as(owner).get('/api/v1/me')).body.trialExpired).toBe(false);
    expect((await t.http.as(owner).get('/api/v1/billing/balance')).status).toBe(200);
    const log = await t.http.as(owner).get('/api/v1/audit', { query: { environmentId: env.id, action: 'environment.stop' } });
    expect(log.status).toBe(200);
    // The platform stopped it (no actor) once, at the end; the member's start after it was refused.
    expect(log.body.items.map((item: { actorId: string | null; outcome: string }) => [item.actorId, item.outcome])).toEqual([[null, 'ok']]);
    const ended = await t.http.as(owner).get('/api/v1/audit', { query: { action: 'account.trial_*' } });
    expect(ended.body.items.map((item: { action: string }) => item.action)).toEqual(['account.trial_end', 'account.trial_warning']);
    // A paid account is never handled again.
    clock.advance(30 * DAY);
    await lifecycle(t, owner, env.id, 'start');
    await trialPass();
    expect((await t.http.as(owner).get(`/api/v1/environments/${env.id}`)).body.status).toBe('running');
    await lifecycle(t, owner, env.id, 'stop');
  });
});

describe('trial mails in other situations', () => {
  it('sends only the end notice for a trial that ends before any warning went out', async () => {
    clock.set('2030-08-01T00:00:00Z');
    const owner = await createOwner(t, 'sudden');
    await setTrialEnd(t, owner, new Date(clock.now().getTime() - HOUR));
    await trialPass();
    const mail = await smtp.waitFor(owner.email, (m) => m.subject === 'Your Shareplane trial has ended');
    expect(mail.text).toContain('No environment of yours was running.');
    expect(await queued(owner.email, 'trial.ending')).toBe(0);
  });

  it('warns again after the billing team extends a trial, and ends it at the new date', async () => {
    clock.set('2030-09-01T00:00:00Z');
    const owner = await createOwner(t, 'extended');
    await setTrialEnd(t, owner, new Date(clock.now().getTime() + DAY));
    await trialPass();
    expect(await queued(owner.email, 'trial.ending')).toBe(1);
    await setTrialEnd(t, owner, new Date(clock.now().getTime() + 10 * DAY));
    await trialPass();
    expect(await queued(owner.email, 'trial.ending')).toBe(1);
    clock.advance(8 * DAY);
    await trialPass();
    expect(await queued(owner.email, 'trial.ending')).toBe(2);
    clock.advance(2 * DAY);
    await trialPass();
    expect(await queued(owner.email, 'trial.ended')).toBe(1);
  });

  it('sends each mail once when two nodes run the trial worker at the same time', async () => {
    const second = await startTestApp({ database: t.db, clock, config, smtp });
    try {
      clock.set('2030-10-01T00:00:00Z');
      const ending: Account[] = [];
      const ended: Account[] = [];
      for (let i = 0; i < 4; i++) {
        const soon = await createOwner(t, 'soon');
        await setTrialEnd(t, soon, new Date(clock.now().getTime() + 2 * DAY));
        ending.push(soon);
        const over = await createOwner(t, 'over');
        await createRunningEnvironment(t, over);
        await setTrialEnd(t, over, new Date(clock.now().getTime() - MINUTE));
        ended.push(over);
      }
      await Promise.all([trialPass(t), trialPass(second), runTrialPass(t.ctx), runTrialPass(second.ctx)]);
      await Promise.all([trialPass(t), trialPass(second)]);
      for (const account of ending) {
        expect(await queued(account.email, 'trial.ending')).toBe(1);
        await smtp.waitFor(account.email, (m) => m.subject.startsWith('Your Shareplane trial ends in'));
      }
      for (const account of ended) {
        expect(await queued(account.email, 'trial.ended')).toBe(1);
        const mail = await smtp.waitFor(account.email, (m) => m.subject === 'Your Shareplane trial has ended');
        expect(mail.text).toContain('We stopped your running environment');
      }
      const delivered = smtp.messages.filter((m) => m.subject.includes('trial') && [...ending, ...ended].some((a) => m.to.includes(a.email)));
      expect(delivered).toHaveLength(8);
    } finally {
      await second.close();
    }
  });
});
