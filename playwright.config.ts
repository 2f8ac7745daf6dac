/**
 * End-to-end suites run Debian's Chromium (apt) through Playwright against the browser host,
 * started from a clean data directory by e2e/fixtures. No browser download is ever attempted.
 */
import { defineConfig } from '@playwright/test';
import { chromiumPath } from './scripts/chromium.mjs';

export const CHROMIUM = chromiumPath();

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
