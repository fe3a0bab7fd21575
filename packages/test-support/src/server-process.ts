import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assertFreshBuilds } from '../../../scripts/build-freshness.mjs'

const SERVER_MAIN = fileURLToPath(new URL('../../../apps/server/dist/main.js', import.meta.url))

export type ServerProcessOptions = {
  /** The builds that must be newer than their sources, e.g. ['packages/core', 'apps/server']. */
  builds: string[]
  /** PostgreSQL; unset means SQLite in the data dir. */
  databaseUrl?: string | undefined
  /** A data dir to use (and keep); by default a fresh one, removed by `stop()`. */
  dataDir?: string
  /** `trace` for tests that search the log for secrets; `warn` by default. */
  logLevel?: string
  /** The name clients use for the server in its public URL (WebAuthn needs `localhost`). */
  hostname?: string
  /** More environment for the server (e.g. SEALPOST_SMTP_URL); wins over the defaults. */
  env?: NodeJS.ProcessEnv
}

export type ServerProcess = {
  /** The public URL: `http://<hostname>:<port>`. */
  url: string
  /** For reading the process's memory from /proc/<pid>/status. */
  pid: number
  dataDir: string
  /** The last 20,000 characters the server printed, for failure messages. */
  output: () => string
  /** Everything the server printed, for tests that search its log. */
  log: () => string
  /** SIGKILL: no chance to clean up, as in a crash. The data dir stays. */
  kill: () => Promise<void>
  /** SIGTERM (SIGKILL after 5 s); removes the data dir unless it was given. */
  stop: () => Promise<void>
}

export async function freePort(): Promise<number> {
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

/**
 * Runs the built server (`apps/server/dist/main.js`) as a real process on a free loopback
 * port; resolves once /api/health answers. Refuses builds older than their sources: the test
 * would pass or fail on yesterday's code. Nothing from the developer's shell leaks in: no
 * database or mail server unless the test names one.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  assertFreshBuilds(options.builds)
  const ownsDataDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sealpost-test-server-'))
  const port = await freePort()
  const url = `http://${options.hostname ?? '127.0.0.1'}:${port}`
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SEALPOST_PORT: String(port),
    SEALPOST_HOST: '127.0.0.1',
    SEALPOST_DATA_DIR: dataDir,
    SEALPOST_PUBLIC_URL: url,
    SEALPOST_LOG_LEVEL: options.logLevel ?? 'warn',
  }
  delete env.DATABASE_URL
  delete env.SEALPOST_SMTP_URL
  delete env.SEALPOST_MAIL_FROM
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl
  Object.assign(env, options.env)

  const child = spawn(process.execPath, [SERVER_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const printed: string[] = []
  const keep = (chunk: Buffer) => void printed.push(chunk.toString('utf8'))
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const log = () => printed.join('')
  const output = () => log().slice(-20_000)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // Should the test process end without its cleanup (a crash, a kill), take the server along.
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)

  const kill = async () => {
    process.off('exit', killOnExit)
    if (isRunning(child)) child.kill('SIGKILL')
    await exited
  }
  const stop = async () => {
    process.off('exit', killOnExit)
    if (isRunning(child)) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    }
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true })
  }
  try {
    await waitForHealth(`http://127.0.0.1:${port}`, child, output)
  } catch (error) {
    await stop()
    throw error
  }
  return { url, pid: child.pid ?? -1, dataDir, output, log, kill, stop }
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null
}

async function waitForHealth(origin: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 30_000
  for (;;) {
    if (!isRunning(child)) throw new Error(`the server exited before it was ready:\n${output()}`)
    const healthy = await fetch(`${origin}/api/health`).then(
      (response) => response.ok,
      () => false,
    )
    if (healthy) return
    if (Date.now() > deadline) {
      throw new Error(`the server did not answer /api/health within 30 s:\n${output()}`)
    }
    // A short pause between polls while the server boots, not a guess at how long it takes.
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
