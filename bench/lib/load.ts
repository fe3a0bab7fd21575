// autocannon runs: a discarded warm-up, then the measured run.
import autocannon from 'autocannon'
import { percentile, round } from './report.js'

export type LoadResult = {
  connections: number
  requestsPerSecond: number
  /** From every 2xx response's own time, to 0.01 ms (autocannon's histogram keeps whole ms). */
  latencyP50Ms: number
  latencyP99Ms: number
  non2xx: number
  errors: number
}

export type LoadOptions = {
  connections: number
  durationSeconds: number
  warmupSeconds: number
  headers?: Record<string, string>
}

function run(options: autocannon.Options, latencies?: number[]): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, result) =>
      error
        ? reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }))
        : resolve(result),
    )
    if (latencies) {
      instance.on('response', (_client, status, _bytes, ms) => {
        if (status >= 200 && status < 300) latencies.push(ms)
      })
    }
  })
}

export async function load(title: string, url: string, options: LoadOptions): Promise<LoadResult> {
  const base = { url, connections: options.connections, headers: options.headers ?? {} }
  if (options.warmupSeconds > 0) {
    console.log(`${title}: warming up…`)
    await run({ ...base, duration: options.warmupSeconds })
  }
  console.log(`${title}: measuring…`)
  const latencies: number[] = []
  const result = await run({ ...base, duration: options.durationSeconds }, latencies)
  return summarize(title, options.connections, result.requests.average, result, latencies)
}

function summarize(
  title: string,
  connections: number,
  requestsPerSecond: number,
  result: autocannon.Result,
  latencies: number[],
): LoadResult {
  latencies.sort((a, b) => a - b)
  const summary = {
    connections,
    requestsPerSecond: Math.round(requestsPerSecond),
    latencyP50Ms: round(percentile(latencies, 0.5), 2),
    latencyP99Ms: round(percentile(latencies, 0.99), 2),
    non2xx: result.non2xx,
    errors: result.errors,
  }
  console.log(
    `${title}: ${summary.requestsPerSecond} req/s, ` +
      `p50 ${summary.latencyP50Ms} ms, p99 ${summary.latencyP99Ms} ms`,
  )
  if (summary.non2xx > 0 || summary.errors > 0) {
    console.warn(`${title}: ${summary.non2xx} non-2xx responses, ${summary.errors} errors`)
  }
  return summary
}

/** "p50 1 ms, p99 2 ms" plus any failures, for a table's notes column. */
export function latencyNote(l: LoadResult): string {
  return (
    `p50 ${l.latencyP50Ms} ms, p99 ${l.latencyP99Ms} ms` +
    (l.non2xx || l.errors ? `, ${l.non2xx} non-2xx, ${l.errors} errors` : '')
  )
}

export type OneRequest = { method: 'PUT' | 'POST'; path: string; body: string }

/**
 * Like `load`, but each request is the next of `requests` (a body can be sent once only, e.g. a
 * message with its own id): `warmup` of them are a discarded warm-up, then `measured` are timed.
 * autocannon may prepare a request per connection beyond the amount, so the list needs
 * `spareRequests(connections)` more.
 */
export async function loadEach(
  title: string,
  origin: string,
  requests: OneRequest[],
  options: {
    connections: number
    warmup: number
    measured: number
    headers?: Record<string, string>
  },
): Promise<LoadResult> {
  if (requests.length < options.warmup + options.measured + spareRequests(options.connections)) {
    throw new Error(`${title}: too few requests prepared`)
  }
  let next = 0
  const base = {
    url: origin,
    connections: options.connections,
    headers: { 'content-type': 'application/json', ...options.headers },
    requests: [
      {
        setupRequest: (request: autocannon.Request) => {
          const one = requests[next++]
          if (!one) throw new Error(`${title}: ran out of prepared requests`)
          return { ...request, ...one }
        },
      },
    ],
  }
  console.log(`${title}: warming up…`)
  await run({ ...base, amount: options.warmup })
  console.log(`${title}: measuring…`)
  const latencies: number[] = []
  const started = performance.now()
  const result = await run({ ...base, amount: options.measured }, latencies)
  const seconds = (performance.now() - started) / 1000
  return summarize(title, options.connections, result.requests.total / seconds, result, latencies)
}

export function spareRequests(connections: number): number {
  return 2 * connections
}
