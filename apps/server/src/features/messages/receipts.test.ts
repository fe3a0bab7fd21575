import { replySubject } from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import { type Person, send } from '../../test-support/messages.js'
import { openEventStream } from '../../test-support/sse.js'

const MINUTE = 60_000

describe.each(dialects)('receipts on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person
  let carol: Person
  let dave: Person
  const now = () => server.clock.now()
  const iso = () => now().toISOString()

  beforeEach(async () => {
    ;({
      server,
      admin,
      members: [bob, carol, dave],
    } = await startWithPeople(dialect, ['bob', 'carol', 'dave'], { listenNotify: true }))
  })
  afterEach(async () => {
    await server.close()
  })

  async function receiptOf(messageId: string, username: string) {
    const { recipients } = await admin.api.receipts(messageId)
    const found = recipients.find((r) => r.username === username)
    if (!found) throw new Error(`no receipt for ${username}`)
    return found
  }

  it('tells the sender when each recipient opened, closed, saved, replied and removed', async () => {
    const sentAt = iso()
    const message = await send(admin, [bob, carol], { subject: 'Router' }, now)

    server.clock.advance(MINUTE)
    const openedAt = iso()
    await bob.api.recordReceipt(message.id, 'opened')
    server.clock.advance(MINUTE)
    // Only the first open counts.
    await bob.api.recordReceipt(message.id, 'opened')
    const closedAt = iso()
    await bob.api.markRead(message.id)
    server.clock.advance(MINUTE)
    const savedAt = iso()
    await bob.api.recordReceipt(message.id, 'saved')
    server.clock.advance(MINUTE)
    const repliedAt = iso()
    await send(bob, [admin], { subject: replySubject('Router'), replyTo: message.id }, now)
    server.clock.advance(MINUTE)
    const removedAt = iso()
    await bob.api.deleteMessage(message.id)

    expect(await admin.api.receipts(message.id)).toEqual({
      enabled: true,
      recipients: [
        {
          id: bob.session.user.id,
          username: 'bob',
          displayName: 'bob',
          deliveredAt: sentAt,
          openedAt,
          readAt: closedAt,
          savedAt,
          repliedAt,
          removedAt,
        },
        {
          id: carol.session.user.id,
          username: 'carol',
          displayName: 'carol',
          deliveredAt: sentAt,
          openedAt: null,
          readAt: null,
          savedAt: null,
          repliedAt: null,
          removedAt: null,
        },
      ],
    })
    // The Sent list carries the same states ("opened 1/2").
    const { items } = await admin.api.sent()
    expect(items.find((i) => i.id === message.id)?.recipients.map((r) => r.openedAt)).toEqual([
      openedAt,
      null,
    ])
  })

  it('shows receipts to the sender alone: a recipient or anyone else gets 404', async () => {
    const message = await send(admin, [bob], {}, now)
    for (const reader of [bob, dave]) {
      expect(await apiError(() => reader.api.receipts(message.id))).toMatchObject({
        status: 404,
        code: 'not_found',
      })
    }
    // Someone who did not receive it cannot report on it either.
    expect(await apiError(() => dave.api.recordReceipt(message.id, 'opened'))).toMatchObject({
      status: 404,
      code: 'not_found',
    })
    // Nor can its sender, who is not one of its recipients.
    await admin.api.recordReceipt(message.id, 'opened')
    expect((await receiptOf(message.id, 'bob')).openedAt).toBeNull()
  })

  it('refuses a receipt that is not opened or saved', async () => {
    const message = await send(admin, [bob], {}, now)
    const response = await server.app.inject({
      method: 'POST',
      url: `/api/messages/${message.id}/receipts`,
      headers: {
        cookie: bob.api.session.cookie ?? '',
        'x-sealpost-csrf': bob.api.session.csrfToken ?? '',
      },
      payload: { event: 'replied' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ error: { code: 'invalid_input' } })
  })

  it('records nothing while the organisation has receipts off', async () => {
    await admin.api.updateSettings({ receiptsEnabled: false })
    const message = await send(admin, [bob], {}, now)
    await bob.api.recordReceipt(message.id, 'opened')
    await bob.api.recordReceipt(message.id, 'saved')
    await send(bob, [admin], { replyTo: message.id }, now)
    await bob.api.markRead(message.id)
    const off = await admin.api.receipts(message.id)
    expect(off.enabled).toBe(false)
    // Closing is the inbox's unread state (S15), not a receipt: the sender still sees it.
    expect(off.recipients[0]).toMatchObject({ openedAt: null, savedAt: null, repliedAt: null })
    expect(off.recipients[0]?.readAt).not.toBeNull()

    // Turning them back on shows that nothing was kept meanwhile.
    await admin.api.updateSettings({ receiptsEnabled: true })
    const row = await server.db
      .selectFrom('message_recipients')
      .select(['opened_at', 'saved_at', 'replied_at'])
      .where('message_id', '=', message.id)
      .where('user_id', '=', bob.session.user.id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ opened_at: null, saved_at: null, replied_at: null })
  })

  it('pushes each receipt to the sender’s open streams, and to nobody else', async () => {
    const url = await server.app.listen({ port: 0, host: '127.0.0.1' })
    const senderStream = await openEventStream(url, admin.api.session.cookie ?? '')
    const otherStream = await openEventStream(url, carol.api.session.cookie ?? '')
    try {
      const message = await send(admin, [bob, carol], {}, now)
      // Several tabs open it at once: one receipt, one event.
      await Promise.all(
        Array.from({ length: 6 }, () => bob.api.recordReceipt(message.id, 'opened')),
      )
      const opened = await senderStream.next((e) => e.type === 'message.receipt')
      expect(opened.data).toEqual({
        type: 'message.receipt',
        id: message.id,
        userId: bob.session.user.id,
      })
      await send(bob, [admin], { replyTo: message.id }, now)
      const replied = await senderStream.next(
        (e) => e.type === 'message.receipt' && e.id !== opened.id,
      )
      expect(replied.data).toEqual(opened.data)
      const receipts = senderStream.events.filter((e) => e.type === 'message.receipt')
      expect(receipts).toHaveLength(2)
      // Carol's stream delivers in order: a later message to her proves no receipt leaked.
      const marker = await send(admin, [carol], {}, now)
      await otherStream.next((e) => e.data.id === marker.id)
      expect(otherStream.events.map((e) => e.type)).not.toContain('message.receipt')
    } finally {
      senderStream.close()
      otherStream.close()
    }
  })
})
