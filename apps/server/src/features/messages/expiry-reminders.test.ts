import { toHex } from '@sealpost/core'
import { type RunningSmtpServer, startSmtpServer } from '@sealpost/test-support'
import type { ParsedMail } from 'mailparser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import { type Person, send } from '../../test-support/messages.js'
import { openEventStream } from '../../test-support/sse.js'
import { createMailer } from '../mail/mailer.js'
import { sweep } from '../sweeper/sweeper.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

const canary = (what: string) =>
  `${what}-canary-${toHex(crypto.getRandomValues(new Uint8Array(8)))}`
const addressOf = (mail: ParsedMail) => (Array.isArray(mail.to) ? '' : (mail.to?.text ?? ''))

describe.each(dialects)('expiry reminders on %s', (dialect) => {
  let smtp: RunningSmtpServer
  let server: TestServer
  let admin: Person
  let bob: Person
  let carol: Person
  const now = () => server.clock.now()
  const inDays = (days: number) => new Date(now().getTime() + days * DAY).toISOString()
  /** Sends from the admin; the new-message emails it causes are not what these tests count. */
  const sendQuietly = async (to: Person[], options: Parameters<typeof send>[2] = {}) => {
    const sent = await send(admin, to, options, now)
    await server.app.ctx.notices.settled()
    smtp.received.splice(0)
    return sent
  }

  beforeEach(async () => {
    smtp = await startSmtpServer()
    ;({
      server,
      admin,
      members: [bob, carol],
    } = await startWithPeople(dialect, ['bob', 'carol'], {
      mailer: createMailer({ smtpUrl: smtp.url, from: 'Sealpost <sealpost@sealpost.test>' }),
    }))
  })
  afterEach(async () => {
    await server.close()
    await smtp.close()
  })

  it('reminds each recipient who has not read it, once, 24 hours before it expires, telling nothing of it', async () => {
    const secrets = { subject: canary('subject'), body: canary('body') }
    const { id } = await sendQuietly([bob, carol], { ...secrets, expiresAt: inDays(3) })
    await carol.api.markRead(id)

    // A minute before the window opens: nothing yet.
    server.clock.advance(2 * DAY - MINUTE)
    expect((await sweep(server.app.ctx)).reminders).toBe(0)
    expect(smtp.received).toEqual([])

    server.clock.advance(2 * MINUTE)
    expect((await sweep(server.app.ctx)).reminders).toBe(1)
    expect(smtp.received.map(addressOf)).toEqual(['bob@example.org'])
    const [mail] = smtp.received
    expect(mail!.subject).toBe('A secure message expires in 24 hours')
    expect(mail!.text).toContain('You have not read a secure message from Ada Admin yet.')
    expect(mail!.text).toContain('http://sealpost.test/messages')
    const seen = `${mail!.subject} ${mail!.text} ${String(mail!.html)}`
    for (const secret of Object.values(secrets)) expect(seen).not.toContain(secret)

    // Once only.
    server.clock.advance(HOUR)
    expect((await sweep(server.app.ctx)).reminders).toBe(0)
    expect(smtp.received).toHaveLength(1)
  })

  it('tells an open app at once with an event naming the message and its expiry', async () => {
    const expiresAt = inDays(1)
    const { id } = await sendQuietly([bob], { expiresAt })
    const url = await server.app.listen({ port: 0, host: '127.0.0.1' })
    const stream = await openEventStream(url, bob.api.session.cookie ?? '')
    try {
      await sweep(server.app.ctx)
      const event = await stream.next((e) => e.type === 'message.expiring')
      expect(event.data).toEqual({ type: 'message.expiring', id, expiresAt })
    } finally {
      stream.close()
    }
  })

  it('reminds of nothing read, removed, without expiry, or for a member who turned emails off', async () => {
    const read = await sendQuietly([bob], { expiresAt: inDays(1) })
    await bob.api.markRead(read.id)
    const removed = await sendQuietly([bob], { expiresAt: inDays(1) })
    await bob.api.deleteMessage(removed.id)
    await sendQuietly([bob], { expiresAt: null })
    await carol.api.setNotifications({ notifyByEmail: false })
    await sendQuietly([carol], { expiresAt: inDays(1) })
    const result = await sweep(server.app.ctx)
    // Carol still gets the in-app reminder; the email is what she turned off.
    expect(result.reminders).toBe(1)
    expect(smtp.received).toEqual([])
  })

  it('gathers one recipient’s reminders into one email, counting them', async () => {
    await sendQuietly([bob], { expiresAt: new Date(now().getTime() + 5 * HOUR).toISOString() })
    await sendQuietly([bob], { expiresAt: inDays(1) })
    expect((await sweep(server.app.ctx)).reminders).toBe(2)
    expect(smtp.received.map((mail) => mail.subject)).toEqual([
      '2 secure messages expire within 5 hours',
    ])
  })
})
