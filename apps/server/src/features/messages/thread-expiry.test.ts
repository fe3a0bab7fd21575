import { envelopeFacts, replySubject } from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import { type Person, send } from '../../test-support/messages.js'

const HOUR = 3_600_000

describe.each(dialects)('threads with expiring messages on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person
  const now = () => server.clock.now()

  beforeEach(async () => {
    ;({
      server,
      admin,
      members: [bob],
    } = await startWithPeople(dialect, ['bob']))
  })
  afterEach(async () => {
    await server.close()
  })

  it('drops an expired original from the thread of a reply that outlives it', async () => {
    const original = await send(
      admin,
      [bob],
      { subject: 'Door code', expiresAt: new Date(now().getTime() + HOUR).toISOString() },
      now,
    )
    const reply = await send(
      bob,
      [admin],
      { subject: replySubject('Door code'), replyTo: original.id },
      now,
    )
    for (const reader of [admin, bob]) {
      expect((await reader.api.getMessage(reply.id)).thread.map((t) => t.id)).toEqual([original.id])
    }

    server.clock.advance(HOUR)
    for (const reader of [admin, bob]) {
      const detail = await reader.api.getMessage(reply.id)
      expect(envelopeFacts(detail.envelope).replyTo).toBe(original.id)
      expect(detail.thread).toEqual([])
    }
  })
})
