import { defineConfig } from '@playwright/test'

// The specs drive Debian's chromium (scripts/ensure-system-deps.sh). Each journey
// starts its own BUILT server (`npm run build` first) through e2e/fixtures.ts.
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  // Two journeys at once on two cores: a journey keeps about 0.6 of a core busy (the rest is
  // waiting on the server, the event stream and the browser's frames), so one at a time left
  // most of the machine idle. Journeys assert behaviour, never timings, and each has its own
  // server and data dir. The whole suite went from 16 min to 7.5 min (issue 10).
  workers: 2,
  // Within a file, steps run in order; files are what run side by side.
  fullyParallel: false,
  retries: 0,
  // A bound for a screen that never comes, not a timing: journeys share the machine with the
  // server's and the CLI's tests (scripts/test.mjs), and 5 s was once short under that load.
  expect: { timeout: 10_000 },
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
