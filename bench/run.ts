// HTTP benchmarks of DESIGN.md §7, all measured in one run on this machine:
// a bare Fastify route as the baseline, Sealpost's GET /api/health against
// it, OPAQUE sign-ins per second, and the server's peak RSS.
//
//   npm run bench            (needs `npm run build` first: it runs the BUILT server)
//
// BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_LOGIN_SECONDS (seconds
// and counts) and BENCH_LOG_LEVEL (the server's, default warn) tune a run.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import Fastify from 'fastify'
import { ApiError, createApiClient, setupAdministrator, signIn } from '@sealpost/core'

const benchDir = dirname(fileURLToPath(import.meta.url))
const root = dirname(benchDir)
const serverMain = join(root, 'apps/server/dist/main.js')
const resultsDir = join(benchDir, 'results')
const NAME = 'http-and-login'

const settings = {
  durationSeconds: Number(process.env.BENCH_DURATION ?? 5),
  warmupSeconds: Number(process.env.BENCH_WARMUP ?? 2),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
  loginSeconds: Number(process.env.BENCH_LOGIN_SECONDS ?? 5),
  loginConcurrency: 4,
  // Request logging at info costs a write per request that the bare
  // baseline does not pay; warn compares the frameworks, not the logger.
  serverLogLevel: process.env.BENCH_LOG_LEVEL ?? 'warn',
}

const admin = {
  username: 'bench-admin',
  displayName: 'Bench Admin',
  email: 'bench-admin@example.test',
  password: 'correct horse battery staple bench',
}

type LoadResult = {
  requestsPerSecond: number
  latencyP50Ms: number
  latencyP99Ms: number
  non2xx: number
  errors: number
}

type LoginResult = {
  concurrency: number
  loginsPerSecond: number
  meanMs: number
  p99Ms: number
  /** Of the mean, the two HTTP round trips (the server's share, plus loopback). */
  meanHttpMs: number
  succeeded: number
  failed: number
  failures: Record<string, number>
}

type Memory = { peakMiB: number; currentMiB: number }

if (process.argv[2] === 'bare-fastify') {
  await serveBareFastify(Number(process.argv[3]))
} else {
  await main()
}

async function main() {
  if (!existsSync(serverMain)) {
    console.error(`bench: ${serverMain} is missing; run \`npm run build\` first.`)
    process.exit(1)
  }
  // Exit through 'exit' handlers on Ctrl-C too, so children and temp dirs go.
  process.once('SIGINT', () => process.exit(130))
  process.once('SIGTERM', () => process.exit(143))
  console.log(
    `bench: ${settings.durationSeconds} s per load run after ${settings.warmupSeconds} s warm-up, ` +
      `${settings.connections} connections; logins ${settings.loginSeconds} s each\n`,
  )

  // (a) The baseline runs in its own process like the real server does, so
  // both compete with the load generator (this process) on equal terms.
  const barePort = await findFreePort()
  const bare = await startChild(
    [...process.execArgv, fileURLToPath(import.meta.url), 'bare-fastify', String(barePort)],
    {},
    `http://127.0.0.1:${barePort}/`,
  )
  let bareLoad: LoadResult
  try {
    bareLoad = await load('bare Fastify GET /', `http://127.0.0.1:${barePort}/`)
  } finally {
    await bare.stop()
  }

  // (b)–(e) Sealpost, built, on SQLite in a throwaway data dir.
  const dataDir = mkdtempSync(join(os.tmpdir(), 'sealpost-bench-'))
  process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }))
  const port = await findFreePort()
  const origin = `http://127.0.0.1:${port}`
  const server = await startChild(
    [serverMain],
    {
      SEALPOST_PORT: String(port),
      SEALPOST_HOST: '127.0.0.1',
      SEALPOST_DATA_DIR: dataDir,
      SEALPOST_PUBLIC_URL: origin,
      SEALPOST_LOG_LEVEL: settings.serverLogLevel,
    },
    `${origin}/api/health`,
  )
  let healthLoad: LoadResult
  let idleMemory: Memory
  let sequential: LoginResult
  let concurrent: LoginResult
  let loadedMemory: Memory
  try {
    idleMemory = readMemory(server.pid)
    healthLoad = await load('Sealpost GET /api/health', `${origin}/api/health`)

    console.log('setting up the administrator…')
    await setupAdministrator(createApiClient({ baseUrl: origin, manageCookies: true }), admin)
    // Warm-up: the first sign-ins pay for WebAssembly and JIT compilation.
    await loginLoop(origin, 1, Math.min(1, settings.loginSeconds))
    sequential = await loginLoop(origin, 1, settings.loginSeconds)
    report('OPAQUE sign-in, sequential', sequential)
    concurrent = await loginLoop(origin, settings.loginConcurrency, settings.loginSeconds)
    report(`OPAQUE sign-in, concurrency ${settings.loginConcurrency}`, concurrent)
    loadedMemory = readMemory(server.pid)
  } catch (error) {
    console.error(`server output:\n${server.output()}`)
    throw error
  } finally {
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }

  const results = {
    bareFastify: bareLoad,
    health: healthLoad,
    healthToBareRatio: round(healthLoad.requestsPerSecond / bareLoad.requestsPerSecond, 3),
    loginSequential: sequential,
    loginConcurrent: concurrent,
    serverMemory: { idle: idleMemory, afterLoad: loadedMemory },
  }
  const run = {
    name: NAME,
    date: new Date().toISOString(),
    ...describeMachine(),
    settings,
    results,
  }
  const table = markdownTable(results)
  console.log(`\n${table}`)

  mkdirSync(resultsDir, { recursive: true })
  writeFileSync(join(resultsDir, `${NAME}.json`), `${JSON.stringify(run, null, 2)}\n`)
  writeFileSync(join(resultsDir, 'latest.md'), markdownReport(run, table))
  console.log(`wrote bench/results/${NAME}.json and bench/results/latest.md`)
}

