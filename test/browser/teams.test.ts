import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkIn } from '../support/smtp.js';
import { chromiumAvailable, launchChromium, openPage } from './support/chromium.js';
import { choose, heading, listedEnvironments, mailTo, openSettings, type Person, signUpAndVerify } from './support/flows.js';
import { signedInApi } from './support/api.js';
import { checkPage } from './support/page-check.js';
import { startStack, type Stack } from './support/stack.js';

const owner: Person = { name: 'The Teams Owner', email: 'teams-owner@example.com', password: 'teams owner pass 1' };
const contractor = { name: 'The Team Contractor', email: 'teams-contractor@example.com', password: 'teams contractor pass 1' };

// Issue 13 item 2: a team shared on a group gives its members access, and they lose it when they leave the team.
describe.skipIf(!chromiumAvailable())('teams in the dashboard', () => {
  let stack: Stack;
  let browser: Browser;
  let ownerPage: Page;
  let memberPage: Page;

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    ownerPage = await openPage(browser, stack.url);
    memberPage = await openPage(browser, stack.url);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('the owner shares a group with a team as viewer; a member sees it while in the team and not after leaving it', async () => {
    await signUpAndVerify(ownerPage, stack, owner);
    // The group, its environment and the member come through the API (their own browser tests exist).
    const ownerApi = await signedInApi(stack, owner);
    const group = await ownerApi('/api/v1/groups', 'POST', { name: 'Staging' });
    expect(group.status).toBe(201);
    const env = await ownerApi('/api/v1/environments', 'POST', { name: 'staging-web', nodes: [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 2 }] });
    expect(env.status).toBe(201);
    expect((await ownerApi(`/api/v1/groups/${String(group.body.id)}/environments/${String(env.body.id)}`, 'PUT')).status).toBe(200);
    expect((await ownerApi('/api/v1/collaboration/members', 'POST', { email: contractor.email, displayName: 'Contractor' })).status).toBe(201);
    const invitation = linkIn(await mailTo(stack, contractor.email, /invit/i), `${stack.url}/invitations/`).split('/').at(-1) ?? '';
    const signup = await fetch(`${stack.url}/api/v1/invitations/${invitation}/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: contractor.name, password: contractor.password }),
    });
    expect(signup.status).toBe(201);
    const member = (await signup.json()) as { collaboration: { id: string } };

    await memberPage.goto('/sign-in');
    await memberPage.getByLabel('Email').fill(contractor.email);
    await memberPage.getByRole('textbox', { name: 'Password', exact: true }).fill(contractor.password);
    await memberPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading(memberPage, 'Environments').waitFor();
    await expect.poll(() => listedEnvironments(memberPage)).toEqual([]);

    // The owner creates the team, adds the member and shares the group with the team, all in the dashboard.
    await ownerPage.reload();
    await openSettings(ownerPage, 'Teams');
    await ownerPage.getByRole('button', { name: 'New team', exact: true }).click();
    const create = ownerPage.getByRole('dialog', { name: 'New team' });
    await create.getByRole('textbox', { name: 'Name', exact: true }).fill('Frontend contractors');
    await create.getByRole('textbox', { name: 'External id (optional)', exact: true }).fill('dir-frontend');
    await create.getByRole('button', { name: 'Create team', exact: true }).click();
    await heading(ownerPage, 'Frontend contractors').waitFor();
    await choose(ownerPage, 'Member to add', 'Contractor (teams-contractor@example.com)');
    await ownerPage.getByRole('button', { name: 'Add to team', exact: true }).click();
    const members = ownerPage.getByRole('table', { name: 'Team members' });
    await members.getByRole('row', { name: /Contractor.*active/ }).waitFor();
    await ownerPage.getByRole('button', { name: 'Add', exact: true }).click();
    const share = ownerPage.getByRole('dialog', { name: 'Share with the team Frontend contractors' });
    await share.getByText('A group', { exact: true }).click();
    await choose(ownerPage, 'Group', 'Staging');
    await share.getByRole('checkbox', { name: 'Viewer', exact: true }).check();
    await share.getByRole('button', { name: 'Share', exact: true }).click();
    await share.waitFor({ state: 'hidden' });
    await ownerPage.getByRole('table', { name: 'Shares' }).getByRole('row', { name: /Group Staging.*Viewer.*never/ }).waitFor();
    await checkPage(ownerPage, 'team-page', { docs: true });

    // The member sees the group's environment on its next request; the owner's explanation names the team.
    await memberPage.reload();
    await expect.poll(() => listedEnvironments(memberPage)).toEqual(['staging-web']);
    await ownerPage.goto(`/settings/collaboration/members/${member.collaboration.id}`);
    await heading(ownerPage, 'Contractor').waitFor();
    await ownerPage.getByTestId('effective-access').getByText('through the team', { exact: false }).waitFor();
    expect(await ownerPage.getByTestId('effective-access').getByRole('link', { name: 'Frontend contractors', exact: true }).count()).toBe(1);

    // The owner takes the member out of the team in the dashboard: the member no longer sees the environment.
    await ownerPage.getByRole('link', { name: 'Frontend contractors', exact: true }).first().click();
    await heading(ownerPage, 'Frontend contractors').waitFor();
    await members.getByRole('button', { name: 'Remove Contractor from the team', exact: true }).click();
    await ownerPage.getByRole('dialog', { name: 'Remove Contractor from Frontend contractors?' }).getByRole('button', { name: 'Remove from team', exact: true }).click();
    await ownerPage.getByText('Nobody in the team yet').waitFor();
    await memberPage.reload();
    await expect.poll(() => listedEnvironments(memberPage)).toEqual([]);
    await openSettings(ownerPage, 'Teams');
    await ownerPage.getByRole('table', { name: 'Teams' }).getByRole('row', { name: /Frontend contractors dir-frontend 0 / }).waitFor();
    await checkPage(ownerPage, 'teams', { docs: true });

    // A second team of the same name is refused next to its field, and the dialog stays open to fix it.
    await ownerPage.getByRole('button', { name: 'New team', exact: true }).click();
    const again = ownerPage.getByRole('dialog', { name: 'New team' });
    await again.getByRole('textbox', { name: 'Name', exact: true }).fill('Frontend contractors');
    await again.getByRole('button', { name: 'Create team', exact: true }).click();
    await again.getByText('A team named "Frontend contractors" already exists in this account.').waitFor();
    expect(await again.getByRole('textbox', { name: 'Name', exact: true }).getAttribute('aria-invalid')).toBe('true');
  });
});
