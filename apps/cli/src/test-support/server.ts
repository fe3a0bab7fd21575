import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assertFreshBuilds } from '../../../../scripts/build-freshness.mjs'

const SERVER_MAIN = fileURLToPath(new URL('../../../server/dist/main.js', import.meta.url))

export type RunningServer = {
  url: string
  /** Where the server keeps its files (and its SQLite database when `databaseUrl` is unset). */
  dataDir: string
  databaseUrl: string | undefined
  /** The last 20,000 characters the server printed, for failure messages. */
  output: () => string
  /** Everything the server printed (its log at `trace`), for tests that search it. */
  log: () => string
  stop: () => Promise<void>
}

export type ServerOptions = {
  /** PostgreSQL; unset means SQLite in the data dir. */
  databaseUrl?: string | undefined
  /** More environment for the server, e.g. SEALPOST_SMTP_URL; wins over the defaults here. */
  env?: NodeJS.ProcessEnv
}

/**
 * Starts the built server (`apps/server/dist/main.js`) on a free loopback port with its own
 * data dir, and resolves once GET /api/health answers. Refuses a build older than its
 * sources: the tests would pass or fail on yesterday's code.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  assertFreshBuilds(['packages/core', 'apps/server'])
  const dataDir = await mkdtemp(join(tmpdir(), 'sealpost-cli-server-'))
  const port = await findFreePort()
  const url = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SEALPOST_PORT: String(port),
    SEALPOST_HOST: '127.0.0.1',
    SEALPOST_DATA_DIR: dataDir,
    SEALPOST_PUBLIC_URL: url,
    // Everything the server can log, so tests that search the log for secrets search it all.
    SEALPOST_LOG_LEVEL: 'trace',
  }
  // Only what this test asks for: no database or mail server from the developer's shell.
  delete env.DATABASE_URL
  delete env.SEALPOST_SMTP_URL
  delete env.SEALPOST_MAIL_FROM
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl
  Object.assign(env, options.env)

  const child = spawn(process.execPath, [SERVER_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const printed: string[] = []
  const keep = (chunk: Buffer) => {
    printed.push(chunk.toString('utf8'))
  }
  const log = () => printed.join('')
  const output = () => log().slice(-20_000)
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  // Should the test process end without afterAll (a crash, a kill), take the server along.
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)

  const stop = async () => {
    process.off('exit', killOnExit)
    await stopProcess(child, exited)
    await rm(dataDir, { recursive: true, force: true })
  }
  try {
    await waitForHealth(url, child, output)
  } catch (error) {
    await stop()
    throw error
  }
  return { url, dataDir, databaseUrl: options.databaseUrl, output, log, stop }
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited before it was ready:\n${output()}`)
    }
    try {
      const response = await fetch(`${url}/api/health`)
      if (response.ok) return
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      throw new Error(`the server did not answer /api/health within 20 s:\n${output()}`)
    }
    // A short pause between polls, not a guess at how long startup takes.
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function stopProcess(child: ChildProcess, exited: Promise<void>) {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}
