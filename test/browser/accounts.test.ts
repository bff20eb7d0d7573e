import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkIn } from '../support/smtp.js';
import { chromiumAvailable, launchChromium, openPage } from './support/chromium.js';
import { checkPage } from './support/page-check.js';
import { startStack, type Stack } from './support/stack.js';

const email = 'account-holder@example.com';
const firstPassword = 'first password 123';
const newPassword = 'second password 456';

describe.skipIf(!chromiumAvailable())('an account in the dashboard', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    page = await openPage(browser, stack.url);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });

  it('signs up, confirms the email from the mailed link, and lands in the dashboard with the trial banner', async () => {
    await page.goto('/');
    await expect.poll(() => page.url()).toContain('/sign-in');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await heading('Create your account').waitFor();

    // The form checks before sending: a short password is refused next to its field.
    await page.getByLabel('Your name').fill('The Account Holder');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Use at least 10 characters').waitFor();
    await checkPage(page, 'sign-up');

    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(firstPassword);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('trial-banner').waitFor();
    expect(await page.getByTestId('trial-banner').innerText()).toMatch(/Trial: 14 days left/);
    await page.getByText('Confirm your email: we sent a link').waitFor();

    const mail = await stack.smtp?.waitFor(email, (m) => m.subject.includes('Confirm'));
    if (!mail) throw new Error('no SMTP listener');
    await page.goto(linkIn(mail, `${stack.url}/verify-email?token=`));
    // Opening the link confirms nothing by itself (mail scanners open links): it takes the click.
    await page.getByRole('button', { name: 'Confirm my email' }).click();
    await page.getByText(`${email} is confirmed`).waitFor();
    await checkPage(page, 'verify-email');
    await page.getByRole('link', { name: 'Go to the dashboard' }).click();
    await page.getByTestId('trial-banner').waitFor();
    await expect.poll(() => page.getByText('Confirm your email: we sent a link').count()).toBe(0);
  });

  it('shows the API’s own message next to the field: an email that already has an account', async () => {
    const visitor = await openPage(browser, stack.url);
    await visitor.goto('/sign-up');
    await visitor.getByLabel('Your name').fill('The Second Visitor');
    await visitor.getByLabel('Email').fill(email.toUpperCase());
    await visitor.getByRole('textbox', { name: 'Password', exact: true }).fill('another password 1');
    await visitor.getByRole('button', { name: 'Create account' }).click();
    const field = visitor.getByLabel('Email');
    await visitor.getByText('An account with this email already exists').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await visitor.context().close();
  });

  it('creates an API token that is shown once and works, and revokes one after a confirmation', async () => {
    await page.getByRole('button', { name: /Account menu/ }).click();
    await page.getByRole('menuitem', { name: 'Account settings' }).click();
    await heading('Account settings').waitFor();
    await page.getByText('No API tokens yet').waitFor();

    await page.getByLabel('Token name').fill('CI deploys');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.getByTestId('new-token-secret').innerText()).trim();
    expect(secret.length).toBeGreaterThan(20);
    const me = await fetch(`${stack.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe(email);
    await page.getByRole('row', { name: /CI deploys/ }).waitFor();
    await checkPage(page, 'account');

    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByTestId('new-token-secret').count()).toBe(0);

    await page.getByLabel('Token name').fill('old laptop');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('row', { name: /old laptop/ }).waitFor();
    await page.getByRole('button', { name: 'Revoke token old laptop' }).click();
    const dialog = page.getByRole('dialog', { name: /Revoke the token “old laptop”/ });
    await dialog.getByText('get 401 from their next request').waitFor();
    await checkPage(page, 'account-revoke-token');
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => page.getByRole('row', { name: /old laptop/ }).count()).toBe(0);
    await page.getByRole('row', { name: /CI deploys/ }).waitFor();
  });

  it('signs out, resets the forgotten password from the mailed link, and signs in with the new one', async () => {
    await page.getByRole('button', { name: /Account menu/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    await checkPage(page, 'sign-in');

    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await heading('Reset your password').waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send the reset link' }).click();
    await page.getByText('Check your mail').waitFor();
    await checkPage(page, 'forgot-password');

    const mail = await stack.smtp?.waitFor(email, (m) => /password/i.test(m.subject));
    if (!mail) throw new Error('no SMTP listener');
    await page.goto(linkIn(mail, `${stack.url}/reset-password?token=`));
    await heading('Choose a new password').waitFor();
    await page.getByRole('textbox', { name: 'New password', exact: true }).fill(newPassword);
    await page.getByLabel('Repeat the new password').fill('not the same 12345');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByText('The two passwords differ').waitFor();
    await checkPage(page, 'reset-password');
    await page.getByLabel('Repeat the new password').fill(newPassword);
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByText('Your password is changed').waitFor();

    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(firstPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('The email or the password is not right').waitFor();
    // Keyboard only: type, Tab to the password, Enter to sign in; then the skip link jumps over the navigation.
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill('');
    await page.getByLabel('Email').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.type(newPassword);
    await page.keyboard.press('Enter');
    await page.getByTestId('trial-banner').waitFor();
    // After a client-side navigation focus lands on the new page's heading.
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('page-title');
    await page.reload();
    await page.getByTestId('trial-banner').waitFor();
    await page.locator('#page-title').waitFor();
    // From the top of the page (nothing focused), the first Tab reaches the skip link.
    await page.evaluate('document.activeElement instanceof HTMLElement && document.activeElement.blur()');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('main');
  });
});
