// HTTP benchmarks of DESIGN.md §7, all measured in one run on this machine:
// a bare Fastify route as the baseline, Sealpost's GET /api/health against
// it, OPAQUE sign-ins per second, and the server's peak RSS.
//
//   npm run bench            (needs `npm run build` first: it runs the BUILT server)
//
// BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_LOGIN_SECONDS (seconds
// and counts) and BENCH_LOG_LEVEL (the server's, default warn) tune a run.
import {
  ApiError,
  createApiClient,
  type FetchLike,
  platformFetch,
  setupAdministrator,
  signIn,
} from '@sealpost/core'
import { latencyNote, load, type LoadResult } from './lib/load.js'
import { exitCleanlyOnSignals, type Memory, readMemory, tempDir } from './lib/process.js'
import {
  describeMachine,
  type Machine,
  markdownTable as table,
  n,
  ratio,
  round,
  runLine,
  writeResults,
} from './lib/report.js'
import { requireBuiltServer, startBareFastify, startSealpost } from './lib/servers.js'
import { common, envNumber } from './lib/settings.js'

const NAME = 'http-and-login'

const settings = {
  ...common,
  loginSeconds: envNumber('BENCH_LOGIN_SECONDS', 5),
  loginConcurrency: 4,
}

const admin = {
  username: 'bench-admin',
  displayName: 'Bench Admin',
  email: 'bench-admin@example.test',
  password: 'correct horse battery staple bench',
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

await main()

async function main() {
  requireBuiltServer()
  exitCleanlyOnSignals()
  console.log(
    `bench: ${settings.durationSeconds} s per load run after ${settings.warmupSeconds} s warm-up, ` +
      `${settings.connections} connections; logins ${settings.loginSeconds} s each\n`,
  )
  const loadOptions = settings

  // (a) The baseline: a bare Fastify route in its own process.
  const bare = await startBareFastify()
  let bareLoad: LoadResult
  try {
    bareLoad = await load('bare Fastify GET /', `${bare.origin}/`, loadOptions)
  } finally {
    await bare.stop()
  }

  // (b)–(e) Sealpost, built, on SQLite in a throwaway data dir.
  const dataDir = tempDir('sealpost-bench-')
  const server = await startSealpost(dataDir.path, settings.serverLogLevel)
  const origin = server.origin
  let healthLoad: LoadResult
  let idleMemory: Memory
  let sequential: LoginResult
  let concurrent: LoginResult
  let loadedMemory: Memory
  try {
    idleMemory = readMemory(server.pid)
    healthLoad = await load('Sealpost GET /api/health', `${origin}/api/health`, loadOptions)

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
    dataDir.remove()
  }

  const results = {
    bareFastify: bareLoad,
    health: healthLoad,
    healthToBareRatio: ratio(healthLoad.requestsPerSecond, bareLoad.requestsPerSecond),
    loginSequential: sequential,
    loginConcurrent: concurrent,
    serverMemory: { idle: idleMemory, afterLoad: loadedMemory },
  }
  const run = { name: NAME, ...describeMachine(), settings, results }
  const resultTable = markdownTable(results)
  console.log(`\n${resultTable}`)
  writeResults(NAME, run, markdownReport(run, resultTable))
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
  const timedFetch: FetchLike = async (input, init) => {
    const before = performance.now()
    try {
      return await platformFetch(input, init)
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

type Results = {
  bareFastify: LoadResult
  health: LoadResult
  healthToBareRatio: number
  loginSequential: LoginResult
  loginConcurrent: LoginResult
  serverMemory: { idle: Memory; afterLoad: Memory }
}

function markdownTable(r: Results) {
  const login = (l: LoginResult) =>
    `mean ${l.meanMs} ms (HTTP ${l.meanHttpMs} ms), p99 ${l.p99Ms} ms` +
    (l.failed ? `, ${l.failed} failed` : '')
  const rows = [
    [
      'Bare Fastify `GET /` (baseline)',
      `${n(r.bareFastify.requestsPerSecond)} req/s`,
      latencyNote(r.bareFastify),
    ],
    ['Sealpost `GET /api/health`', `${n(r.health.requestsPerSecond)} req/s`, latencyNote(r.health)],
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
  return table(['Benchmark', 'Result', 'Notes'], rows)
}

function markdownReport(run: Machine, resultTable: string) {
  return [
    runLine(run),
    `autocannon: ${settings.connections} connections, ${settings.durationSeconds} s after ` +
      `${settings.warmupSeconds} s warm-up; server on SQLite, log level ${settings.serverLogLevel}. ` +
      `Sign-ins include the client's OPAQUE and key unwrapping, in this process.`,
    '',
    resultTable,
  ].join('\n')
}
