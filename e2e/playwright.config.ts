import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig } from '@playwright/test'

// The specs drive Debian's chromium (scripts/ensure-system-deps.sh) against
// the BUILT server (`npm run build` first) on a fresh SQLite data dir.
const port = Number(process.env.PLAYWRIGHT_PORT ?? 18080)
const origin = `http://127.0.0.1:${port}`

// Playwright loads this file in the runner and again in each worker; the
// runner makes the data dir and workers inherit it through the environment,
// so there is one dir per run and specs can find it there too.
const dataDir = process.env.SEALPOST_E2E_DATA_DIR ?? createDataDir()

function createDataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'sealpost-e2e-'))
  process.env.SEALPOST_E2E_DATA_DIR = dir
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
  return dir
}

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  // One server, one database: specs share state, so run them one at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: 'list',
  forbidOnly: !!process.env.CI,
  use: {
    baseURL: origin,
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
  webServer: {
    command: 'node ../apps/server/dist/main.js',
    url: `${origin}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    // SIGTERM lets the server close SQLite cleanly before the dir is removed.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    env: {
      SEALPOST_PORT: String(port),
      SEALPOST_HOST: '127.0.0.1',
      SEALPOST_DATA_DIR: dataDir,
      SEALPOST_LOG_LEVEL: 'info',
      SEALPOST_PUBLIC_URL: origin,
    },
  },
})
