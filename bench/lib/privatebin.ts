// The PrivateBin 2.0.5 peer of DESIGN.md §7, used from ../shared/peers/privatebin
// as it is (read-only): its run.sh serves it with `php -S` (and installs
// php-cli with apt-get when php is missing, unless PB_NO_INSTALL=1), and its
// client.mjs creates and opens encrypted pastes and reports the rates.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { root } from './paths.js'
import { findFreePort, runToEnd, startProcess } from './process.js'
import type { Running } from './servers.js'

export const privateBinDir = resolve(
  process.env.BENCH_PRIVATEBIN_DIR || join(root, '../shared/peers/privatebin'),
)

export function hasPhp(): boolean {
  return spawnSync('sh', ['-c', 'command -v php'], { stdio: 'ignore' }).status === 0
}

export function phpVersion(): string {
  const out = spawnSync('php', ['-r', 'echo PHP_VERSION;'], { encoding: 'utf8' })
  return out.status === 0 ? out.stdout.trim() : 'unknown'
}

/**
 * Starts `run.sh PORT DATADIR` (one php process: run.sh execs it, so the pid
 * is php's) with php's request log in `logFile`. Allows 10 minutes when
 * run.sh has to install php first.
 */
export async function startPrivateBin(dataDir: string, logFile: string): Promise<Running> {
  const runSh = join(privateBinDir, 'run.sh')
  if (!existsSync(runSh)) throw new Error(`${runSh} is missing`)
  const port = await findFreePort()
  const origin = `http://127.0.0.1:${port}`
  const child = await startProcess(
    'bash',
    [runSh, String(port), dataDir],
    { PB_LOG: logFile, PB_WORKERS: '1' },
    `${origin}/`,
    hasPhp() ? 30 : 600,
  )
  return { ...child, origin }
}

type Percentiles = { p50: number; p90: number; p99: number; max: number } | null

/** What client.mjs prints (one JSON line); see its README. */
export type PrivateBinClientResult = {
  creates_per_s: number
  opens_per_s: number
  roundtrip_per_s: number
  errors: number
  n: number
  concurrency: number
  size: number
  burn: boolean
  mode: 'full' | 'server-only'
  seconds: { create: number; open: number; roundtrip: number }
  latency_ms: { create: Percentiles; open: Percentiles; roundtrip: Percentiles }
  reread_check: string
  encrypt_per_s?: number
  decrypt_per_s?: number
  error_samples?: string[]
}

/** Runs client.mjs against `origin`: n creates, n opens, then n create+open round trips. */
export async function runPrivateBinClient(
  origin: string,
  options: { n: number; concurrency: number; size: number; burn: boolean; serverOnly: boolean },
  timeoutSeconds: number,
): Promise<PrivateBinClientResult> {
  const args = [
    join(privateBinDir, 'client.mjs'),
    ...['--url', origin, '--n', String(options.n)],
    ...['--concurrency', String(options.concurrency), '--size', String(options.size)],
    ...(options.burn ? ['--burn'] : []),
    ...(options.serverOnly ? ['--server-only'] : []),
  ]
  const run = await runToEnd(process.execPath, args, timeoutSeconds)
  const line = run.stdout.trim().split('\n').at(-1) ?? ''
  try {
    return JSON.parse(line) as PrivateBinClientResult
  } catch {
    throw new Error(
      `client.mjs exited with ${run.code} without a result:\n${run.stdout}\n${run.stderr}`,
    )
  }
}
