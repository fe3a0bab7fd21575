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
export function startChild(
  args: string[],
  env: Record<string, string>,
  readyUrl: string,
): Promise<Child> {
  return startProcess(process.execPath, args, env, readyUrl)
}

/**
 * Starts `command <args>` and resolves once `readyUrl` answers 200, within
 * `readySeconds` (30 by default).
 */
export async function startProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  readyUrl: string,
  readySeconds = 30,
): Promise<Child> {
  const child = spawn(command, args, {
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
  const what = `${command} ${args.join(' ')}`
  if (pid === undefined) throw new Error(`cannot start ${what}`)
  const handle: Child = { pid, output: () => output, stop: () => stopChild(child) }
  // Also stop it should the bench itself fail or be interrupted.
  process.once('exit', () => child.kill('SIGKILL'))

  const deadline = Date.now() + readySeconds * 1000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what} exited early:\n${output}`)
    }
    try {
      const response = await fetch(readyUrl)
      if (response.ok) return handle
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await handle.stop()
      throw new Error(`${readyUrl} did not answer within ${readySeconds} s:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/**
 * Runs `command <args>` (with `env` added to ours) to its end and answers its exit code and
 * output; it is killed after `timeoutSeconds`, and when the bench exits.
 */
export function runToEnd(
  command: string,
  args: string[],
  timeoutSeconds: number,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const kill = () => child.kill('SIGKILL')
    process.once('exit', kill)
    const timer = setTimeout(kill, timeoutSeconds * 1000)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
    child.once('error', (error) => {
      clearTimeout(timer)
      process.off('exit', kill)
      reject(error)
    })
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      process.off('exit', kill)
      if (signal) stderr += `\n(ended by ${signal}; the limit is ${timeoutSeconds} s)`
      resolve({ code, stdout, stderr })
    })
  })
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
