import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR } from '../../src/clock.js';
import { linkIn } from '../support/smtp.js';
import { chromiumAvailable, launchChromium, openPage } from './support/chromium.js';
import { heading, mailTo, navigate, type Person, signUpAndVerify } from './support/flows.js';
import { signedInApi } from './support/api.js';
import { checkPage } from './support/page-check.js';
import { startStack, type Stack } from './support/stack.js';

const owner: Person = { name: 'The Requests Owner', email: 'requests-owner@example.com', password: 'requests owner pass 1' };
const viewer = { name: 'The On-call Viewer', email: 'requests-viewer@example.com', password: 'requests viewer pass 1' };

// Issue 13 item 1: a viewer asks for operator on production from the environment page, the owner approves it in the
// requests inbox, the viewer restarts production, and two hours later (the server's test clock) the button is gone.
describe.skipIf(!chromiumAvailable())('access requests in the dashboard', () => {
  let stack: Stack;
  let browser: Browser;
  let ownerPage: Page;
  let viewerPage: Page;

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    ownerPage = await openPage(browser, stack.url);
    viewerPage = await openPage(browser, stack.url);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('a viewer requests operator for 2 hours, the owner approves, the viewer restarts, and it ends by itself', async () => {
    await signUpAndVerify(ownerPage, stack, owner);
    // Production, the member and its viewer share come through the API (their own browser tests exist).
    const ownerApi = await signedInApi(stack, owner);
    const env = await ownerApi('/api/v1/environments', 'POST', { name: 'production', displayName: 'Production', nodes: [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 2 }] });
    expect(env.status).toBe(201);
    const envId = String(env.body.id);
    expect((await ownerApi('/api/v1/collaboration/members', 'POST', { email: viewer.email, displayName: 'On-call' })).status).toBe(201);
    const invitation = linkIn(await mailTo(stack, viewer.email, /invit/i), `${stack.url}/invitations/`).split('/').at(-1) ?? '';
    const signup = await fetch(`${stack.url}/api/v1/invitations/${invitation}/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: viewer.name, password: viewer.password }),
    });
    const member = (await signup.json()) as { collaboration: { id: string } };
    expect((await ownerApi(`/api/v1/collaboration/members/${member.collaboration.id}/shares`, 'POST', { resource: { type: 'environment', id: envId }, roleIds: ['viewer'] })).status).toBe(201);

    await viewerPage.goto('/sign-in');
    await viewerPage.getByLabel('Email').fill(viewer.email);
    await viewerPage.getByRole('textbox', { name: 'Password', exact: true }).fill(viewer.password);
    await viewerPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading(viewerPage, 'Environments').waitFor();
    await viewerPage.goto(`/environments/${envId}`);
    await heading(viewerPage, 'Production').waitFor();
    expect(await viewerPage.getByRole('button', { name: 'Restart Production' }).count()).toBe(0);
    await viewerPage.getByRole('button', { name: 'Request access' }).click();
    const dialog = viewerPage.getByRole('dialog', { name: 'Request access to Production' });
    await dialog.getByLabel('For how many hours').fill('2');
    await dialog.getByLabel('Reason').fill('Incident: the shop is down and needs a restart');
    await checkPage(viewerPage, 'request-access-dialog');
    await dialog.getByRole('button', { name: 'Send request' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await mailTo(stack, owner.email, /requests access to the environment "Production"/);

    await navigate(ownerPage, 'Access requests');
    const row = ownerPage.getByRole('row', { name: /On-call.*Production.*Operator for 2 h.*Incident/ });
    await row.waitFor();
    await checkPage(ownerPage, 'access-requests-inbox');
    await row.getByRole('button', { name: 'Approve the request of On-call' }).click();
    const approve = ownerPage.getByRole('dialog', { name: /Approve access/ });
    await approve.getByRole('button', { name: 'Approve' }).click();
    await approve.waitFor({ state: 'hidden' });
    await ownerPage.getByText('No pending requests').waitFor();
    await mailTo(stack, viewer.email, /was approved/);

    await viewerPage.reload();
    await viewerPage.getByRole('button', { name: 'Restart Production' }).click();
    await expect.poll(async () => (await ownerApi(`/api/v1/audit?action=environment.restart`, 'GET')).body.items).toEqual([expect.objectContaining({ outcome: 'ok' })]);
    await navigate(viewerPage, 'Access requests');
    await viewerPage.getByRole('row', { name: /Production.*Operator for 2 h.*approved/ }).waitFor();
    await checkPage(viewerPage, 'access-requests-mine');

    stack.server.clock.advance(2 * HOUR);
    await viewerPage.goto(`/environments/${envId}`);
    await heading(viewerPage, 'Production').waitFor();
    await viewerPage.getByRole('button', { name: 'Request access' }).waitFor();
    expect(await viewerPage.getByRole('button', { name: 'Restart Production' }).count()).toBe(0);
  });
});
