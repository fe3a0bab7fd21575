import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { assertFreshBuilds } from '../../../../scripts/build-freshness.mjs'

const SERVER_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url))

export type ServerProcess = {
  url: string
  /** For reading the process's memory from /proc/<pid>/status. */
  pid: number
  dataDir: string
  output(): string
  /** SIGKILL: no chance to clean up, as in a crash. */
  kill(): Promise<void>
  stop(): Promise<void>
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
 * Runs the built server as a real process; resolves once /api/health answers. Refuses a
 * build older than its sources: the test would pass or fail on yesterday's code.
 */
export async function startServerProcess(options: {
  databaseUrl?: string
  dataDir?: string
  opaqueServerSetup?: string
}): Promise<ServerProcess> {
  assertFreshBuilds(['packages/core', 'apps/server'])
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sealpost-proc-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SEALPOST_PORT: String(port),
    SEALPOST_HOST: '127.0.0.1',
    SEALPOST_DATA_DIR: dataDir,
    SEALPOST_PUBLIC_URL: url,
    SEALPOST_LOG_LEVEL: 'warn',
  }
  delete env.DATABASE_URL
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl
  if (options.opaqueServerSetup) env.SEALPOST_OPAQUE_SERVER_SETUP = options.opaqueServerSetup
  const child = spawn(process.execPath, [SERVER_MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000))
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  const end = async (signal: NodeJS.Signals) => {
    process.off('exit', killOnExit)
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    await exited
  }
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${output}`)
    const healthy = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    )
    if (healthy) break
    if (Date.now() > deadline) {
      await end('SIGKILL')
      throw new Error(`server did not start:\n${output}`)
    }
    // Polling interval while the server boots, not a timing assumption.
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    url,
    pid: child.pid ?? -1,
    dataDir,
    output: () => output,
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  }
}
