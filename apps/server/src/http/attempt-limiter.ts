import type { Clock } from '../app-context.js'
import { AppError } from './errors.js'

type Window = { count: number; resetAt: number }

/**
 * Fixed-window limiter for guesses (sign-ins, link opens), per target key (a username, a
 * link id) and per client IP. Each attempt counts; a success gives it back, so only failed
 * attempts add up. @fastify/rate-limit cannot key on the body nor refund on success, hence
 * this small one.
 */
export function createAttemptLimiter(options: {
  clock: Clock
  windowMs: number
  maxPerKey: number
  maxPerIp: number
  /** Words for the 429 message, e.g. "sign-in attempts". */
  what: string
}) {
  const windows = new Map<string, Window>()

  function hit(key: string, max: number, now: number): void {
    let w = windows.get(key)
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + options.windowMs }
      windows.set(key, w)
    }
    if (w.count >= max) {
      const retryAfter = Math.ceil((w.resetAt - now) / 1000)
      throw new AppError('rate_limited', `too many ${options.what}; try again in ${retryAfter} s`, {
        retryAfter,
      })
    }
    w.count += 1
  }

  function prune(now: number): void {
    if (windows.size < 10_000) return
    for (const [key, w] of windows) if (w.resetAt <= now) windows.delete(key)
  }

  return {
    /** Throws AppError('rate_limited') with `retryAfter` seconds when over the limit. */
    attempt(key: string, ip: string): void {
      const now = options.clock.now().getTime()
      prune(now)
      hit(`ip:${ip}`, options.maxPerIp, now)
      hit(`key:${key}`, options.maxPerKey, now)
    },
    succeeded(key: string, ip: string): void {
      for (const name of [`ip:${ip}`, `key:${key}`]) {
        const w = windows.get(name)
        if (w && w.count > 0) w.count -= 1
      }
    },
  }
}

export type AttemptLimiter = ReturnType<typeof createAttemptLimiter>
