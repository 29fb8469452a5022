import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core: no browser download (none is possible on the CI
 * machine). `.ci/run` installs it; elsewhere the browser tests are skipped with this message.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumInstalled = existsSync(CHROMIUM_PATH);
export const CHROMIUM_MISSING =
  `Browser tests of the quiz log page skipped: no Chromium at ${CHROMIUM_PATH}. ` +
  'Install it with `sudo apt-get install chromium` (Debian, Ubuntu), or point CHROMIUM_PATH at a Chromium or Chrome binary.';

/** Headless, with a fresh profile (Playwright's own temporary user data dir) and no background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
