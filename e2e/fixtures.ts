import { test as base } from '@playwright/test'
import { startServerProcess } from '@sealpost/test-support'

export type SealpostServer = { origin: string; dataDir: string; log: () => string }

/**
 * Every journey gets its own BUILT server on a fresh SQLite data dir, so journeys never
 * depend on each other's users or order (each one starts at first-run setup).
 * `sealpostEnv` adds to the server's environment, e.g.
 * `test.use({ sealpostEnv: { SEALPOST_SMTP_URL: 'smtp://127.0.0.1:2525' } })`, or a fixture
 * that overrides it when the value is only known at run time.
 */
export const test = base.extend<{
  sealpost: SealpostServer
  sealpostEnv: Record<string, string>
  /** The name the browser uses for the server; WebAuthn needs a domain (`localhost`), not an IP. */
  sealpostHostname: string
}>({
  sealpostEnv: [{}, { option: true }],
  sealpostHostname: ['127.0.0.1', { option: true }],
  sealpost: async ({ sealpostEnv, sealpostHostname }, use) => {
    // A journey on a build older than its sources would test yesterday's code.
    const server = await startServerProcess({
      builds: ['packages/core', 'apps/server', 'apps/web'],
      hostname: sealpostHostname,
      logLevel: 'info',
      env: sealpostEnv,
    })
    await use({ origin: server.url, dataDir: server.dataDir, log: server.log })
    await server.stop()
  },
  baseURL: async ({ sealpost }, use) => {
    await use(sealpost.origin)
  },
})

export { expect } from '@playwright/test'