/** The baseline: the least a Fastify JSON route can cost on this machine. */
async function serveBareFastify(port: number) {
  const app = Fastify({ logger: false })
  app.get('/', () => ({ status: 'ok' }))
  await app.listen({ port, host: '127.0.0.1' })
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)))
}

/** Warm-up run (discarded), then the measured run. */
async function load(title: string, url: string): Promise<LoadResult> {
  console.log(`${title}: warming up…`)
  await autocannon({ url, connections: settings.connections, duration: settings.warmupSeconds })
  console.log(`${title}: measuring…`)
  const result = await autocannon({
    url,
    connections: settings.connections,
    duration: settings.durationSeconds,
  })
  const summary = {
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  }
  console.log(`${title}: ${summary.requestsPerSecond} req/s, p99 ${summary.latencyP99Ms} ms`)
  if (summary.non2xx > 0 || summary.errors > 0) {
    console.warn(`${title}: ${summary.non2xx} non-2xx responses, ${summary.errors} errors`)
  }
  return summary
}

/** Signs the administrator in over and over from `concurrency` clients. */
async function loginLoop(origin: string, concurrency: number, seconds: number) {
  const started = performance.now()
  const deadline = started + seconds * 1000
  const latencies: number[] = []
  const failures: Record<string, number> = {}
  let failed = 0
  let httpMs = 0
  // Timing fetch: separates the server's part from the client's OPAQUE work
  // (its memory-hard key stretching runs here, not on the server).
  const timedFetch: typeof fetch = async (input, init) => {
    const before = performance.now()
    try {
      return await fetch(input, init)
    } finally {
      httpMs += performance.now() - before
    }
  }
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const api = createApiClient({ baseUrl: origin, manageCookies: true, fetch: timedFetch })
      while (performance.now() < deadline) {
        const before = performance.now()
        try {
          await signIn(api, admin)
          latencies.push(performance.now() - before)
        } catch (error) {
          failed++
          const code = error instanceof ApiError ? error.code : String(error)
          failures[code] = (failures[code] ?? 0) + 1
          // Something is plainly wrong (bad password, rate limit): stop
          // hammering and say so instead of reporting zero.
          if (latencies.length === 0 && failed >= 10) {
            throw new Error(`sign-in keeps failing: ${JSON.stringify(failures)}`, { cause: error })
          }
        }
      }
    }),
  )
  const elapsedSeconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const mean = latencies.reduce((sum, ms) => sum + ms, 0) / Math.max(1, latencies.length)
  return {
    concurrency,
    loginsPerSecond: round(latencies.length / elapsedSeconds, 1),
    meanMs: round(mean, 1),
    meanHttpMs: round(httpMs / Math.max(1, latencies.length + failed), 1),
    p99Ms: round(latencies[Math.floor(latencies.length * 0.99)] ?? 0, 1),
    succeeded: latencies.length,
    failed,
    failures,
  } satisfies LoginResult
}

