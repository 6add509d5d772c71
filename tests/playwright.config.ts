// One Playwright run for two layers, against the stack `cargo xtask test`
// starts (wrangler dev on workerd + the sandbox, fresh local D1):
//   api      — the edge's HTTP API, tests/edge/*.spec.ts
//   browser  — the app in Debian's Chromium at phone size, tests/e2e/*.spec.ts
// Never downloads a browser: it drives /usr/bin/chromium.
import { defineConfig, devices } from '@playwright/test';

const baseURL = process.env.BANSHI_URL ?? 'http://127.0.0.1:8787';

export default defineConfig({
  testDir: '.',
  outputDir: '../target/playwright',
  forbidOnly: !!process.env.CI,
  retries: 0,
  // The sandbox's scenarios are shared state: one worker keeps tests independent.
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: { baseURL, trace: 'retain-on-failure' },
  projects: [
    // By folder, not by a pattern on the path: a checkout named `edge` would match both.
    { name: 'api', testDir: './edge', testMatch: /\.spec\.ts$/ },
    {
      name: 'browser',
      testDir: './e2e',
      testMatch: /\.spec\.ts$/,
      // A journey drives several pages and waits on the sandbox's departments.
      timeout: 120_000,
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'zh-CN',
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync',
          ],
        },
      },
    },
  ],
});
