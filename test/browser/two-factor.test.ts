import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, openPage } from './support/chromium.js';
import { heading, passwordField, type Person, signUpAndVerify } from './support/flows.js';
import { checkPage } from './support/page-check.js';
import { startStack, type Stack } from './support/stack.js';
import { signIn } from '../factories.js';
import { inviteAndAccept, share } from '../factories/collaboration.js';
import { createEnvironment } from '../factories/environments.js';

const person: Person = { name: 'The Careful Owner', email: 'two-factor-owner@example.com', password: 'two factor pass 12' };

// Issue 12 items 3 and 5: two-factor sign-in with an authenticator app (codes computed here with otpauth, at the
// server's clock), recovery codes, and the list of sessions, all in the dashboard.
describe.skipIf(!chromiumAvailable())('two-factor sign-in and sessions in the dashboard', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let secret = '';
  let recoveryCodes: string[] = [];

  /** The code the app shows now on the server's clock; moves the clock a step on first, so no code is used twice. */
  const nextCode = () => {
    stack.server.clock.advance(30_000);
    return new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: stack.server.clock.now().getTime() });
  };

  const openAccount = async () => {
    await page.getByRole('button', { name: /Account menu/ }).click();
    await page.getByRole('menuitem', { name: 'Account settings' }).click();
    await heading(page, 'Account settings').waitFor();
  };

  const signInWithPassword = async () => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(person.email);
    await passwordField(page, 'Password').fill(person.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading(page, 'Two-factor sign-in').waitFor();
  };

  const signOut = async () => {
    await page.getByRole('button', { name: /Account menu/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
  };

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    page = await openPage(browser, stack.url);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('turns two-factor on with the QR code and a code, and shows ten recovery codes once', async () => {
    await signUpAndVerify(page, stack, person);
    await openAccount();
    const section = page.getByRole('region', { name: 'Two-factor sign-in' });
    await section.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await section.getByRole('img', { name: 'QR code to scan with your authenticator app' }).waitFor();
    secret = (await page.getByTestId('totp-secret').innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await checkPage(page, 'account-two-factor-enrol');
    await section.getByLabel('Code from the app').fill('000000');
    await section.getByRole('button', { name: 'Confirm and turn on' }).click();
    await section.getByText(/code is not right/).waitFor();
    await section.getByLabel('Code from the app').fill(nextCode());
    await section.getByRole('button', { name: 'Confirm and turn on' }).click();
    recoveryCodes = (await page.getByTestId('recovery-codes').innerText()).trim().split(/\s+/);
    expect(recoveryCodes).toHaveLength(10);
    await section.getByText('On since').waitFor();
    await checkPage(page, 'account-two-factor-on');
    await section.getByRole('button', { name: 'I have stored them' }).click();
    await section.getByText('10 of 10 recovery codes left').waitFor();
  });

  it('signs in with the password and then a code of the app, or a recovery code', async () => {
    await signOut();
    await signInWithPassword();
    await checkPage(page, 'sign-in-second-factor');
    await page.getByLabel('Code').fill('123456');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText(/code is not right/).waitFor();
    await page.getByLabel('Code').fill(nextCode());
    await page.getByRole('button', { name: 'Verify' }).click();
    await heading(page, 'Environments').waitFor();

    await signOut();
    await signInWithPassword();
    await page.getByLabel('Code').fill(recoveryCodes[0] ?? '');
    await page.getByRole('button', { name: 'Verify' }).click();
    await heading(page, 'Environments').waitFor();
    await openAccount();
    await page.getByText('9 of 10 recovery codes left').waitFor();
  });

  it('lists the sessions with device and address, ends another one, and the other browser is signed out', async () => {
    const other = await browser.newContext({ baseURL: stack.url, userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' });
    const otherPage = await other.newPage();
    await otherPage.goto('/sign-in');
    await otherPage.getByLabel('Email').fill(person.email);
    await passwordField(otherPage, 'Password').fill(person.password);
    await otherPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await otherPage.getByLabel('Code').fill(nextCode());
    await otherPage.getByRole('button', { name: 'Verify' }).click();
    await heading(otherPage, 'Environments').waitFor();

    await page.reload();
    const sessions = page.getByRole('region', { name: 'Sessions' });
    await sessions.getByRole('row', { name: /this session/ }).waitFor();
    const firefox = sessions.getByRole('row', { name: /Firefox on Linux.*127\.0\.0\.1/ });
    await firefox.waitFor();
    await checkPage(page, 'account-sessions');
    await firefox.getByRole('button', { name: /End the session on Firefox on Linux/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'End session' }).click();
    await expect.poll(() => sessions.getByRole('row', { name: /Firefox on Linux/ }).count()).toBe(0);
    expect((await otherPage.request.get('/api/v1/me')).status()).toBe(401);
    await other.close();
  });

  it('replaces the recovery codes and turns two-factor off with the password and a code', async () => {
    const section = page.getByRole('region', { name: 'Two-factor sign-in' });
    await section.getByRole('button', { name: 'New recovery codes' }).click();
    const replace = page.getByRole('dialog', { name: 'Replace your recovery codes' });
    await replace.getByRole('textbox', { name: 'Password', exact: true }).fill(person.password);
    await replace.getByRole('button', { name: 'Replace codes' }).click();
    const fresh = (await page.getByTestId('recovery-codes').innerText()).trim().split(/\s+/);
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(recoveryCodes[1]);
    await section.getByRole('button', { name: 'I have stored them' }).click();

    await section.getByRole('button', { name: 'Turn off' }).click();
    const off = page.getByRole('dialog', { name: 'Turn off two-factor sign-in' });
    await passwordField(page, 'Password').fill(person.password);
    await off.getByLabel('Code from the app, or a recovery code').fill(fresh[0] ?? '');
    await checkPage(page, 'account-two-factor-off');
    await off.getByRole('button', { name: 'Turn off' }).click();
    await section.getByRole('button', { name: 'Turn on two-factor sign-in' }).waitFor();
    await signOut();
    await page.getByLabel('Email').fill(person.email);
    await passwordField(page, 'Password').fill(person.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading(page, 'Environments').waitFor();
  });
  it("an owner who requires two-factor locks out a member without it, who is mailed and gets back in by enrolling", async () => {
    // The member joins through the API (its own flow has a browser test); the owner and the member act in the dashboard.
    const t = stack.server;
    const owner = await signIn(t, person.email, person.password);
    const env = await createEnvironment(t, owner);
    const member = await inviteAndAccept(t, owner, { name: 'The Relaxed Member' });
    await share(t, owner, member.memberId, { type: 'account' }, ['viewer']);
    const asMember = () => fetch(`${stack.url}/api/v1/environments/${env.id}`, { headers: { authorization: `Bearer ${member.token}` } });
    expect((await asMember()).status).toBe(200);

    await page.goto('/settings/collaboration');
    await heading(page, 'Collaboration').waitFor();
    await page.getByRole('row', { name: /The Relaxed Member.*off/ }).waitFor();
    await page.getByRole('switch', { name: 'Require two-factor sign-in of collaborators' }).click({ force: true });
    await page.getByRole('dialog', { name: 'Require two-factor sign-in?' }).getByRole('button', { name: 'Require it' }).click();
    await page.getByText('Two-factor sign-in is now required here.').waitFor();
    await checkPage(page, 'collaboration-require-two-factor');
    const mail = await stack.smtp?.waitFor(member.email, (m) => /requires two-factor sign-in/.test(m.subject));
    expect(mail?.text).toContain('/settings/account');
    const refused = await asMember();
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('two_factor_required');

    const context = await browser.newContext({ baseURL: stack.url });
    const memberPage = await context.newPage();
    await memberPage.goto('/sign-in');
    await memberPage.getByLabel('Email').fill(member.email);
    await passwordField(memberPage, 'Password').fill(member.password);
    await memberPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading(memberPage, /Environments|Shared with me/).waitFor();
    await memberPage.goto('/shared-with-me');
    const locked = memberPage.getByTestId('locked-account');
    await locked.getByText('requires two-factor sign-in of its collaborators').waitFor();
    await checkPage(memberPage, 'shared-with-me-locked');
    await locked.getByRole('link', { name: 'Turn on two-factor sign-in' }).click();
    await heading(memberPage, 'Account settings').waitFor();
    const section = memberPage.getByRole('region', { name: 'Two-factor sign-in' });
    await section.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    secret = (await memberPage.getByTestId('totp-secret').innerText()).trim();
    await section.getByLabel('Code from the app').fill(nextCode());
    await section.getByRole('button', { name: 'Confirm and turn on' }).click();
    await memberPage.getByTestId('recovery-codes').waitFor();
    await memberPage.goto('/shared-with-me');
    await memberPage.getByRole('link', { name: 'Environments' }).first().waitFor();
    expect(await memberPage.getByTestId('locked-account').count()).toBe(0);
    expect((await asMember()).status).toBe(200);
    await context.close();

    await page.reload();
    await page.getByRole('row', { name: /The Relaxed Member.*on/ }).waitFor();
  });
});
