import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, openPage } from './support/chromium.js';
import { heading, navigate, passwordField, type Person } from './support/flows.js';
import { checkPage } from './support/page-check.js';
import { ADMIN, startStack, type Stack } from './support/stack.js';
import { outbox } from '../../src/db/schema/index.js';

const trialUser: Person = { name: 'Trial User', email: 'trial-user@example.com', password: 'trial user pass 1' };

function yesterday(): string {
  const date = new Date(Date.now() - 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

// Without SMTP_URL mail stays in the dev mailbox: a new user follows the confirmation link from there. The billing
// team's admin page then ends the trial user's trial (the person sees what happened and what to do) and converts the account to paid.
describe.skipIf(!chromiumAvailable())('the dev mailbox and the admin page', () => {
  let stack: Stack;
  let browser: Browser;
  let userPage: Page;
  let admin: Page;

  beforeAll(async () => {
    stack = await startStack({ devMailbox: true });
    browser = await launchChromium();
    userPage = await openPage(browser, stack.url);
    admin = await openPage(browser, stack.url);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('a visitor finds the dev mailbox from the sign-in page', async () => {
    await userPage.goto('/sign-in');
    await userPage.getByRole('link', { name: 'dev mailbox' }).click();
    await heading(userPage, 'Dev mailbox').waitFor();
    await userPage.getByText('No mail yet').waitFor();
    await checkPage(userPage, 'dev-mailbox-empty');
  });

  it('a trial user signs up and confirms the email from the dev mailbox, following the link in the mail', async () => {
    await userPage.goto('/sign-up');
    await userPage.getByLabel('Your name').fill(trialUser.name);
    await userPage.getByLabel('Email').fill(trialUser.email);
    await passwordField(userPage, 'Password').fill(trialUser.password);
    await userPage.getByRole('button', { name: 'Create account' }).click();
    await userPage.getByTestId('trial-banner').waitFor();

    await navigate(userPage, 'Dev mailbox');
    await userPage.getByRole('button', { name: /Confirm your email address/ }).click();
    await userPage.getByTestId('mail-text').getByRole('link', { name: /verify-email\?token=/ }).waitFor();
    await checkPage(userPage, 'dev-mailbox');
    await userPage.getByTestId('mail-text').getByRole('link', { name: /verify-email\?token=/ }).click();
    await userPage.getByRole('button', { name: 'Confirm my email' }).click();
    await userPage.getByText(`${trialUser.email} is confirmed`).waitFor();
  });

  it('the admin ends the trial: the user sees what happened and what to do; converting the account to paid gives access back', async () => {
    await admin.goto('/sign-in');
    await admin.getByLabel('Email').fill(ADMIN.email);
    await passwordField(admin, 'Password').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Sign in', exact: true }).click();
    await navigate(admin, 'Admin');
    await admin.getByLabel('Find accounts by email').fill('trial-user');
    const row = admin.getByRole('row', { name: /trial-user@example.com/ });
    await row.waitFor();
    await checkPage(admin, 'admin');

    await row.getByRole('button', { name: 'Set trial end' }).click();
    const dialog = admin.getByRole('dialog', { name: /Set the trial end/ });
    await dialog.getByLabel('Trial ends on').fill(yesterday());
    await dialog.getByRole('button', { name: 'Set trial end' }).click();
    await row.getByText('trial ended').waitFor();

    await userPage.goto('/environments');
    await heading(userPage, 'Your trial has ended').waitFor();
    await userPage.getByText('Upgrade to a paid account').waitFor();
    await checkPage(userPage, 'trial-expired');
    // What still works with an ended trial.
    await userPage.getByRole('link', { name: 'Account settings' }).first().click();
    await heading(userPage, 'Account settings').waitFor();

    await row.getByRole('button', { name: 'Convert trial-user@example.com' }).click();
    await admin.getByRole('menuitem', { name: 'To paid' }).click();
    await admin.getByRole('dialog', { name: /Convert trial-user@example.com to paid/ }).getByRole('button', { name: 'Convert to paid' }).click();
    await row.getByText('paid').waitFor();

    await userPage.goto('/environments');
    await heading(userPage, 'Environments').waitFor();
    expect(await userPage.getByTestId('trial-banner').count()).toBe(0);
  });

  it('the admin sends a mail the outbox gave up on again: it leaves the failed list and is delivered', async () => {
    // The state three days of a dead SMTP server leave (test/platform/mail-outbox.test.ts drives the outbox there).
    const db = stack.server.ctx.db;
    const [mail] = await db
      .update(outbox)
      .set({ status: 'failed', lastError: 'connect ECONNREFUSED 127.0.0.1:25', sentAt: null })
      .where(and(eq(outbox.toAddress, trialUser.email), eq(outbox.kind, 'account.verify')))
      .returning({ id: outbox.id });
    expect(mail).toBeDefined();

    await admin.reload();
    const failed = admin.getByRole('table', { name: 'Failed mail' });
    const row = failed.getByRole('row', { name: new RegExp(trialUser.email) });
    await row.getByText('ECONNREFUSED').waitFor();
    await checkPage(admin, 'admin-failed-mail');
    await row.getByRole('button', { name: `Retry the mail to ${trialUser.email}` }).click();
    await admin.getByText(`The mail to ${trialUser.email} is queued again.`).waitFor();
    await admin.getByText('No failed mail').waitFor();
    await expect
      .poll(async () => (await db.select({ status: outbox.status }).from(outbox).where(eq(outbox.id, mail?.id ?? 0)))[0]?.status)
      .toBe('sent');
  });
});
