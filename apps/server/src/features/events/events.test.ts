import { createApiClient, signIn } from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import { type Person, send } from '../../test-support/messages.js'
import { openEventStream } from '../../test-support/sse.js'

describe.each(dialects)('event stream on %s', (dialect) => {
  let server: TestServer
  let url: string
  let admin: Person
  let bob: Person & { cookie: string }
  let carol: Person & { cookie: string }
  const now = () => server.clock.now()

  beforeEach(async () => {
    // On PostgreSQL the events go through LISTEN/NOTIFY, as in production.
    const cast = await startWithPeople(dialect, ['bob', 'carol'], { listenNotify: true })
    ;({ server, admin } = cast)
    const [b, c] = cast.members
    url = await server.app.listen({ port: 0, host: '127.0.0.1' })
    bob = { ...b, cookie: b.api.session.cookie ?? '' }
    carol = { ...c, cookie: c.api.session.cookie ?? '' }
  })
  afterEach(async () => {
    await server.close()
  })

  it('pushes a new message to every open stream of the recipient and to nobody else', async () => {
    const tab1 = await openEventStream(url, bob.cookie)
    const tab2 = await openEventStream(url, bob.cookie)
    const other = await openEventStream(url, carol.cookie)
    try {
      expect(tab1.status).toBe(200)
      const { id } = await send(admin, [bob], { highPriority: true }, now)
      for (const tab of [tab1, tab2]) {
        const event = await tab.next((e) => e.type === 'message.created')
        expect(event.data).toEqual({ type: 'message.created', id, highPriority: true })
      }
      await bob.api.markRead(id)
      await tab2.next((e) => e.type === 'message.read')
      // Carol's stream delivers in order, so once a later message to her has arrived,
      // anything of bob's that leaked to her would have arrived before it.
      const marker = await send(admin, [carol], {}, now)
      await other.next((e) => e.data.id === marker.id)
      expect(other.events.map((e) => e.data)).toEqual([
        { type: 'message.created', id: marker.id, highPriority: false },
      ])
    } finally {
      for (const s of [tab1, tab2, other]) s.close()
    }
  })

  it('replays what a reconnecting client missed, given Last-Event-ID', async () => {
    const stream = await openEventStream(url, bob.cookie)
    const first = await send(admin, [bob], {}, now)
    const seen = await stream.next((e) => e.data.id === first.id)
    stream.close()
    const missed = await send(admin, [bob], {}, now)
    const again = await openEventStream(url, bob.cookie, seen.id)
    try {
      const replayed = await again.next((e) => e.data.id === missed.id)
      expect(replayed.type).toBe('message.created')
      // A later event proves the stream was drained: the replay held only what was missed.
      const marker = await send(admin, [bob], {}, now)
      await again.next((e) => e.data.id === marker.id)
      expect(again.events.map((e) => e.data.id)).toEqual([missed.id, marker.id])
    } finally {
      again.close()
    }
  })

  it('tells every open stream of a user whose permissions an administrator changed, and nobody else', async () => {
    const tab = await openEventStream(url, bob.cookie)
    const other = await openEventStream(url, carol.cookie)
    try {
      await admin.api.updateUser(bob.session.user.id, { canSendMessages: false })
      const event = await tab.next((e) => e.type === 'account.changed')
      expect(event.data).toEqual({ type: 'account.changed', id: bob.session.user.id })
      // In order: once a later message to carol has arrived, a leak would have come first.
      const marker = await send(admin, [carol], {}, now)
      await other.next((e) => e.data.id === marker.id)
      expect(other.events.map((e) => e.type)).toEqual(['message.created'])
    } finally {
      tab.close()
      other.close()
    }
  })

  it('refuses a stream without a session', async () => {
    const stream = await openEventStream(url, 'sealpost=not-a-session')
    expect(stream.status).toBe(401)
    stream.close()
    const real = createApiClient({ baseUrl: url, manageCookies: true })
    await signIn(real, { username: 'admin', password: ADMIN_PASSWORD })
    const ok = await openEventStream(url, real.session.cookie ?? '')
    expect(ok.status).toBe(200)
    ok.close()
  })
})
