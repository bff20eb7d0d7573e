import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settleRuntime } from '../factories/environments.js';
import { linkIn } from '../support/smtp.js';
import { chromiumAvailable, launchChromium, openPage } from './support/chromium.js';
import { heading, mailTo, navigate, type Person, signUpAndVerify } from './support/flows.js';
import { checkPage } from './support/page-check.js';
import { startStack, type Stack } from './support/stack.js';

const owner: Person = { name: 'The Giving Owner', email: 'giving-owner@example.com', password: 'giving owner pass 1' };
const recipient: Person = { name: 'The Receiving Owner', email: 'receiving-owner@example.com', password: 'receiving owner pass 1' };

// Issue 14: an environment handed to another account from its page and accepted from the recipient's inbox; a
// member's monthly budget set on the member page and followed on Billing.
describe.skipIf(!chromiumAvailable())('environment transfers and spend guardrails in the dashboard', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let other: Page;

  beforeAll(async () => {
    // One hour of one 2-cloudlet node costs 1.00: a budget of 1.00 is reached by the first metered hour.
    stack = await startStack({ config: { pricePerCloudletHour: 0.5 } });
    browser = await launchChromium();
    page = await openPage(browser, stack.url);
    other = await openPage(browser, stack.url);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const api = async (token: string, path: string, method = 'GET', data?: unknown) => {
    const answer = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(data ? { 'content-type': 'application/json' } : {}) },
      ...(data ? { body: JSON.stringify(data) } : {}),
    });
    return { status: answer.status, body: (await answer.json().catch(() => null)) as any };
  };
  const signIn = async (person: Person) => (await api('', '/api/v1/auth/login', 'POST', { email: person.email, password: person.password })).body.token as string;

  it('the owner asks to transfer from the environment page, can cancel, and the recipient accepts from its notifications', async () => {
    await signUpAndVerify(page, stack, owner);
    await signUpAndVerify(other, stack, recipient);
    await page.getByRole('button', { name: 'New environment' }).click();
    const dialog = page.getByRole('dialog', { name: 'New environment' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('handover-app');
    await dialog.getByRole('button', { name: 'Create environment' }).click();
    await heading(page, 'handover-app').waitFor();

    await page.getByRole('button', { name: 'Transfer…' }).click();
    await page.getByRole('dialog').getByLabel("Recipient's account email").fill(recipient.email);
    await checkPage(page, 'environment-transfer-dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Ask to transfer' }).click();
    await page.getByTestId('transfer-pending').getByText(`Waiting for ${recipient.name}`).waitFor();
    await checkPage(page, 'environment-transfer-pending');
    await page.getByRole('button', { name: 'Cancel transfer' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel transfer' }).click();
    await page.getByRole('button', { name: 'Transfer…' }).waitFor();
    await mailTo(stack, recipient.email, /cancelled the transfer of handover-app/);

    await page.getByRole('button', { name: 'Transfer…' }).click();
    await page.getByRole('dialog').getByLabel("Recipient's account email").fill(recipient.email);
    await page.getByRole('dialog').getByRole('button', { name: 'Ask to transfer' }).click();
    await page.getByTestId('transfer-pending').waitFor();

    const mail = await mailTo(stack, recipient.email, /wants to transfer handover-app to you/);
    await other.goto(linkIn(mail, `${stack.url}/notifications`));
    await heading(other, 'Notifications').waitFor();
    await other.getByTestId('incoming-transfer').getByText(`${owner.name} offers you handover-app`).waitFor();
    await checkPage(other, 'notifications-incoming-transfer');
    await other.getByRole('button', { name: 'Accept handover-app' }).click();
    await expect.poll(() => other.getByTestId('incoming-transfers').count()).toBe(0);
    await navigate(other, 'Environments');
    await other.getByRole('link', { name: 'handover-app' }).first().waitFor();
    await mailTo(stack, owner.email, /accepted handover-app/);
    await page.reload();
    await heading(page, 'Environment not found').waitFor();
  });

  it('the owner sets a member budget on the member page, sees it reached there and on Billing, and the member is held back', async () => {
    const ownerToken = await signIn(owner);
    const email = 'budget-member@example.com';
    expect((await api(ownerToken, '/api/v1/collaboration/members', 'POST', { email, displayName: 'Night shift' })).status).toBe(201);
    const invitation = linkIn(await mailTo(stack, email, /invit/i), `${stack.url}/invitations/`).split('/').at(-1) ?? '';
    const signup = await api('', `/api/v1/invitations/${invitation}/signup`, 'POST', { name: 'The Budget Member', password: 'budget member pass 1' });
    const memberToken = signup.body.token as string;
    const memberId = signup.body.collaboration.id as string;
    const ownerId = (await api(ownerToken, '/api/v1/me')).body.id as string;
    expect((await api(ownerToken, `/api/v1/collaboration/members/${memberId}/shares`, 'POST', { resource: { type: 'account' }, roleIds: ['developer'] })).status).toBe(201);

    await page.goto(`/settings/collaboration/members/${memberId}`);
    await heading(page, 'Night shift').waitFor();
    await page.getByRole('button', { name: 'Set a budget' }).click();
    await page.getByRole('dialog').getByLabel('Monthly budget').fill('1.00');
    await page.getByRole('dialog').getByLabel('Hard stop: stop their running environments at 100 %').check();
    await page.getByRole('dialog').getByRole('button', { name: 'Save budget' }).click();
    await page.getByTestId('member-budget').getByText('0 % spent').waitFor();

    const created = await api(memberToken, '/api/v1/environments', 'POST', {
      name: 'night-batch',
      ownerId,
      nodes: [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 2 }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // Running now: its first hour is charged at once, and costs 1.00.
    await settleRuntime(stack.server);
    await stack.server.workers?.metering.runOnce();
    await settleRuntime(stack.server);

    await page.reload();
    await page.getByTestId('member-budget').getByText(/100 % spent: they can no longer create/).waitFor();
    await checkPage(page, 'collaboration-member-budget');
    await page.goto('/billing?by=creator');
    await page.getByTestId('usage-budget').getByText(/of 1\.00 \(100 %\)/).waitFor();
    await checkPage(page, 'billing-member-budgets');

    const start = await api(memberToken, `/api/v1/environments/${created.body.id}/start`, 'POST');
    expect([start.status, start.body.code]).toEqual([409, 'spend_cap_reached']);
    expect((await api(memberToken, `/api/v1/environments/${created.body.id}`)).body.status).toBe('stopped');
  });
});
