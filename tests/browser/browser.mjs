// Shared set-up of the browser tests: Debian's Chromium driven by
// playwright-core (no browser download), headless, with background network
// features off so that the only requests are the page's own. Playwright
// starts every browser with a new temporary profile.
import { chromium } from 'playwright-core';

export const chromiumPath = process.env.LUNGLENS_CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}
