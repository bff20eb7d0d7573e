import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkIn } from '../support/smtp.js';
import { chromiumAvailable, launchChromium, openPage } from './support/chromium.js';
import {
  choose,
  heading,
  listedEnvironments,
  mailTo,
  navigate,
  openSettings,
  passwordField,
  type Person,
  rowActions,
  signUpAndVerify,
  waitForStatus,
} from './support/flows.js';
import { checkPage } from './support/page-check.js';
import { startStack, type Stack } from './support/stack.js';

const owner: Person = { name: 'The Owner', email: 'owner@example.com', password: 'owner password 1' };
const member: Person = { name: 'The Collaborator', email: 'collaborator@example.com', password: 'collaborator pass 1' };

// The seed flow of issue 5, through the UI only: an owner organises environments, invites a collaborator by email, and shares
// step by step; the collaborator's view and buttons follow each change, until it is unlinked.
describe.skipIf(!chromiumAvailable())('collaboration in the dashboard', () => {
  let stack: Stack;
  let browser: Browser;
  let o: Page;
  let b: Page;

  beforeAll(async () => {
    stack = await startStack({ config: { runtimeDelayMs: 150 } });
    browser = await launchChromium();
    o = await openPage(browser, stack.url);
    b = await openPage(browser, stack.url);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function createGroup(name: string, inside?: string) {
    if (inside) {
      await o.getByRole('navigation', { name: 'Groups' }).getByRole('button', { name: `Group ${inside}` }).click();
      await o.getByRole('button', { name: 'New subgroup' }).click();
    } else {
      await o.getByRole('button', { name: /New group|Create a group/ }).first().click();
    }
    const dialog = o.getByRole('dialog', { name: 'New group' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    if (inside) expect(await dialog.getByRole('combobox', { name: 'Inside' }).or(dialog.getByRole('textbox', { name: 'Inside' })).first().inputValue()).toBe(inside);
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await o.getByRole('navigation', { name: 'Groups' }).getByRole('button', { name: new RegExp(`^Group (.* / )?${name}$`) }).waitFor();
  }

  async function createEnvironment(page: Page, name: string, options: { group?: string; owner?: RegExp } = {}) {
    await navigate(page, 'Environments');
    await page.getByRole('button', { name: 'New environment' }).click();
    const dialog = page.getByRole('dialog', { name: 'New environment' });
    if (options.owner) await choose(page, 'Environment owner', options.owner);
    if (options.group) await choose(page, 'Group', options.group);
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    if (name === 'shop-prod') await checkPage(page, 'environment-create');
    await dialog.getByRole('button', { name: 'Create environment' }).click();
    await heading(page, name).waitFor();
  }

  it('the owner signs up, creates nested groups and environments in them', async () => {
    await signUpAndVerify(o, stack, owner);
    await o.getByText('No environments yet').waitFor();
    await checkPage(o, 'environments-empty');

    await navigate(o, 'Groups');
    await o.getByText('No groups yet').waitFor();
    await createGroup('Production');
    await createGroup('Staging');
    await createGroup('EU', 'Production');
    await checkPage(o, 'groups');

    await createEnvironment(o, 'shop-prod', { group: 'Production / EU' });
    await checkPage(o, 'environment-detail');
    await createEnvironment(o, 'shop-staging', { group: 'Staging' });
    await createEnvironment(o, 'blog');
    await navigate(o, 'Environments');
    for (const env of ['blog', 'shop-prod', 'shop-staging']) await waitForStatus(o, env, 'running');
    await expect.poll(() => listedEnvironments(o)).toEqual(['blog', 'shop-prod', 'shop-staging']);
    expect(await rowActions(o, 'blog')).toEqual(['Stop', 'Restart', 'Delete']);

    // The group filter includes subgroups: Production holds shop-prod through EU.
    await o.getByRole('navigation', { name: 'My groups' }).getByText('Production').click();
    await expect.poll(() => listedEnvironments(o)).toEqual(['shop-prod']);
    await checkPage(o, 'environments-owner-filtered');
  });

  it('the owner invites a collaborator by email, with an alias', async () => {
    await navigate(o, 'Collaboration');
    await o.getByText('Nobody collaborates with you yet').waitFor();
    await o.getByRole('button', { name: 'Invite', exact: true }).click();
    const dialog = o.getByRole('dialog', { name: 'Invite a collaborator' });
    await dialog.getByLabel('Email').fill(member.email);
    await dialog.getByLabel('Alias (optional)').fill('Freelance developer');
    await checkPage(o, 'collaboration-invite');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await o.locator(`[data-testid=member-row][data-email="${member.email}"]`).getByText('invited').waitFor();
    await checkPage(o, 'collaboration-members');
  });

  it('the invitee opens the link from the mail, creates a collaborator account, and lands in the dashboard', async () => {
    const mail = await mailTo(stack, member.email, /invit/i);
    await b.goto(linkIn(mail, `${stack.url}/invitations/`));
    await b.getByText(`${owner.name} invites ${member.email}`).waitFor();
    await expect.poll(() => b.getByLabel('Email').inputValue()).toBe(member.email);
    await checkPage(b, 'invitation');
    await b.getByLabel('Your name').fill(member.name);
    await passwordField(b, 'Password').fill(member.password);
    await b.getByRole('button', { name: 'Create account and accept' }).click();
    await heading(b, 'Environments').waitFor();
    // Nothing is shared on acceptance.
    await expect.poll(() => listedEnvironments(b)).toEqual([]);
    await checkPage(b, 'environments-member-nothing-shared');
  });

  it('the owner sees the acceptance notification, and shares the Staging group with the collaborator as viewer', async () => {
    await o.reload();
    await expect.poll(() => o.getByTestId('notification-bell').getAttribute('aria-label'), { timeout: 15_000 }).toMatch(/1 unread/);
    await o.getByTestId('notification-bell').click();
    await o.getByTestId('notification-item').filter({ hasText: 'accepted your invitation' }).waitFor();
    await checkPage(o, 'notifications-bell');
    await o.getByTestId('notification-item').filter({ hasText: 'accepted your invitation' }).click();
    await heading(o, 'Freelance developer').waitFor();

    await o.getByRole('button', { name: 'Add', exact: true }).click();
    const dialog = o.getByRole('dialog', { name: /Share with/ });
    await dialog.getByText('A group').click();
    await choose(o, 'Group', 'Staging');
    await dialog.getByRole('checkbox', { name: 'viewer' }).check();
    await checkPage(o, 'share-add');
    await dialog.getByRole('button', { name: 'Share', exact: true }).click();
    await o.getByTestId('share-row').filter({ hasText: 'Group Staging' }).waitFor();
  });

  it('the collaborator sees exactly the shared environment, with the owner tag, and only a viewer’s actions', async () => {
    await b.reload();
    await expect.poll(() => listedEnvironments(b)).toEqual(['shop-staging']);
    const tag = b.locator('[data-env="shop-staging"]').getByTestId('owner-tag');
    expect(await tag.innerText()).toContain(owner.name);
    expect(await rowActions(b, 'shop-staging')).toEqual([]);
    await checkPage(b, 'environments-member-viewer');

    await b.getByRole('link', { name: 'shop-staging' }).click();
    await heading(b, 'shop-staging').waitFor();
    const tabs = await b.getByRole('tab').allInnerTexts();
    // Activity is for anyone who sees the environment; the rest follows the viewer's permissions.
    expect(tabs).toEqual(['Overview', 'Logs', 'Activity']);
    await b.getByRole('tab', { name: 'Logs' }).click();
    await b.getByTestId('log-lines').waitFor();
    await checkPage(b, 'environment-member-logs');
  });

  it('the owner adds an all-environments developer share and a direct viewer share; the effective access explains', async () => {
    for (const share of [
      { what: 'All environments', role: 'developer' },
      { what: 'An environment', env: /shop-prod/, role: 'viewer' },
    ]) {
      await o.getByRole('button', { name: 'Add', exact: true }).click();
      const dialog = o.getByRole('dialog', { name: /Share with/ });
      await dialog.getByText(share.what, { exact: true }).click();
      if (share.env) await choose(o, 'Environment', share.env);
      await dialog.getByRole('checkbox', { name: share.role }).check();
      await dialog.getByRole('button', { name: 'Share', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
    }
    await expect.poll(() => o.getByTestId('share-row').count()).toBe(3);
    await choose(o, 'For', /shop-prod/);
    await o.getByTestId('effective-access').getByText('direct level').waitFor();
    await o.getByTestId('effective-access').getByText(/direct share of shop-prod: Viewer/).waitFor();
    await checkPage(o, 'member-shares');

    // The environment's own Collaboration tab says the same from the other side.
    await navigate(o, 'Environments');
    await o.getByRole('link', { name: 'shop-prod' }).click();
    await o.getByRole('tab', { name: 'Collaboration' }).click();
    const accessRow = o.getByRole('table', { name: 'Who has access' }).getByRole('row', { name: /Freelance developer/ });
    await accessRow.getByText('direct').waitFor();
    await accessRow.getByText('Viewer').waitFor();
    await checkPage(o, 'environment-collaboration');
  });

  it('the collaborator’s buttons follow: developer on the rest, viewer where a direct or group share says so', async () => {
    await b.goto('/environments');
    await expect.poll(() => listedEnvironments(b)).toEqual(['blog', 'shop-prod', 'shop-staging']);
    expect(await rowActions(b, 'blog')).toEqual(['Stop', 'Restart']);
    expect(await rowActions(b, 'shop-prod')).toEqual([]);
    expect(await rowActions(b, 'shop-staging')).toEqual([]);
    await checkPage(b, 'environments-member-developer');

    await b.locator('[data-env="blog"]').getByRole('button', { name: 'Restart blog' }).click();
    await waitForStatus(b, 'blog', 'running');
  });

  it('the collaborator creates an environment in the owner’s account, and the owner’s billing shows it under the collaborator', async () => {
    await createEnvironment(b, 'member-api', { owner: new RegExp(owner.name) });
    await b.getByTestId('owner-tag').first().waitFor();
    await expect.poll(async () => (await b.getByTestId('env-status').first().textContent())?.trim(), { timeout: 15_000 }).toBe('running');

    stack.server.workers?.metering.wake();
    await navigate(o, 'Billing');
    await o.getByText('By creator').click();
    await expect.poll(async () => (await o.getByTestId('usage-row').allInnerTexts()).join('\n'), { timeout: 15_000 }).toContain(member.name);
    await checkPage(o, 'billing');
  });

  it('the owner edits the alias, suspends and activates the collaborator, then unlinks it; its view empties', async () => {
    await navigate(o, 'Collaboration');
    const row = o.locator(`[data-testid=member-row][data-email="${member.email}"]`);
    await row.getByRole('button', { name: /Edit alias/ }).click();
    const aliasDialog = o.getByRole('dialog', { name: /Alias for/ });
    await aliasDialog.getByLabel('Alias').fill('Contractor');
    await aliasDialog.getByRole('button', { name: 'Save alias' }).click();
    await row.getByRole('link', { name: 'Contractor' }).waitFor();

    await row.getByRole('button', { name: 'Suspend Contractor' }).click();
    await o.getByRole('dialog', { name: 'Suspend Contractor?' }).getByRole('button', { name: 'Suspend' }).click();
    await row.getByText('suspended').waitFor();
    await b.goto('/environments');
    await expect.poll(() => listedEnvironments(b)).toEqual([]);

    await row.getByRole('button', { name: 'Activate Contractor' }).click();
    await row.getByText('active').waitFor();
    await b.goto('/environments');
    await expect.poll(() => listedEnvironments(b)).toEqual(['blog', 'member-api', 'shop-prod', 'shop-staging']);

    await row.getByRole('button', { name: 'Unlink Contractor' }).click();
    const unlink = o.getByRole('dialog', { name: 'Unlink Contractor?' });
    await unlink.getByText('with its 3 shares').waitFor();
    await checkPage(o, 'collaboration-unlink');
    await unlink.getByRole('button', { name: 'Unlink' }).click();
    await o.getByText('Nobody collaborates with you yet').waitFor();

    await b.goto('/environments');
    await expect.poll(() => listedEnvironments(b)).toEqual([]);
    await navigate(b, 'Shared with me');
    await b.getByText('You do not collaborate with anyone yet').waitFor();
    await checkPage(b, 'shared-with-me-empty');
  });

  it('the owner’s roles, audit log and notifications pages', async () => {
    await openSettings(o, 'Roles');
    await o.locator('[data-role=Viewer]').getByText('read-only').waitFor();
    await o.getByRole('button', { name: 'New role' }).click();
    const dialog = o.getByRole('dialog', { name: 'New role' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Deployer');
    await dialog.getByRole('checkbox', { name: 'env.deploy' }).check();
    await dialog.getByRole('checkbox', { name: 'env.logs' }).check();
    await checkPage(o, 'role-create');
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await o.locator('[data-role=Deployer]').waitFor();
    await checkPage(o, 'roles');

    await navigate(o, 'Audit log');
    await o.getByRole('table', { name: 'Audit events' }).waitFor();
    await checkPage(o, 'audit');

    await o.getByTestId('notification-bell').click();
    await o.getByRole('link', { name: 'See all notifications' }).click();
    await heading(o, 'Notifications').waitFor();
    await checkPage(o, 'notifications');
  });
});
