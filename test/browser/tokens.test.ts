import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkIn } from '../support/smtp.js';
import { chromiumAvailable, launchChromium, openPage } from './support/chromium.js';
import { choose, heading, mailTo, navigate, type Person, signUpAndVerify } from './support/flows.js';
import { checkPage } from './support/page-check.js';
import { startStack, type Stack } from './support/stack.js';

const owner: Person = { name: 'The Token Owner', email: 'token-owner@example.com', password: 'token owner pass 1' };

// Issue 12: a token limited in the dashboard to one environment and one permission does that there and nothing else.
describe.skipIf(!chromiumAvailable())('scoped API tokens in the dashboard', () => {
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

  it('limits a new token to one environment and env.logs, shows its scope, and the token is held to it', async () => {
    await signUpAndVerify(page, stack, owner);
    await navigate(page, 'Environments');
    await page.getByRole('button', { name: 'New environment' }).click();
    const dialog = page.getByRole('dialog', { name: 'New environment' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('logs-only');
    await dialog.getByRole('button', { name: 'Create environment' }).click();
    await heading(page, 'logs-only').waitFor();
    const envId = new URL(page.url()).pathname.split('/').at(-1) ?? '';

    await page.getByRole('button', { name: /Account menu/ }).click();
    await page.getByRole('menuitem', { name: 'Account settings' }).click();
    await heading(page, 'Account settings').waitFor();
    await page.getByLabel('Token name').fill('log reader');
    await page.getByLabel('Limit this token to one account, one place and some permissions').check();
    await choose(page, 'Reaches', 'Environment logs-only');
    await page.getByRole('textbox', { name: 'Permissions' }).or(page.getByRole('combobox', { name: 'Permissions' })).first().click();
    await page.getByRole('option', { name: /^env\.logs/ }).click();
    await page.keyboard.press('Escape');
    await checkPage(page, 'account-token-scope');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.getByTestId('new-token-secret').innerText()).trim();
    expect(secret).toMatch(/^sp_pat_[A-Za-z0-9]{36}$/);
    await page.getByRole('row', { name: /log reader.*env\.logs on environment logs-only/ }).waitFor();

    const as = (path: string, method = 'GET') => fetch(`${stack.url}${path}`, { method, headers: { authorization: `Bearer ${secret}` } });
    expect((await as(`/api/v1/environments/${envId}/logs`)).status).toBe(200);
    const restart = await as(`/api/v1/environments/${envId}/restart`, 'POST');
    expect(restart.status).toBe(403);
    expect(((await restart.json()) as { permission: string }).permission).toBe('env.restart');
    const tokens = await as('/api/v1/tokens');
    expect(tokens.status).toBe(403);
    expect(((await tokens.json()) as { code: string }).code).toBe('token_cannot_manage_credentials');

    await page.reload();
    await page.getByRole('row', { name: /log reader.*from / }).waitFor();
  });

  it("shows the owner a member's token acting in its account with its last use, caps lifetimes, and revokes it", async () => {
    // The member joins through the API (the collaboration flow has its own browser test); the owner acts in the dashboard.
    const signIn = await fetch(`${stack.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: owner.email, password: owner.password }),
    });
    const signedIn = (await signIn.json()) as { token: string; user: { id: string } };
    const session = signedIn.token;
    const ownerId = signedIn.user.id;
    const ownerApi = async (path: string, method: string, data?: unknown) => {
      const answer = await fetch(`${stack.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${session}`, ...(data ? { 'content-type': 'application/json' } : {}) },
        ...(data ? { body: JSON.stringify(data) } : {}),
      });
      return { status: () => answer.status, json: () => answer.json() };
    };
    const email = 'token-member@example.com';
    expect((await ownerApi('/api/v1/collaboration/members', 'POST', { email, displayName: 'Deploy bot' })).status()).toBe(201);
    const invitation = linkIn(await mailTo(stack, email, /invit/i), `${stack.url}/invitations/`).split('/').at(-1) ?? '';
    const signup = await fetch(`${stack.url}/api/v1/invitations/${invitation}/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'The Token Member', password: 'token member pass 1' }),
    });
    const member = (await signup.json()) as { token: string; collaboration: { id: string } };
    const envs = (await (await ownerApi('/api/v1/environments', 'GET')).json()) as { items: Array<{ id: string }> };
    const envId = envs.items[0]?.id ?? '';
    const shared = await ownerApi(`/api/v1/collaboration/members/${member.collaboration.id}/shares`, 'POST', { resource: { type: 'account' }, roleIds: ['viewer'] });
    expect(shared.status()).toBe(201);
    const minted = await fetch(`${stack.url}/api/v1/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${member.token}` },
      // 20 days: within the 30-day cap the owner sets below, so the token keeps acting there.
      body: JSON.stringify({
        name: 'log shipper',
        expiresAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
        scope: { ownerId, resources: [{ type: 'environment', id: envId }], permissions: ['env.logs'] },
      }),
    });
    const mintedBody = (await minted.json()) as { token: string };
    expect(minted.status, JSON.stringify(mintedBody)).toBe(201);
    const token = mintedBody.token;
    expect((await fetch(`${stack.url}/api/v1/environments/${envId}/logs`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    await navigate(page, 'Collaboration');
    const row = page.getByRole('row', { name: /log shipper.*Deploy bot.*env\.logs on environment logs-only.*from / });
    await row.waitFor();
    await page.getByLabel('Longest token lifetime (days, empty: no cap)').fill('30');
    await page.getByRole('button', { name: 'Save lifetime' }).click();
    await page.getByText('Tokens acting here now live at most 30 days.').waitFor();
    expect((await fetch(`${stack.url}/api/v1/environments/${envId}/logs`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await checkPage(page, 'collaboration-member-tokens');
    // Explain: the token may read logs there (seeing implied), as much as its viewer holder may: the holder decided.
    await page.getByRole('button', { name: "Explain Deploy bot's token log shipper" }).click();
    const explained = page.getByRole('dialog', { name: 'What can “log shipper” do?' }).getByTestId('token-explanation');
    await explained.getByText('“log shipper” may do this here').waitFor();
    await explained.getByText("Decided by its holder's access").waitFor();
    expect(await explained.innerText()).toMatch(/env\.logs[\s\S]*What Deploy bot may do here[\s\S]*env\.logs/);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: "Revoke Deploy bot's token log shipper" }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('No member’s token acts here'.replace('’', "'")).waitFor();
    expect((await fetch(`${stack.url}/api/v1/environments/${envId}/logs`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});
