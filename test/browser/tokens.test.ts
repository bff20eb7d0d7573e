import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, openPage } from './support/chromium.js';
import { choose, heading, navigate, type Person, signUpAndVerify } from './support/flows.js';
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
});
