import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether the browser tests can run here; REQUIRE_E2E=1 (CI) turns a missing Chromium into a failure. */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** The loud message a run without Chromium prints. */
export const NO_CHROMIUM = `\n*** ${CHROMIUM_PATH} is missing: the browser tests are SKIPPED. Install it with \`apt-get install -y chromium\`; REQUIRE_E2E=1 makes this a failure. ***\n`;

/** Launches Debian's Chromium headless, with no network chatter of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A page in a fresh browser context (its own cookies) on the stack's URL, at 1280 px, with reduced motion so no
 * check or picture catches a dialog or a toast halfway through its transition.
 */
export async function openPage(browser: Browser, baseURL: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 860 }, reducedMotion: 'reduce' });
  context.setDefaultTimeout(10_000);
  return context.newPage();
}
