import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, createOwner, PASSWORD } from '../factories.js';
import { createRole, invite, type Member, share } from '../factories/collaboration.js';
import { createEnvironment, createGroup } from '../factories/environments.js';
import type { TestApp } from '../support/app.js';
import { chromiumAvailable, launchChromium, openPage } from './support/chromium.js';
import { choose, heading, navigate, openSettings } from './support/flows.js';
import { checkPage } from './support/page-check.js';
import { clickEveryControl, watchRefusals } from './support/sweep.js';
import { startStack, type Stack } from './support/stack.js';

// Issue 11 through a collaborator's eyes, and issue 8's previews in the dashboard. The account is built through the
// API (the seed flow through the UI is collaboration.test.ts); then each kind of member browses the dashboard and
// clicks every control it is shown, and the owner checks it was never refused anything.
describe.skipIf(!chromiumAvailable())('the dashboard through a collaborator’s eyes', () => {
  let stack: Stack;
  let t: TestApp;
  let browser: Browser;
  let owner: Account;
  let o: Page;
  const members = new Map<string, Member>();
  const ids: Record<string, string> = {};

  /** A collaborator account invited under `alias`, signed up through the link. */
  async function collaborator(alias: string, name: string): Promise<Member> {
    const invited = await invite(t, owner, { displayName: alias });
    const signup = await t.http.post(`/api/v1/invitations/${invited.token}/signup`, { name, password: PASSWORD });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    return { id: signup.body.user.id, email: invited.email, name, password: PASSWORD, token: signup.body.token, memberId: invited.memberId };
  }

  async function signIn(page: Page, who: Account) {
    await page.goto('/sign-in');
    await page.getByRole('textbox', { name: 'Email' }).fill(who.email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(who.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading(page, 'Environments').waitFor();
  }

  beforeAll(async () => {
    stack = await startStack({ config: { runtimeDelayMs: 50 } });
    t = stack.server;
    browser = await launchChromium();
    owner = await createOwner(t, 'owner');
    const sandbox = await createGroup(t, owner, { name: 'sandbox' });
    const production = await createGroup(t, owner, { name: 'production' });
    ids.sandbox = sandbox.id;
    ids.production = production.id;
    ids.prodWeb = (await createEnvironment(t, owner, { name: 'prod-web', groupId: production.id })).id;
    ids.sandboxApp = (await createEnvironment(t, owner, { name: 'sandbox-app', groupId: sandbox.id })).id;
    ids.blog = (await createEnvironment(t, owner, { name: 'blog' })).id;
    const deployer = await createRole(t, owner, ['env.view', 'env.logs', 'env.deploy', 'billing.view']);
    for (const [role, roleId] of [
      ['viewer', 'viewer'],
      ['operator', 'operator'],
      ['developer', 'developer'],
      ['admin', 'admin'],
      ['deployer', deployer],
    ] as const) {
      const member = await collaborator(role === 'developer' ? 'contractor' : `${role} member`, `The ${role[0]?.toUpperCase()}${role.slice(1)}`);
      await share(t, owner, member.memberId, { type: 'account' }, [roleId]);
      members.set(role, member);
    }
    // The issue-8 account: the developer (env.groups everywhere) is admin on sandbox, so moving production under it widens.
    const contractor = members.get('developer');
    if (!contractor) throw new Error('no developer member');
    await share(t, owner, contractor.memberId, { type: 'group', id: sandbox.id }, ['admin']);
    ids.contractorEnv = (await createEnvironment(t, contractor, { name: 'contractor-api', ownerId: owner.id })).id;
    o = await openPage(browser, stack.url);
    await signIn(o, owner);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function deniedIn(ownerAccount: Account, actorId?: string): Promise<string[]> {
    const answer = await t.http.as(ownerAccount).get('/api/v1/audit', { query: { outcome: 'denied', limit: '200', ...(actorId ? { actorId } : {}) } });
    expect(answer.status).toBe(200);
    return answer.body.items.map((item: { action: string; actorLabel: string }) => `${item.actorLabel}: ${item.action}`);
  }

  it('a member may not move production under sandbox: the preview says why and the button is held (issue 8)', async () => {
    const contractor = members.get('developer') as Member;
    const b = await openPage(browser, stack.url);
    await signIn(b, contractor);
    await navigate(b, 'Groups');
    await b.getByRole('navigation', { name: 'Groups' }).getByRole('button', { name: 'Group production' }).click();
    await b.getByRole('button', { name: 'Rename or move' }).click();
    const dialog = b.getByRole('dialog', { name: /Rename or move/ });
    await choose(b, 'Inside', 'sandbox');
    await dialog.getByTestId('access-refusal').getByText(/would gain env\.delete/).waitFor();
    await dialog.getByText('A member gains env.delete, billing.view on prod-web.').waitFor();
    expect(await dialog.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await checkPage(b, 'group-move-refused', { docs: true });
    await b.keyboard.press('Escape');
    await b.context().close();
  });

  it('the owner sees who gains what before moving, and confirms (issue 8)', async () => {
    await navigate(o, 'Groups');
    await o.getByRole('navigation', { name: 'Groups' }).getByRole('button', { name: 'Group production' }).click();
    await o.getByRole('button', { name: 'Rename or move' }).click();
    const dialog = o.getByRole('dialog', { name: /Rename or move/ });
    await choose(o, 'Inside', 'sandbox');
    await dialog.getByText('The member “contractor” gains env.delete, billing.view on prod-web.').waitFor();
    expect(await dialog.getByTestId('access-refusal').count()).toBe(0);
    await checkPage(o, 'group-move-preview', { docs: true });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await o.getByRole('navigation', { name: 'Groups' }).getByRole('button', { name: 'Group sandbox / production' }).waitFor();

    // Deleting the group previews who loses what, too.
    await o.getByRole('button', { name: 'Delete', exact: true }).click();
    const remove = o.getByRole('dialog', { name: /Delete the group/ });
    await remove.getByTestId('access-changes').getByText(/Nobody’s access changes|loses/).waitFor();
    await remove.getByRole('button', { name: 'Cancel' }).click();
  });

  it('the share dialog flags what grants nothing at the chosen level, and a share removal is previewed (issue 8)', async () => {
    const contractor = members.get('developer') as Member;
    await o.goto(`/settings/collaboration/members/${contractor.memberId}`);
    await heading(o, 'contractor').waitFor();
    await o.getByTestId('share-row').filter({ hasText: 'sandbox' }).getByTestId('share-ineffective').getByText('collaboration.manage').waitFor();
    await o.getByRole('button', { name: 'Add', exact: true }).click();
    const dialog = o.getByRole('dialog', { name: /Share with/ });
    await dialog.getByText('An environment', { exact: true }).click();
    const admin = dialog.getByRole('checkbox', { name: 'admin' });
    await admin.check();
    await dialog.getByText('Grants nothing on one environment: env.create, collaboration.manage').waitFor();
    await checkPage(o, 'share-ineffective', { docs: true });
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await o.getByRole('button', { name: /Remove the share of Group sandbox/ }).click();
    const removal = o.getByRole('dialog', { name: /Stop sharing/ });
    await removal.getByText(/The member “contractor” loses .*env\.delete.* on prod-web\./).waitFor();
    await removal.getByRole('button', { name: 'Remove share' }).click();
    await removal.waitFor({ state: 'hidden' });
    await expect.poll(() => o.getByTestId('share-row').count()).toBe(1);
  });

  it('the owner meets the member as “contractor” everywhere: environments, created by, audit log, bell', async () => {
    await navigate(o, 'Environments');
    await o.locator('[data-env="contractor-api"]').getByText('created by contractor').waitFor();
    await o.goto(`/environments/${ids.contractorEnv}`);
    await heading(o, 'contractor-api').waitFor();
    await o.getByText(/by contractor/).waitFor();
    await navigate(o, 'Audit log');
    const rows = o.getByRole('table', { name: 'Audit events' }).getByRole('row');
    await rows.filter({ hasText: 'environment.create' }).filter({ hasText: 'contractor' }).first().waitFor();
    expect(await rows.filter({ hasText: 'The Developer' }).filter({ hasText: 'environment.create' }).count()).toBeGreaterThan(0);
    await checkPage(o, 'audit-aliases', { docs: true });
    await o.getByTestId('notification-bell').click();
    await o.getByTestId('notification-item').filter({ hasText: 'contractor accepted your invitation' }).waitFor();
    await o.keyboard.press('Escape');
  });

  it('Account settings › Collaboration works as the seed says, by keyboard alone', async () => {
    const menu = o.getByTestId('account-menu');
    await menu.focus();
    await o.keyboard.press('Enter');
    await o.getByRole('menuitem', { name: 'Account settings', exact: true }).waitFor();
    const focused = () => o.evaluate<string | undefined>('document.activeElement?.textContent?.trim()');
    for (let i = 0; i < 6 && (await focused()) !== 'Account settings'; i++) await o.keyboard.press('ArrowDown');
    expect(await focused()).toBe('Account settings');
    await o.keyboard.press('Enter');
    await heading(o, 'Account settings').waitFor();
    const part = o.getByRole('navigation', { name: 'Account settings' }).getByRole('link', { name: 'Collaboration' });
    const focusedLink = () => o.evaluate<string | null | undefined>("document.activeElement?.getAttribute('href')");
    for (let i = 0; i < 40 && (await focusedLink()) !== '/settings/collaboration'; i++) await o.keyboard.press('Tab');
    expect(await part.getAttribute('href')).toBe(await focusedLink());
    await o.keyboard.press('Enter');
    await heading(o, 'Collaboration').waitFor();
    await o.getByTestId('member-row').first().waitFor();
    await checkPage(o, 'settings-collaboration', { docs: true });
    await openSettings(o, 'Roles');
    await checkPage(o, 'settings-roles', { docs: true });
  });

  for (const role of ['viewer', 'operator', 'developer', 'admin', 'deployer']) {
    it(`a member with ${role === 'deployer' ? 'a custom role' : `the ${role} role`} clicks every control it is shown, and nothing is refused`, async () => {
      const member = members.get(role) as Member;
      const page = await openPage(browser, stack.url);
      const refused = watchRefusals(page);
      await signIn(page, member);
      const nav = page.getByRole('navigation', { name: 'Main navigation' });
      const links = await nav.getByRole('link').evaluateAll((elements) => elements.map((element) => element.getAttribute('href') ?? ''));
      const visited: string[] = [];
      let clicks = 0;
      for (const href of links) {
        await page.goto(href);
        await page.locator('#page-title').waitFor();
        await page.waitForTimeout(300);
        const clicked = await clickEveryControl(page);
        clicks += clicked.length;
        visited.push(`${href}: ${clicked.join(', ')}`);
        if (href === '/groups') {
          await page.getByRole('navigation', { name: 'Groups' }).getByRole('button').first().click();
          clicks += (await clickEveryControl(page)).length;
        }
      }
      // Every tab of an environment it sees, and the pages behind the account menu.
      await page.goto(`/environments/${ids.blog}`);
      await heading(page, 'blog').waitFor();
      for (const tab of await page.getByRole('tab').allInnerTexts()) {
        await page.getByRole('tab', { name: tab }).click();
        // The panel the tab names (not the one it replaces, still shown for a moment after the click).
        const panel = page.getByRole('tabpanel', { name: tab, exact: true });
        await panel.waitFor();
        clicks += (await clickEveryControl(page, panel)).length;
      }
      await page.goto('/settings/account');
      await heading(page, 'Account settings').waitFor();
      for (const part of await page.getByRole('navigation', { name: 'Account settings' }).getByRole('link').allInnerTexts()) {
        await page.getByRole('navigation', { name: 'Account settings' }).getByRole('link', { name: part }).click();
        await page.waitForTimeout(300);
        clicks += (await clickEveryControl(page)).length;
      }
      // What the shell offers follows the role: Collaboration and Billing only where the API's permissions open them.
      const offered = (await nav.getByRole('link').allInnerTexts()).map((text) => text.trim());
      expect(offered.includes('Collaboration'), offered.join(', ')).toBe(role === 'admin');
      expect(offered.includes('Billing'), offered.join(', ')).toBe(role === 'admin' || role === 'deployer');
      if (role === 'viewer' || role === 'deployer') await checkPage(page, `environments-member-${role}`, { docs: true });
      if (role === 'viewer') {
        await page.goto('/shared-with-me');
        await page.getByTestId('held-shares').getByText('Viewer on all environments').waitFor();
        await checkPage(page, 'shared-with-me-member', { docs: true });
      }
      // The sweep did try things: every page offers a member at least its filters, tabs and dialogs.
      expect(clicks, visited.join('; ')).toBeGreaterThan(8);
      expect(refused, `refused while browsing as ${role} (${visited.join('; ')})`).toEqual([]);
      expect(await deniedIn(owner, member.id)).toEqual([]);
      await page.context().close();
    });
  }

  it('browsing produced no refused audit event at all, the owner’s own included', async () => {
    expect(await deniedIn(owner)).toEqual([]);
  });
});
