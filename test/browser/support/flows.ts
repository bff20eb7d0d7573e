import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { linkIn } from '../../support/smtp.js';
import type { Stack } from './stack.js';

export interface Person {
  name: string;
  email: string;
  password: string;
}

/** The page's h1 with this text. */
export const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

/** A password field by its exact label (the show/hide toggle shares the word). */
export const passwordField = (page: Page, label: string) => page.getByRole('textbox', { name: label, exact: true });

/** Picks an option of a Mantine select by the field's label and the option's text. */
export async function choose(page: Page, label: string, option: string | RegExp): Promise<void> {
  await page.getByRole('combobox', { name: label, exact: true }).or(page.getByRole('textbox', { name: label, exact: true })).first().click();
  await page.getByRole('option', { name: option, exact: typeof option === 'string' }).click();
}

/** The first mail to `to` whose subject matches, from the stack's SMTP listener. */
export async function mailTo(stack: Stack, to: string, subject: RegExp) {
  if (!stack.smtp) throw new Error('this stack has no SMTP listener');
  return stack.smtp.waitFor(to, (mail) => subject.test(mail.subject));
}

/** Signs up through the form, then confirms the email by the mailed link; ends in the dashboard, signed in. */
export async function signUpAndVerify(page: Page, stack: Stack, person: Person): Promise<void> {
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await passwordField(page, 'Password').fill(person.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByTestId('trial-banner').waitFor();
  const mail = await mailTo(stack, person.email, /Confirm/);
  await page.goto(linkIn(mail, `${stack.url}/verify-email?token=`));
  await page.getByRole('button', { name: 'Confirm my email' }).click();
  await page.getByText(`${person.email} is confirmed`).waitFor();
  await page.getByRole('link', { name: 'Go to the dashboard' }).click();
  await heading(page, 'Environments').waitFor();
}

/** Navigates with the main navigation, as a person would. */
export async function navigate(page: Page, label: string, title: string | RegExp = label): Promise<void> {
  await page.getByTestId('account-menu').waitFor();
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  if (!(await nav.isVisible())) await page.getByRole('button', { name: 'Open navigation' }).click();
  await nav.getByRole('link', { name: label, exact: true }).click();
  await heading(page, title).waitFor();
}

/** Opens a part of Account settings (Collaboration, Roles…) the way the seed says: the account menu, then the part. */
export async function openSettings(page: Page, part: string, title: string | RegExp = part): Promise<void> {
  await page.getByTestId('account-menu').click();
  await page.getByRole('menuitem', { name: 'Account settings', exact: true }).click();
  await heading(page, 'Account settings').waitFor();
  await page.getByRole('navigation', { name: 'Account settings' }).getByRole('link', { name: part, exact: true }).click();
  await heading(page, title).waitFor();
}

/** The environment names listed on the environments page, in order. */
export async function listedEnvironments(page: Page): Promise<string[]> {
  await page.getByRole('table', { name: 'Environments' }).or(page.getByText(/No environments yet|Nothing matches these filters|Nothing is shared with you now|You work in no account now/)).first().waitFor();
  return page.getByTestId('env-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-env') ?? ''));
}

/** Waits until an environment's row shows this status. */
export async function waitForStatus(page: Page, env: string, status: string): Promise<void> {
  await expect.poll(async () => (await page.locator(`[data-testid=env-row][data-env="${env}"] [data-testid=env-status]`).textContent())?.trim(), { timeout: 15_000 }).toBe(status);
}

/** The action buttons a row offers, by their visible text. */
export async function rowActions(page: Page, env: string): Promise<string[]> {
  const row = page.locator(`[data-testid=env-row][data-env="${env}"]`);
  return (await row.getByRole('button').allInnerTexts()).map((text) => text.trim()).filter((text) => ['Start', 'Stop', 'Restart', 'Delete'].includes(text));
}
