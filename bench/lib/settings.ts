// Settings every benchmark shares, from the environment.

/** A positive number from the environment, or `fallback` when unset or empty. */
export function envNumber(name: string, fallback: number): number {
  const text = process.env[name]
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!Number.isFinite(value) || value < 0) {
    console.error(`bench: ${name}=${text} is not a non-negative number`)
    process.exit(2)
  }
  return value
}

export const common = {
  durationSeconds: envNumber('BENCH_DURATION', 5),
  warmupSeconds: envNumber('BENCH_WARMUP', 2),
  connections: envNumber('BENCH_CONNECTIONS', 50),
  // Request logging at info costs a write per request that the bare
  // baseline does not pay; warn compares the frameworks, not the logger.
  serverLogLevel: process.env.BENCH_LOG_LEVEL || 'warn',
}
