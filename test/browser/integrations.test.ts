import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, signIn } from '../factories.js';
import { inviteAndAccept, share } from '../factories/collaboration.js';
import { createRunningEnvironment, type TestEnvironment } from '../factories/environments.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { chromiumAvailable, launchChromium, openPage } from './support/chromium.js';
import { choose, heading, signUpAndVerify } from './support/flows.js';
import { checkPage } from './support/page-check.js';
import { startStack, type Stack } from './support/stack.js';

const person = { name: 'The Webhook Owner', email: 'webhook-owner@example.com', password: 'webhook password 123' };

describe.skipIf(!chromiumAvailable())('webhooks and activity in the dashboard', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let receiver: WebhookReceiver;
  let owner: Account;
  let env: TestEnvironment;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    stack = await startStack({ config: { webhookAllowPrivate: true } });
    browser = await launchChromium();
    page = await openPage(browser, stack.url);
    await signUpAndVerify(page, stack, person);
    owner = await signIn(stack.server, person.email, person.password);
    env = await createRunningEnvironment(stack.server, owner, { displayName: 'Shop' });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await receiver?.stop();
  });

  it("registers an endpoint under Account settings, shows its secret once, and logs a collaborator's deploy with redeliver", async () => {
    await page.getByRole('button', { name: /Account menu/ }).click();
    await page.getByRole('menuitem', { name: 'Account settings', exact: true }).click();
    await heading(page, 'Account settings').waitFor();
    await page.getByRole('link', { name: 'Manage webhooks' }).click();
    await heading(page, 'Webhooks').waitFor();
    await page.getByText('No endpoints yet').waitFor();

    await page.getByLabel('Endpoint URL').fill(receiver.url);
    await page.getByLabel('Description').fill('Deploys to chat');
    await choose(page, 'Event types', 'environment.*');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Register endpoint' }).click();
    const secret = await page.getByTestId('webhook-secret').innerText();
    expect(secret).toMatch(/^whsec_/);
    await checkPage(page, 'webhooks');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await expect.poll(() => page.getByTestId('webhook-secret').count()).toBe(0);

    const member = await inviteAndAccept(stack.server, owner);
    expect((await stack.server.http.as(owner).patch(`/api/v1/collaboration/members/${member.memberId}`, { displayName: 'Contractor' })).status).toBe(200);
    await share(stack.server, owner, member.memberId, { type: 'environment', id: env.id }, ['developer']);
    expect((await stack.server.http.as(member).post(`/api/v1/environments/${env.id}/deploy`, { source: 'https://git.example.test/shop.git' })).status).toBe(202);
    const hook = await receiver.waitFor((candidate) => candidate.json?.type === 'environment.deploy');
    const headers = { 'webhook-id': String(hook.headers['webhook-id']), 'webhook-timestamp': String(hook.headers['webhook-timestamp']), 'webhook-signature': String(hook.headers['webhook-signature']) };
    expect(new Webhook(secret).verify(hook.body, headers)).toMatchObject({ data: { actor: { email: member.email } } });

    const card = page.getByRole('article', { name: `Webhook endpoint ${receiver.url}` });
    await card.getByRole('button', { name: 'Deliveries' }).click();
    const log = card.getByRole('table', { name: `Deliveries to ${receiver.url}` });
    const row = log.getByRole('row').filter({ hasText: 'environment.deploy' });
    await row.getByText('delivered').waitFor();
    await row.getByText('200').waitFor();
    const before = receiver.received.filter((candidate) => candidate.headers['webhook-id'] === hook.headers['webhook-id']).length;
    await row.getByRole('button', { name: /^Redeliver environment\.deploy/ }).click();
    await page.getByText('Delivery of environment.deploy queued again.').waitFor();
    await expect.poll(() => receiver.received.filter((candidate) => candidate.headers['webhook-id'] === hook.headers['webhook-id']).length, { timeout: 15_000 }).toBe(before + 1);
    await checkPage(page, 'webhook-deliveries');
  });

  it('shows who did what on the environment page, members by the alias the owner gave them', async () => {
    await page.goto(`/environments/${env.id}`);
    await page.getByRole('tab', { name: 'Activity' }).click();
    const table = page.getByRole('table', { name: 'Activity, newest first' });
    await table.getByRole('row').filter({ hasText: 'environment.deploy' }).getByText('Contractor').waitFor();
    await table.getByRole('row').filter({ hasText: 'environment.create' }).getByText('you').waitFor();
    await checkPage(page, 'environment-activity');
  });
});
