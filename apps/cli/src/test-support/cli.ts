import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assertFreshBuilds } from '../../../../scripts/build-freshness.mjs'

const CLI_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url))

export type CliResult = { status: number | null; stdout: string; stderr: string }

/** One person at one computer: their own SEALPOST_HOME, every run spawns the built CLI. */
export type CliUser = {
  home: string
  /** Runs `sealpost ...args`; `stdin` is piped in (the only way a password reaches the CLI). */
  run: (args: readonly string[], options?: { stdin?: string }) => Promise<CliResult>
  /** Every argv this user ran, to prove no password ever went through it. */
  argvLog: string[][]
  remove: () => Promise<void>
}

/** Refuses a CLI build older than its sources: the tests would run yesterday's CLI. */
export async function createCliUser(env: NodeJS.ProcessEnv = {}): Promise<CliUser> {
  assertFreshBuilds(['packages/core', 'apps/cli'])
  const home = await mkdtemp(join(tmpdir(), 'sealpost-cli-home-'))
  const argvLog: string[][] = []
  const run = (args: readonly string[], options: { stdin?: string } = {}) => {
    const argv = [CLI_MAIN, ...args]
    argvLog.push(argv)
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, SEALPOST_HOME: home }
    if (!('SEALPOST_SERVER' in env)) delete childEnv.SEALPOST_SERVER
    return new Promise<CliResult>((resolve, reject) => {
      const child = spawn(process.execPath, argv, { env: childEnv })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
      child.on('error', reject)
      child.on('close', (status) => resolve({ status, stdout, stderr }))
      // The CLI may exit before reading stdin (a usage error); that is not a test failure.
      child.stdin.on('error', () => {})
      child.stdin.end(options.stdin ?? '')
    })
  }
  return { home, run, argvLog, remove: () => rm(home, { recursive: true, force: true }) }
}
