import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test as base } from '@playwright/test'
import { assertFreshBuilds } from '../scripts/build-freshness.mjs'

const SERVER_MAIN = fileURLToPath(new URL('../apps/server/dist/main.js', import.meta.url))

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}

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
    assertFreshBuilds(['packages/core', 'apps/server', 'apps/web'])
    const dataDir = mkdtempSync(join(tmpdir(), 'sealpost-e2e-'))
    const port = await freePort()
    const origin = `http://${sealpostHostname}:${port}`
    const child = spawn(process.execPath, [SERVER_MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: '',
        SEALPOST_PORT: String(port),
        SEALPOST_HOST: '127.0.0.1',
        SEALPOST_DATA_DIR: dataDir,
        SEALPOST_PUBLIC_URL: origin,
        SEALPOST_LOG_LEVEL: 'info',
        ...sealpostEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let log = ''
    const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-50_000))
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    const deadline = Date.now() + 30_000
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited:\n${log}`)
      const healthy = await fetch(`http://127.0.0.1:${port}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
      if (healthy) break
      if (Date.now() > deadline) {
        child.kill('SIGKILL')
        throw new Error(`server did not start:\n${log}`)
      }
      // Polling interval while the server boots.
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    await use({ origin, dataDir, log: () => log })
    child.kill('SIGTERM')
    await exited
    rmSync(dataDir, { recursive: true, force: true })
  },
  baseURL: async ({ sealpost }, use) => {
    await use(sealpost.origin)
  },
})

export { expect } from '@playwright/test'
