import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE, SECOND } from '../../src/clock.js';
import { outbox } from '../../src/db/schema/index.js';
import { deliverDueMail, LEASE_MS, type MailSender, smtpSender } from '../../src/mail/worker.js';
import { createOwner, signUpAndIn, uniqueEmail } from '../factories.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { SmtpCapture } from '../support/smtp.js';

// The outbox is driven by hand with the test clock: a pass, then time moves on, as the worker loop would do it.
let smtp: SmtpCapture;
let t: TestApp;

beforeAll(async () => {
  smtp = await new SmtpCapture().start();
  t = await startTestApp({ smtp, workers: false });
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

/** Runs passes until one finds nothing to do, as the worker loop does while it has work. */
async function drain(sender: MailSender): Promise<void> {
  while ((await deliverDueMail(t.ctx, sender)) > 0);
}

/** Simulates `ms` of the worker loop: a pass every `stepMs` of test time. */
async function runFor(sender: MailSender, ms: number, stepMs = 5 * SECOND): Promise<void> {
  for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
    await drain(sender);
    t.clock.advance(stepMs);
  }
}

async function inviteMany(count: number): Promise<string[]> {
  const owner = await createOwner(t, 'outage');
  const emails = Array.from({ length: count }, () => uniqueEmail('outage-invitee'));
  for (const email of emails) {
    const answer = await t.http.as(owner).post('/api/v1/collaboration/members', { email });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  }
  return emails;
}

const invitationsTo = (email: string) => smtp.inbox(email).filter((mail) => mail.subject.includes('invit'));

describe('mail through SMTP outages', () => {
  it('20 invitations queued during a 15-minute outage each arrive exactly once, within a minute of SMTP returning', async () => {
    const sender = smtpSender(smtp.url, 2 * SECOND);
    try {
      await drain(sender);
      await smtp.down();
      const emails = await inviteMany(20);
      await runFor(sender, 15 * MINUTE);
      const waiting = await t.ctx.db.select().from(outbox).where(inArray(outbox.toAddress, emails));
      expect(waiting.every((row) => row.status === 'pending' && row.attempts > 1)).toBe(true);
      expect(emails.flatMap(invitationsTo)).toHaveLength(0);

      await smtp.up();
      const back = t.clock.now().getTime();
      while (emails.some((email) => invitationsTo(email).length === 0)) {
        expect(t.clock.now().getTime() - back, 'the queue drains within a minute').toBeLessThanOrEqual(MINUTE);
        await runFor(sender, 5 * SECOND);
      }
      // Sent exactly once each, also after more passes.
      await runFor(sender, 30 * MINUTE, MINUTE);
      for (const email of emails) expect(invitationsTo(email)).toHaveLength(1);
    } finally {
      sender.close();
      await smtp.up();
    }
  });

  it('a server answering 451 to everything keeps the mail queued; it goes out once the server accepts again', async () => {
    const sender = smtpSender(smtp.url, 2 * SECOND);
    try {
      await drain(sender);
      smtp.refuseAll(true);
      const account = await signUpAndIn(t, { label: 'busy' });
      await runFor(sender, 20 * MINUTE, 30 * SECOND);
      const [row] = await t.ctx.db.select().from(outbox).where(eq(outbox.toAddress, account.email));
      expect(row?.status).toBe('pending');
      expect(row?.lastError).toContain('451');
      expect(smtp.inbox(account.email)).toHaveLength(0);

      smtp.refuseAll(false);
      await runFor(sender, MINUTE);
      expect(smtp.inbox(account.email)).toHaveLength(1);
    } finally {
      smtp.refuseAll(false);
      sender.close();
    }
  });

  it('a send to a slow server times out below the lease and is retried; the message is accepted once', async () => {
    const sender = smtpSender(smtp.url, 600);
    try {
      await drain(sender);
      smtp.slow(2_000);
      const account = await signUpAndIn(t, { label: 'slow' });
      expect(await deliverDueMail(t.ctx, sender)).toBe(1);
      const [row] = await t.ctx.db.select().from(outbox).where(eq(outbox.toAddress, account.email));
      expect(row).toMatchObject({ status: 'pending', lockedUntil: null, claim: null });
      expect(row?.lastError).toMatch(/time/i);

      smtp.slow(0);
      await runFor(sender, MINUTE);
      // The slow attempt's client gave up before the server answered, so the server never accepted that copy.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(smtp.inbox(account.email)).toHaveLength(1);
    } finally {
      smtp.slow(0);
      sender.close();
    }
  });

  it("fences outcomes by the claim: a node whose lease ran out cannot overwrite the outcome of the node that took over", async () => {
    const slowServer = await new SmtpCapture().start();
    const first = smtpSender(slowServer.url, 1_500);
    const second = smtpSender(smtp.url, 5_000);
    try {
      await drain(second);
      slowServer.slow(5_000);
      const account = await signUpAndIn(t, { label: 'fence' });
      // The first node claims the mail and hangs on its slow server...
      const stuck = deliverDueMail(t.ctx, first);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // ...its lease runs out, and the second node takes the mail over and sends it.
      t.clock.advance(LEASE_MS + SECOND);
      expect(await deliverDueMail(t.ctx, second)).toBe(1);
      // The first node's send then fails; its outcome must not reopen the sent mail.
      await stuck;
      const [row] = await t.ctx.db.select().from(outbox).where(eq(outbox.toAddress, account.email));
      expect(row).toMatchObject({ status: 'sent', lastError: null, claim: null });
      await runFor(second, 10 * MINUTE, MINUTE);
      expect(smtp.inbox(account.email)).toHaveLength(1);
      expect(slowServer.inbox(account.email)).toHaveLength(0);
    } finally {
      first.close();
      second.close();
      await slowServer.stop();
    }
  });

  it('two nodes draining a slow server at once send every mail exactly once', async () => {
    const a = smtpSender(smtp.url, 5_000);
    const b = smtpSender(smtp.url, 5_000);
    try {
      await drain(a);
      smtp.slow(100);
      const emails = await inviteMany(8);
      await Promise.all([drain(a), drain(b), drain(a)]);
      for (const email of emails) expect(invitationsTo(email)).toHaveLength(1);
    } finally {
      smtp.slow(0);
      a.close();
      b.close();
    }
  });
});