function report(title: string, result: LoginResult) {
  const failures =
    result.failed > 0 ? `, ${result.failed} failed ${JSON.stringify(result.failures)}` : ''
  console.log(
    `${title}: ${result.loginsPerSecond}/s, mean ${result.meanMs} ms ` +
      `(HTTP ${result.meanHttpMs} ms)${failures}`,
  )
}

/** Peak (VmHWM) and current (VmRSS) resident memory of a process, Linux only. */
function readMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1])
  return { peakMiB: round(kib('VmHWM') / 1024, 1), currentMiB: round(kib('VmRSS') / 1024, 1) }
}

type Child = { pid: number; output: () => string; stop: () => Promise<void> }

/** Starts `node <args>` and resolves once `readyUrl` answers 200. */
async function startChild(
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

function describeMachine() {
  let commit = 'unknown'
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim()
  } catch {
    // Not a git checkout (a release tarball): the commit stays unknown.
  }
  return {
    commit,
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.availableParallelism(),
      memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      os: `${os.type()} ${os.release()}`,
    },
  }
}

type Results = {
  bareFastify: LoadResult
  health: LoadResult
  healthToBareRatio: number
  loginSequential: LoginResult
  loginConcurrent: LoginResult
  serverMemory: { idle: Memory; afterLoad: Memory }
}

function markdownTable(r: Results) {
  const n = (value: number) => value.toLocaleString('en-US')
  const latency = (l: LoadResult) =>
    `p50 ${l.latencyP50Ms} ms, p99 ${l.latencyP99Ms} ms` +
    (l.non2xx || l.errors ? `, ${l.non2xx} non-2xx, ${l.errors} errors` : '')
  const login = (l: LoginResult) =>
    `mean ${l.meanMs} ms (HTTP ${l.meanHttpMs} ms), p99 ${l.p99Ms} ms` +
    (l.failed ? `, ${l.failed} failed` : '')
  const rows = [
    [
      'Bare Fastify `GET /` (baseline)',
      `${n(r.bareFastify.requestsPerSecond)} req/s`,
      latency(r.bareFastify),
    ],
    ['Sealpost `GET /api/health`', `${n(r.health.requestsPerSecond)} req/s`, latency(r.health)],
    ['Health ÷ baseline', `${r.healthToBareRatio}`, 'same machine, same run'],
    [
      'OPAQUE sign-in, sequential',
      `${r.loginSequential.loginsPerSecond} /s`,
      login(r.loginSequential),
    ],
    [
      `OPAQUE sign-in, concurrency ${r.loginConcurrent.concurrency}`,
      `${r.loginConcurrent.loginsPerSecond} /s`,
      login(r.loginConcurrent),
    ],
    ['Server peak RSS, idle', `${r.serverMemory.idle.peakMiB} MiB`, 'target < 150 MiB'],
    [
      'Server peak RSS, after load',
      `${r.serverMemory.afterLoad.peakMiB} MiB`,
      `now ${r.serverMemory.afterLoad.currentMiB} MiB`,
    ],
  ]
  return [
    '| Benchmark | Result | Notes |',
    '| --- | --- | --- |',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n')
}

function markdownReport(run: ReturnType<typeof describeMachine> & { date: string }, table: string) {
  const m = run.machine
  return [
    `# Benchmark: ${NAME}`,
    '',
    `${run.date}, commit ${run.commit}; ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}.`,
    `autocannon: ${settings.connections} connections, ${settings.durationSeconds} s after ` +
      `${settings.warmupSeconds} s warm-up; server on SQLite, log level ${settings.serverLogLevel}. ` +
      `Sign-ins include the client's OPAQUE and key unwrapping, in this process.`,
    '',
    table,
    '',
  ].join('\n')
}

function round(value: number, digits: number) {
  return Number(value.toFixed(digits))
}
