// Child processes, temp dirs and memory readings for the benchmarks. Everything
// started here is torn down on exit, including Ctrl-C.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import { join } from 'node:path'
import { root } from './paths.js'
import { round } from './report.js'

/** Leave through 'exit' handlers on Ctrl-C too, so children and temp dirs go. */
export function exitCleanlyOnSignals() {
  process.once('SIGINT', () => process.exit(130))
  process.once('SIGTERM', () => process.exit(143))
}

/**
 * A throwaway directory, removed when the bench exits however it exits;
 * BENCH_KEEP_DATA=1 keeps it (and says where) for a look at the database.
 */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(os.tmpdir(), prefix))
  if (process.env.BENCH_KEEP_DATA === '1') {
    process.once('exit', () => console.log(`bench: kept ${path} (BENCH_KEEP_DATA=1)`))
    return { path, remove: () => {} }
  }
  const remove = () => rmSync(path, { recursive: true, force: true })
  process.once('exit', remove)
  return { path, remove }
}

export type Memory = { peakMiB: number; currentMiB: number }

/** Peak (VmHWM) and current (VmRSS) resident memory of a process, Linux only. */
export function readMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1])
  return { peakMiB: round(kib('VmHWM') / 1024, 1), currentMiB: round(kib('VmRSS') / 1024, 1) }
}

/**
 * Resets VmHWM to the current RSS (Linux `clear_refs` 5), so a later reading
 * is the peak of what came after. False when the kernel refuses.
 */
export function resetPeakMemory(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

export type Child = { pid: number; output: () => string; stop: () => Promise<void> }

/** Starts `node <args>` and resolves once `readyUrl` answers 200. */
export async function startChild(
  args: string[],
  env: Record<string, string>,
  readyUrl: string,
): Promise<Child> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // Keep the tail of its output for error messages; never let a full pipe stall it.
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const pid = child.pid
  if (pid === undefined) throw new Error(`cannot start node ${args.join(' ')}`)
  const handle: Child = { pid, output: () => output, stop: () => stopChild(child) }
  // Also stop it should the bench itself fail or be interrupted.
  process.once('exit', () => child.kill('SIGKILL'))

  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`node ${args.join(' ')} exited early:\n${output}`)
    }
    try {
      const response = await fetch(readyUrl)
      if (response.ok) return handle
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await handle.stop()
      throw new Error(`${readyUrl} did not answer within 30 s:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

export function findFreePort(): Promise<number> {
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
