import { signIn } from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import { type Person, send } from '../../test-support/messages.js'
import { openEventStream } from '../../test-support/sse.js'

/**
 * Waits for the stream to end, well before the 25 s heartbeat that would also end it: the
 * ending under test is the immediate one.
 */
async function endsPromptly(stream: { ended: Promise<void> }) {
  let timer: NodeJS.Timeout | undefined
  const tooLate = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the stream stayed open')), 10_000)
  })
  try {
    await Promise.race([stream.ended, tooLate])
  } finally {
    clearTimeout(timer)
  }
}

describe.each(dialects)('event stream limits on %s', (dialect) => {
  let server: TestServer
  let url: string
  let admin: Person
  let bob: Person & { password: string }
  const cookieOf = (p: Person) => p.api.session.cookie ?? ''
  const streams: Awaited<ReturnType<typeof openEventStream>>[] = []
  const open = async (cookie: string) => {
    const stream = await openEventStream(url, cookie)
    streams.push(stream)
    return stream
  }

  beforeEach(async () => {
    ;({
      server,
      admin,
      members: [bob],
    } = await startWithPeople(dialect, ['bob'], {
      env: { SEALPOST_STREAMS_PER_SESSION: '2', SEALPOST_STREAMS_PER_USER: '3' },
      listenNotify: true,
    }))
    url = await server.app.listen({ port: 0, host: '127.0.0.1' })
  })
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close()
    await server.close()
  })

  it('caps open streams per sign-in and per user, and frees a slot when one closes', async () => {
    const first = await open(cookieOf(bob))
    expect(first.status).toBe(200)
    expect((await open(cookieOf(bob))).status).toBe(200)
    expect((await open(cookieOf(bob))).status).toBe(429)
    const second = server.client()
    await signIn(second, { username: 'bob', password: bob.password })
    const secondCookie = second.session.cookie ?? ''
    expect((await open(secondCookie)).status).toBe(200)
    expect((await open(secondCookie)).status).toBe(429)
    // Others are not affected.
    expect((await open(cookieOf(admin))).status).toBe(200)
    first.close()
    await first.ended
    // The server notices the closed connection when it next writes or the socket ends.
    for (;;) {
      const retry = await open(secondCookie)
      if (retry.status === 200) break
      expect(retry.status).toBe(429)
    }
  })

  it('ends every stream of a user the moment an administrator disables them', async () => {
    const stream = await open(cookieOf(bob))
    await admin.api.updateUser(bob.session.user.id, { status: 'disabled' })
    await endsPromptly(stream)
    expect((await open(cookieOf(bob))).status).toBe(401)
  })

  it('ends only the signed-out session’s streams at sign-out', async () => {
    const other = server.client()
    await signIn(other, { username: 'bob', password: bob.password })
    const leaving = await open(cookieOf(bob))
    const staying = await open(other.session.cookie ?? '')
    await bob.api.logout()
    await endsPromptly(leaving)
    const { id } = await send(admin, [bob], {}, () => server.clock.now())
    const event = await staying.next((e) => e.type === 'message.created')
    expect(event.data).toMatchObject({ id })
    expect(leaving.events).toEqual([])
  })
})
