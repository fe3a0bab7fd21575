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
    // A laptop's window, the larger of the two sizes every screen is checked at (journey.ts).
    viewport: { width: 1280, height: 800 },
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
