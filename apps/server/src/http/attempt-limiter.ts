import type { Clock } from '../app-context.js'
import {
  type AttemptRow,
  lockAttemptRow,
  refundAttempts,
  updateAttemptRow,
} from '../db/attempts.js'
import type { Db, Dialect } from '../db/database.js'
import { AppError } from './errors.js'

/** What one counter is keyed on: the client address, the target (a username, a link id), or both. */
export type AttemptScope = 'ip' | 'key' | 'keyAndIp'

export type AttemptLimit = {
  max: number
  /**
   * Past `max`, attempts are spaced by a doubling delay (1 s, 2 s, 4 s … `maxBackoffMs`)
   * instead of refused for the rest of the window: a limit anyone can trip (a username's,
   * from every address) slows the target down but cannot lock the real user out.
   */
  backoff?: boolean
}

const MAX_BACKOFF_MS = 60_000

/**
 * Fixed-window limiter for guesses (sign-ins, link opens). Counters live in the database
 * (`attempts`), so every server process on one PostgreSQL enforces the same limit
 * (DESIGN.md §8). Each attempt counts; a success gives it back, so only failures add up.
 */
export function createAttemptLimiter(options: {
  db: Db
  dialect: Dialect
  clock: Clock
  /** Prefix of this limiter's keys, e.g. `login`. */
  name: string
  windowMs: number
  limits: Partial<Record<AttemptScope, AttemptLimit>>
  /** Words for the 429 message, e.g. "sign-in attempts". */
  what: string
}) {
  const scopes = Object.entries(options.limits) as [AttemptScope, AttemptLimit][]

  function keyFor(scope: AttemptScope, key: string, ip: string): string {
    const value = scope === 'ip' ? ip : scope === 'key' ? key : `${key}|${ip}`
    return `${options.name}:${scope}:${value}`
  }

  function limited(waitMs: number): AppError {
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000))
    return new AppError('rate_limited', `too many ${options.what}; try again in ${retryAfter} s`, {
      retryAfter,
    })
  }

  /** Counts one attempt on a locked row; returns the row to store or the error to throw. */
  function count(row: AttemptRow, limit: AttemptLimit, now: number): AttemptRow | AppError {
    const current =
      row.reset_at <= now ? { count: 0, reset_at: now + options.windowMs, blocked_until: 0 } : row
    if (current.blocked_until > now) return limited(current.blocked_until - now)
    if (current.count >= limit.max && !limit.backoff) return limited(current.reset_at - now)
    const counted = current.count + 1
    const over = counted - limit.max
    const blockedUntil =
      limit.backoff && over > 0
        ? now + Math.min(1000 * 2 ** Math.min(over - 1, 16), MAX_BACKOFF_MS)
        : current.blocked_until
    return { count: counted, reset_at: current.reset_at, blocked_until: blockedUntil }
  }

  return {
    /**
     * Throws AppError('rate_limited') with `retryAfter` seconds when over a limit. Answers the
     * scopes this attempt used up (the next one is refused or slowed), once per window, so a
     * caller can record that a limit was reached without a record per refused attempt.
     */
    async attempt(key: string, ip: string): Promise<AttemptScope[]> {
      const now = options.clock.now().getTime()
      const fresh = { count: 0, reset_at: now + options.windowMs, blocked_until: 0 }
      // One transaction: a refused attempt counts on no counter at all.
      return options.db.transaction().execute(async (trx) => {
        const reached: AttemptScope[] = []
        for (const [scope, limit] of scopes) {
          const rowKey = keyFor(scope, key, ip)
          const row = await lockAttemptRow(trx, options.dialect, rowKey, fresh)
          const next = count(row, limit, now)
          if (next instanceof AppError) throw next
          if (next.count === limit.max) reached.push(scope)
          await updateAttemptRow(trx, rowKey, next)
        }
        return reached
      })
    },
    async succeeded(key: string, ip: string): Promise<void> {
      await refundAttempts(
        options.db,
        scopes.map(([scope]) => keyFor(scope, key, ip)),
      )
    },
  }
}

export type AttemptLimiter = ReturnType<typeof createAttemptLimiter>
