import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');
/** Where the pictures the README and reviewers read are kept, in the repository. */
export const DOCS_SCREENSHOT_DIR = join(process.cwd(), 'docs', 'screenshots');
export const WIDTHS = [1280, 390] as const;

/** Accessibility violations of the page as it is now that axe rates serious or critical. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help}\n    ${violation.nodes
          .slice(0, 5)
          .map((node) => `${node.target.join(' ')}: ${node.failureSummary?.replaceAll('\n', ' ') ?? ''}`)
          .join('\n    ')}`,
    );
}

/**
 * Checks the page at both widths: no serious or critical axe violation, and a full-page screenshot of each saved
 * as test-results/screenshots/<name>-<width>.png for a reviewer (docs/screenshots/ with `docs`, for the README).
 * Leaves the page at 1280 px.
 */
export async function checkPage(page: Page, name: string, options: { docs?: boolean } = {}): Promise<void> {
  const dir = options.docs ? DOCS_SCREENSHOT_DIR : SCREENSHOT_DIR;
  mkdirSync(dir, { recursive: true });
  const problems: string[] = [];
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 860 });
    // Let layout, transitions and fonts settle after the resize.
    await page.waitForTimeout(250);
    for (const problem of await seriousViolations(page)) problems.push(`[${width} px] ${problem}`);
    // Fixed headers are drawn where the page is scrolled to: shoot from the top.
    await page.evaluate('window.scrollTo(0, 0)');
    // With a dialog open the page behind is locked and dimmed: the viewport is the picture.
    const dialogOpen = (await page.getByRole('dialog').count()) > 0;
    // Toasts come and go with timing; they would only clutter the picture.
    await page.screenshot({
      path: join(dir, `${name}-${width}.png`),
      fullPage: !dialogOpen,
      style: '.mantine-Notifications-root { display: none !important; }',
    });
  }
  await page.setViewportSize({ width: 1280, height: 860 });
  expect(problems, `accessibility problems on ${name}:\n${problems.join('\n')}`).toEqual([]);
}
