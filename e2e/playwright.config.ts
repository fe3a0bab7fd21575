import { defineConfig } from '@playwright/test'

// The specs drive Debian's chromium (scripts/ensure-system-deps.sh). Each journey
// starts its own BUILT server (`npm run build` first) through e2e/fixtures.ts.
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  // Two cores: one browser at a time keeps timings honest.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: 'list',
  forbidOnly: !!process.env.CI,
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      // --no-sandbox: chromium's sandbox refuses to run as root (CI is root).
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },
})
