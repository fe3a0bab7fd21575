import type { Clock } from '../app-context.js'
import { AppError } from './errors.js'

type Window = { count: number; resetAt: number }

/**
 * Fixed-window limiter for login attempts, per username and per client IP.
 * Each login start counts; a successful finish gives the attempt back, so only
 * failed or abandoned attempts add up. @fastify/rate-limit cannot key on the
 * username in the body nor refund on success, hence this small one.
 */
export function createLoginLimiter(options: {
  clock: Clock
  windowMs: number
  maxPerUsername: number
  maxPerIp: number
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
      throw new AppError(
        'rate_limited',
        `too many sign-in attempts; try again in ${retryAfter} s`,
        {
          retryAfter,
        },
      )
    }
    w.count += 1
  }

  function prune(now: number): void {
    if (windows.size < 10_000) return
    for (const [key, w] of windows) if (w.resetAt <= now) windows.delete(key)
  }

  return {
    /** Throws AppError('rate_limited') with `retryAfter` seconds when over the limit. */
    attempt(username: string, ip: string): void {
      const now = options.clock.now().getTime()
      prune(now)
      hit(`ip:${ip}`, options.maxPerIp, now)
      hit(`user:${username}`, options.maxPerUsername, now)
    },
    succeeded(username: string, ip: string): void {
      for (const key of [`ip:${ip}`, `user:${username}`]) {
        const w = windows.get(key)
        if (w && w.count > 0) w.count -= 1
      }
    },
  }
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>
