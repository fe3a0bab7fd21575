import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Db } from '../db/database.js'
import { openTestDatabase } from '../test-support/database.js'
import { dialects, movableClock } from '../test-support/harness.js'
import { type AttemptLimit, type AttemptScope, createAttemptLimiter } from './attempt-limiter.js'
import { AppError } from './errors.js'

const WINDOW_MS = 15 * 60_000

describe.each(dialects)('attempt limits on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>
  let db: Db
  let clock: ReturnType<typeof movableClock>
  beforeEach(async () => {
    database = await openTestDatabase(dialect)
    db = database.db
    clock = movableClock()
  })
  afterEach(async () => {
    await database.close()
  })

  function limiter(limits: Partial<Record<AttemptScope, AttemptLimit>>, name = 'test') {
    return createAttemptLimiter({
      db,
      dialect,
      clock,
      name,
      windowMs: WINDOW_MS,
      limits,
      what: 'guesses',
    })
  }

  /** The AppError an attempt throws, or undefined when it is allowed. */
  async function refusal(attempt: Promise<unknown>): Promise<AppError | undefined> {
    try {
      await attempt
      return undefined
    } catch (error) {
      if (error instanceof AppError) return error
      throw error
    }
  }

  it('allows the limit, then refuses with the time left in the window, then starts over', async () => {
    const limits = limiter({ key: { max: 3 } })
    for (let i = 0; i < 3; i++) {
      expect(await refusal(limits.attempt('alice', '192.0.2.1'))).toBeUndefined()
    }
    clock.advance(60_000)
    const refused = await refusal(limits.attempt('alice', '192.0.2.2'))
    expect(refused).toMatchObject({ code: 'rate_limited', retryAfter: 840 })
    expect(refused?.message).toBe('too many guesses; try again in 840 s')
    clock.advance(WINDOW_MS - 60_000 - 500)
    expect(await refusal(limits.attempt('alice', '192.0.2.1'))).toMatchObject({ retryAfter: 1 })
    clock.advance(500)
    expect(await refusal(limits.attempt('alice', '192.0.2.1'))).toBeUndefined()
  })

  it('reports the scopes an attempt used up, once a window', async () => {
    const limits = limiter({ ip: { max: 3 }, keyAndIp: { max: 2 } })
    expect(await limits.attempt('alice', '192.0.2.1')).toEqual([])
    expect(await limits.attempt('alice', '192.0.2.1')).toEqual(['keyAndIp'])
    expect(await limits.attempt('bob', '192.0.2.1')).toEqual(['ip'])
    expect(await refusal(limits.attempt('carol', '192.0.2.1'))).toMatchObject({
      code: 'rate_limited',
    })
    clock.advance(WINDOW_MS)
    expect(await limits.attempt('alice', '192.0.2.1')).toEqual([])
  })

  it('counts per address, per target and per pair apart, and a refused attempt on none', async () => {
    const limits = limiter({ ip: { max: 2 }, keyAndIp: { max: 1 } })
    expect(await refusal(limits.attempt('alice', '192.0.2.1'))).toBeUndefined()
    expect(await refusal(limits.attempt('alice', '192.0.2.1'))).toMatchObject({
      code: 'rate_limited',
    })
    // The refused attempt above did not count on the address: one more target still fits.
    expect(await refusal(limits.attempt('bob', '192.0.2.1'))).toBeUndefined()
    expect(await refusal(limits.attempt('carol', '192.0.2.1'))).toMatchObject({
      code: 'rate_limited',
    })
    expect(await refusal(limits.attempt('alice', '192.0.2.2'))).toBeUndefined()
    // Another limiter keeps its own counters.
    expect(
      await refusal(limiter({ ip: { max: 1 } }, 'other').attempt('alice', '192.0.2.1')),
    ).toBeUndefined()
  })

  it('gives an attempt back on success, never below zero', async () => {
    const limits = limiter({ key: { max: 2 } })
    await limits.succeeded('alice', '192.0.2.1')
    await limits.attempt('alice', '192.0.2.1')
    await limits.succeeded('alice', '192.0.2.1')
    await limits.succeeded('alice', '192.0.2.1')
    await limits.attempt('alice', '192.0.2.1')
    await limits.attempt('alice', '192.0.2.1')
    expect(await refusal(limits.attempt('alice', '192.0.2.1'))).toMatchObject({
      code: 'rate_limited',
    })
  })

  it('spaces attempts past a backoff limit by a doubling delay of at most a minute', async () => {
    const limits = limiter({ key: { max: 2, backoff: true } })
    await limits.attempt('alice', '192.0.2.1')
    await limits.attempt('alice', '192.0.2.1')
    const waits: number[] = []
    for (let i = 0; i < 8; i++) {
      expect(await refusal(limits.attempt('alice', '192.0.2.1'))).toBeUndefined()
      const refused = await refusal(limits.attempt('alice', '192.0.2.1'))
      waits.push(refused?.retryAfter ?? 0)
      clock.advance(waits.at(-1)! * 1000 - 1)
      expect(await refusal(limits.attempt('alice', '192.0.2.1')), `wait ${i}`).toMatchObject({
        retryAfter: 1,
      })
      clock.advance(1)
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60])
  })
})
