import type { Locator, Page } from 'playwright-core';

/** Every refused API answer (403) the page receives from now on, as "METHOD /path". */
export function watchRefusals(page: Page): string[] {
  const refused: string[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/api/') && response.status() === 403) refused.push(`${response.request().method()} ${url.pathname}${url.search}`);
  });
  return refused;
}

// Controls that leave the page's subject rather than act on it.
const SKIP = /^(Skip to content|Open navigation|Close navigation|Dismiss notification|Newer|Older)$/;

/** The names of the enabled buttons `scope` shows now, each once. */
async function buttonNames(scope: Locator): Promise<string[]> {
  const names = await scope.getByRole('button').evaluateAll((elements) =>
    elements
      .filter((element) => {
        const box = element.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && !(element as unknown as { disabled?: boolean }).disabled && element.getAttribute('aria-disabled') !== 'true';
      })
      .map((element) => (element.getAttribute('aria-label') ?? element.textContent ?? '').trim())
      .filter((name) => name.length > 0),
  );
  return [...new Set(names)].filter((name) => !SKIP.test(name));
}

/** Lets a click's requests (a dry run's preview, a refetch) reach the server and answer. */
async function settle(page: Page): Promise<void> {
  await page.waitForTimeout(250);
  await page.getByText('Checking what this changes for access…').waitFor({ state: 'hidden' });
}

/**
 * Clicks every enabled button `scope` (the page's main area by default) shows, one by one, as a person trying
 * each would: a dialog it opens is given time to load (an arrangement's preview) and then cancelled; a page it
 * leads to is left again. Answers the names clicked.
 */
export async function clickEveryControl(page: Page, scope: Locator = page.locator('main')): Promise<string[]> {
  const clicked: string[] = [];
  const start = page.url();
  for (const name of await buttonNames(scope)) {
    const button = scope.getByRole('button', { name, exact: true }).first();
    if (!(await button.isVisible()) || !(await button.isEnabled())) continue;
    await button.click();
    clicked.push(name);
    await settle(page);
    const dialog = page.getByRole('dialog');
    if ((await dialog.count()) > 0) {
      await page.keyboard.press('Escape');
      await dialog.first().waitFor({ state: 'hidden' });
    }
    if (page.url() !== start) {
      await page.goto(start);
      await settle(page);
    }
  }
  return clicked;
}
