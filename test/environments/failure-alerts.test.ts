import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeError, type RuntimeTarget } from '../../src/environments/runtime/driver.js';
import { SimulatedRuntimeDriver } from '../../src/environments/runtime/simulated.js';
import { deliverDueMail, smtpSender } from '../../src/mail/worker.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { SmtpCapture } from '../support/smtp.js';
import { createOwner } from '../factories.js';
import { inviteAndAccept, share } from '../factories/collaboration.js';
import { createRunningEnvironment, settleRuntime } from '../factories/environments.js';

let smtp: SmtpCapture;
let t: TestApp;

beforeAll(async () => {
  smtp = await new SmtpCapture().start();
  // The runtime is driven by hand with a failing driver, so no background worker may take the job first.
  t = await startTestApp({ smtp, workers: false });
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

/** The simulation, with a restart that never becomes healthy. */
class UnhealthyRestart extends SimulatedRuntimeDriver {
  override async restart(_target: RuntimeTarget): Promise<void> {
    throw new RuntimeError('Container app-1 did not become healthy within 120 s.');
  }
}

/** Delivers everything queued so far, the alerts included, as the mail worker would. */
async function deliverQueuedMail(): Promise<void> {
  const sender = smtpSender(smtp.url);
  try {
    while ((await deliverDueMail(t.ctx, sender)) > 0);
  } finally {
    sender.close();
  }
}

describe('runtime failures', () => {
  it('alert the owner and the members whose roles receive alerts, not the others', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    const admin = await inviteAndAccept(t, owner);
    const viewer = await inviteAndAccept(t, owner);
    await share(t, owner, admin.memberId, { type: 'environment', id: env.id }, ['admin']);
    await share(t, owner, viewer.memberId, { type: 'environment', id: env.id }, ['viewer']);

    expect((await t.http.as(owner).post(`/api/v1/environments/${env.id}/restart`)).status).toBe(202);
    await settleRuntime(t, new UnhealthyRestart({ db: t.ctx.db, clock: t.clock, delayMs: 0 }));
    await deliverQueuedMail();

    const ownerMail = await smtp.waitFor(owner.email, (mail) => mail.subject.startsWith('Could not restart'));
    expect(ownerMail.text).toContain('did not become healthy');
    expect(ownerMail.text).toContain(`http://shareplane.test/environments/${env.id}`);
    await smtp.waitFor(admin.email, (mail) => mail.subject.startsWith('Could not restart'));

    const ownerBell = await t.http.as(owner).get('/api/v1/notifications');
    expect(ownerBell.body.items[0]).toMatchObject({ type: 'environment.alert', link: `/environments/${env.id}` });
    const viewerBell = await t.http.as(viewer).get('/api/v1/notifications');
    expect(viewerBell.body.items.filter((n: { type: string }) => n.type === 'environment.alert')).toHaveLength(0);
    expect(smtp.inbox(viewer.email).filter((mail) => mail.subject.startsWith('Could not'))).toHaveLength(0);
  });

  it('name who asked for the failed action: the owner reads the alias, a member reads "another collaborator"', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    const operator = await inviteAndAccept(t, owner);
    const admin = await inviteAndAccept(t, owner);
    expect((await t.http.as(owner).patch(`/api/v1/collaboration/members/${operator.memberId}`, { displayName: 'Night shift' })).status).toBe(200);
    await share(t, owner, operator.memberId, { type: 'environment', id: env.id }, ['operator']);
    await share(t, owner, admin.memberId, { type: 'environment', id: env.id }, ['admin']);

    expect((await t.http.as(operator).post(`/api/v1/environments/${env.id}/restart`)).status).toBe(202);
    await settleRuntime(t, new UnhealthyRestart({ db: t.ctx.db, clock: t.clock, delayMs: 0 }));
    await deliverQueuedMail();
    const ownerMail = await smtp.waitFor(owner.email, (mail) => mail.subject.startsWith('Could not restart'));
    expect(ownerMail.text).toContain('Done by the member aliased “Night shift”.');
    const adminMail = await smtp.waitFor(admin.email, (mail) => mail.subject.startsWith('Could not restart'));
    expect(adminMail.text).toContain('Done by another collaborator of the account.');
    expect(adminMail.text).not.toContain('Night shift');
  });
});
