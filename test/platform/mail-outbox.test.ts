import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../support/app.js';
import { tokenFromLink } from '../support/mail.js';
import { SmtpCapture } from '../support/smtp.js';
import { createAdmin, PASSWORD, signUpAndIn, uniqueEmail } from '../factories.js';
import { outbox } from '../../src/db/schema/index.js';
import { MAIL_RETRY_WINDOW_MS } from '../../src/mail/outbox.js';
import { backoffMs, deliverDueMail, MAX_BACKOFF_MS, smtpSender } from '../../src/mail/worker.js';

let smtp: SmtpCapture;
let t: TestApp;

beforeAll(async () => {
  smtp = await new SmtpCapture().start();
  // Workers off: the tests drive delivery passes themselves.
  t = await startTestApp({ smtp, workers: false });
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

async function signUp(email: string) {
  const answer = await t.http.post('/api/v1/auth/signup', { email, password: PASSWORD, name: 'Mail Test' });
  expect(answer.status).toBe(201);
}

const rowFor = async (email: string) => {
  const [row] = await t.ctx.db.select().from(outbox).where(eq(outbox.toAddress, email));
  if (!row) throw new Error(`no outbox row for ${email}`);
  return row;
};

describe('mail outbox', () => {
  it('keeps mail while SMTP fails, retries with backoff, and delivers it once SMTP is back', async () => {
    const email = uniqueEmail('retry');
    await signUp(email);
    const sender = smtpSender(smtp.url);
    try {
      smtp.failNext(2);
      expect(await deliverDueMail(t.ctx, sender)).toBe(1);
      let row = await rowFor(email);
      expect(row).toMatchObject({ status: 'pending', attempts: 1 });
      expect(row.lastError).toContain('451');
      expect(row.nextAttemptAt.getTime() - t.clock.now().getTime()).toBe(backoffMs(1));

      // Not due yet: nothing happens.
      await deliverDueMail(t.ctx, sender);
      expect((await rowFor(email)).attempts).toBe(1);

      t.clock.advance(backoffMs(1));
      await deliverDueMail(t.ctx, sender);
      row = await rowFor(email);
      expect(row).toMatchObject({ status: 'pending', attempts: 2 });
      expect(row.nextAttemptAt.getTime() - t.clock.now().getTime()).toBe(backoffMs(2));

      t.clock.advance(backoffMs(2));
      await deliverDueMail(t.ctx, sender);
      expect((await rowFor(email)).status).toBe('sent');
      expect(smtp.inbox(email)).toHaveLength(1);
      expect(smtp.inbox(email)[0]?.subject).toContain('Confirm your email');
    } finally {
      sender.close();
    }
  });

  it('keeps retrying for three days, every ten minutes at most, then marks the mail failed; an admin can send it again', async () => {
    const email = uniqueEmail('dead');
    await signUp(email);
    const queuedAt = t.clock.now().getTime();
    // Nothing listens on this port: every attempt fails to connect.
    const dead = smtpSender('smtp://127.0.0.1:9');
    try {
      for (let row = await rowFor(email); row.status === 'pending'; row = await rowFor(email)) {
        t.clock.set(row.nextAttemptAt);
        await deliverDueMail(t.ctx, dead);
      }
    } finally {
      dead.close();
    }
    const row = await rowFor(email);
    expect(row.status).toBe('failed');
    expect(t.clock.now().getTime() - queuedAt).toBeGreaterThanOrEqual(MAIL_RETRY_WINDOW_MS);
    // After the first hour an attempt every ten minutes: about 430 attempts in three days.
    expect(row.attempts).toBeGreaterThan(MAIL_RETRY_WINDOW_MS / MAX_BACKOFF_MS - 10);
    const admin = await createAdmin(t);
    const failed = await t.http.as(admin).get('/api/v1/admin/mail', { query: { status: 'failed' } });
    expect(failed.status).toBe(200);
    const item = failed.body.items.find((mail: { to: string }) => mail.to === email);
    expect(item.lastError).toMatch(/ECONNREFUSED|connect/i);

    // Only platform admins retry mail: anyone else is refused and the mail stays failed.
    const someone = await signUpAndIn(t, { label: 'not-admin' });
    expect((await t.http.post(`/api/v1/admin/mail/${item.id}/retry`)).status).toBe(401);
    expect((await t.http.as(someone).post(`/api/v1/admin/mail/${item.id}/retry`)).status).toBe(403);
    expect((await rowFor(email)).status).toBe('failed');
    const retried = await t.http.as(admin).post(`/api/v1/admin/mail/${item.id}/retry`);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body.status).toBe('pending');
    const sender = smtpSender(smtp.url);
    try {
      await deliverDueMail(t.ctx, sender);
    } finally {
      sender.close();
    }
    expect((await rowFor(email)).status).toBe('sent');
    expect(smtp.inbox(email)).toHaveLength(1);
    // Only failed mail can be retried.
    expect((await t.http.as(admin).post(`/api/v1/admin/mail/${item.id}/retry`)).body.code).toBe('invalid_state');
    expect((await t.http.as(admin).post('/api/v1/admin/mail/999999999/retry')).status).toBe(404);
  });

  it('two workers at once never send the same mail twice', async () => {
    const emails = Array.from({ length: 12 }, () => uniqueEmail('race'));
    for (const email of emails) await signUp(email);
    const a = smtpSender(smtp.url);
    const b = smtpSender(smtp.url);
    try {
      await Promise.all([deliverDueMail(t.ctx, a), deliverDueMail(t.ctx, b), deliverDueMail(t.ctx, a)]);
      await Promise.all([deliverDueMail(t.ctx, a), deliverDueMail(t.ctx, b)]);
    } finally {
      a.close();
      b.close();
    }
    for (const email of emails) expect(smtp.inbox(email)).toHaveLength(1);
  });

  it('every mail has a text and an HTML part and a sender', async () => {
    const email = uniqueEmail('parts');
    await signUp(email);
    const sender = smtpSender(smtp.url);
    try {
      await deliverDueMail(t.ctx, sender);
    } finally {
      sender.close();
    }
    const mail = await smtp.waitFor(email);
    expect(mail.text.length).toBeGreaterThan(50);
    expect(mail.html).toContain('<html');
    expect(mail.from).toBe('no-reply@localhost');
  });
});

describe('the dev mailbox', () => {
  it('keeps the mail readable at GET /api/v1/dev/mail when SMTP is unset, with links that work', async () => {
    const dev = await startTestApp();
    try {
      const account = await signUpAndIn(dev);
      const answer = await dev.http.get('/api/v1/dev/mail', { query: { to: account.email } });
      expect(answer.status).toBe(200);
      const mail = (answer.body.items as Array<{ kind: string; text: string }>).find((item) => item.kind === 'account.verify');
      if (!mail) throw new Error(`no verification mail in the dev mailbox: ${JSON.stringify(answer.body)}`);
      const token = tokenFromLink(mail.text, `${dev.ctx.config.publicUrl}/verify-email?token=`);
      const verified = await dev.http.post('/api/v1/auth/verify', { token });
      expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    } finally {
      await dev.close();
    }
  });
});
