import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../../src/clock.js';
import { linkIn } from '../support/smtp.js';
import { chromiumAvailable, launchChromium, openPage } from './support/chromium.js';
import { mailTo, navigate, type Person, signUpAndVerify } from './support/flows.js';
import { signedInApi } from './support/api.js';
import { checkPage } from './support/page-check.js';
import { startStack, type Stack } from './support/stack.js';

const owner: Person = { name: 'The Reviewing Owner', email: 'review-owner@example.com', password: 'review owner pass 1' };
const YEAR = 365 * 24 * 3600;

// Issue 13 item 3: a share nobody used for a month shows on the Access review page, and one click removes it.
describe.skipIf(!chromiumAvailable())('access review in the dashboard', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // The review looks a month ahead on the server's clock: the trial and the session must outlive the jump.
    stack = await startStack({ config: { trialDays: 400, sessionIdleSeconds: YEAR, sessionMaxSeconds: YEAR } });
    browser = await launchChromium();
    page = await openPage(browser, stack.url);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('lists a share nobody used and removes it in one click', async () => {
    await signUpAndVerify(page, stack, owner);
    const ownerApi = await signedInApi(stack, owner);
    const env = await ownerApi('/api/v1/environments', 'POST', { name: 'billing-api', displayName: 'Billing API', nodes: [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 2 }] });
    expect(env.status).toBe(201);
    const email = 'review-member@example.com';
    expect((await ownerApi('/api/v1/collaboration/members', 'POST', { email, displayName: 'Old contractor' })).status).toBe(201);
    const invitation = linkIn(await mailTo(stack, email, /invit/i), `${stack.url}/invitations/`).split('/').at(-1) ?? '';
    const signup = await fetch(`${stack.url}/api/v1/invitations/${invitation}/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'The Old Contractor', password: 'old contractor pass 1' }),
    });
    const member = (await signup.json()) as { collaboration: { id: string } };
    const shared = await ownerApi(`/api/v1/collaboration/members/${member.collaboration.id}/shares`, 'POST', { resource: { type: 'environment', id: env.body.id }, roleIds: ['developer'] });
    expect(shared.status).toBe(201);

    stack.server.clock.advance(31 * DAY);
    await page.reload();
    await navigate(page, 'Access review');
    const unused = page.getByRole('table', { name: 'Unused shares' });
    const row = unused.getByRole('row', { name: /Old contractor.*Billing API.*Developer.*never/ });
    await row.waitFor();
    await page.getByRole('table', { name: 'Idle members' }).getByRole('row', { name: /Old contractor/ }).waitFor();
    await checkPage(page, 'access-review');
    await row.getByRole('button', { name: /^Remove Old contractor's share/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove share' }).click();
    await page.getByText('Every share was used lately.').waitFor();
    const left = await ownerApi(`/api/v1/collaboration/members/${member.collaboration.id}/shares`, 'GET');
    expect(left.body.items).toEqual([]);
  });
});
