import { ensureWeb } from '../../scripts/ensure-web.mjs';
import { CHROMIUM_PATH, chromiumAvailable, NO_CHROMIUM } from './support/chromium.js';

/** Once per run: refuse or warn without Chromium, and build the dashboard when web/dist is missing or stale. */
export default async function setup(): Promise<void> {
  if (!chromiumAvailable()) {
    if (process.env.REQUIRE_E2E === '1') {
      throw new Error(`REQUIRE_E2E=1 but ${CHROMIUM_PATH} is missing: the browser tests cannot run. Install it with \`apt-get install -y chromium\`.`);
    }
    console.warn(NO_CHROMIUM);
    return;
  }
  await ensureWeb({ quiet: true });
}
