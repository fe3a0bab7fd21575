import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openTestDatabase } from '../test-support/database.js'
import { dialects, movableClock } from '../test-support/harness.js'
import { createAttemptLimiter } from './attempt-limiter.js'

const WINDOW_MS = 15 * 60_000

describe.each(dialects)('a new attempt window on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>
  beforeEach(async () => {
    database = await openTestDatabase(dialect)
  })
  afterEach(async () => {
    await database.close()
  })

  it('limits guesses just as the first did, for a whole window again', async () => {
    const clock = movableClock()
    const limits = createAttemptLimiter({
      db: database.db,
      dialect,
      clock,
      name: 'window',
      windowMs: WINDOW_MS,
      limits: { key: { max: 2 } },
      what: 'guesses',
    })
    const guess = () =>
      limits.attempt('alice', '192.0.2.1').then(
        () => 'allowed',
        (error: unknown) => error,
      )
    for (const window of [1, 2, 3]) {
      expect(await guess(), `window ${window}`).toBe('allowed')
      expect(await guess(), `window ${window}`).toBe('allowed')
      expect(await guess(), `window ${window}`).toMatchObject({
        code: 'rate_limited',
        retryAfter: WINDOW_MS / 1000,
      })
      clock.advance(WINDOW_MS)
    }
  })
})
