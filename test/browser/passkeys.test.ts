import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, openPage } from './support/chromium.js';
import { heading, passwordField, type Person, signUpAndVerify } from './support/flows.js';
import { checkPage } from './support/page-check.js';
import { startStack, type Stack } from './support/stack.js';

const person: Person = { name: 'The Passkey Holder', email: 'passkey-holder@example.com', password: 'passkey holder pass 1' };

async function signOut(page: Page): Promise<void> {
  await page.getByTestId('account-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByText('You are signed out.').waitFor();
}

async function openAccountSettings(page: Page): Promise<void> {
  await page.getByTestId('account-menu').click();
  await page.getByRole('menuitem', { name: 'Account settings', exact: true }).click();
  await heading(page, 'Account settings').waitFor();
}

// Issue 12 item 4: passkeys through Chromium's virtual authenticator (the DevTools protocol's WebAuthn domain), on
// a server reached at localhost, since browsers refuse an IP address as a relying party.
describe.skipIf(!chromiumAvailable())('passkeys in the dashboard', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;

  beforeAll(async () => {
    stack = await startStack({ hostname: 'localhost' });
    browser = await launchChromium();
    page = await openPage(browser, stack.url);
    cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const added = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    authenticatorId = added.authenticatorId;
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const credentials = async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;

  it('adds a passkey, signs in with it alone, renames it, and once removed it signs in no more', async () => {
    await signUpAndVerify(page, stack, person);
    await openAccountSettings(page);
    await page.getByLabel('Passkey name').fill('Work laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('row', { name: /Work laptop.*never/ }).waitFor();
    const [stored] = await credentials();
    expect(stored?.isResidentCredential).toBe(true);
    expect(stored?.rpId).toBe('localhost');
    await checkPage(page, 'account-passkeys');

    await signOut(page);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await heading(page, 'Environments').waitFor();
    await openAccountSettings(page);
    const row = page.getByRole('row', { name: /Work laptop/ });
    await expect.poll(async () => (await row.innerText()).includes('never')).toBe(false);

    await page.getByRole('button', { name: 'Rename the passkey Work laptop' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename the passkey “Work laptop”' });
    await rename.getByLabel('Name').fill('Old laptop');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('row', { name: /Old laptop/ }).waitFor();

    await page.getByRole('button', { name: 'Remove the passkey Old laptop' }).click();
    await page.getByRole('dialog', { name: 'Remove the passkey “Old laptop”?' }).getByRole('button', { name: 'Remove passkey' }).click();
    await page.getByText('No passkeys yet').waitFor();

    // The authenticator still holds the key, but the server no longer knows it.
    await signOut(page);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByText('This passkey does not sign in to any account here').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });

  it('answers the second step of a password sign-in with a passkey: the password alone signs in no more', async () => {
    const holder: Person = { name: 'The Second Step Holder', email: 'second-step@example.com', password: 'second step pass 12' };
    // The test before ends signed out, on the sign-in page.
    await signUpAndVerify(page, stack, holder);
    await openAccountSettings(page);
    await page.getByLabel('Passkey name').fill('Security key');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByRole('row', { name: /Security key.*never/ }).waitFor();

    await signOut(page);
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(holder.email);
    await passwordField(page, 'Password').fill(holder.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading(page, 'Two-factor sign-in').waitFor();
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await heading(page, 'Environments').waitFor();
    await openAccountSettings(page);
    const row = page.getByRole('row', { name: /Security key/ });
    await expect.poll(async () => (await row.innerText()).includes('never')).toBe(false);
  });
});
