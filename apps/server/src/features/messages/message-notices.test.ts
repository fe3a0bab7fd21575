import { toHex } from '@sealpost/core'
import { type RunningSmtpServer, startSmtpServer } from '@sealpost/test-support'
import type { ParsedMail } from 'mailparser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import { type Person, send } from '../../test-support/messages.js'
import { openEventStream } from '../../test-support/sse.js'
import { createMailer } from '../mail/mailer.js'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

const canary = (what: string) =>
  `${what}-canary-${toHex(crypto.getRandomValues(new Uint8Array(8)))}`

/** Everything of an email a reader sees: addresses, subject, text and HTML. */
function wholeMail(mail: ParsedMail): string {
  const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(',') : (mail.to?.text ?? '')
  return [to, mail.subject ?? '', mail.text ?? '', String(mail.html)].join('\n')
}

const addressOf = (mail: ParsedMail) => (Array.isArray(mail.to) ? '' : (mail.to?.text ?? ''))

describe.each(dialects)('new-message emails on %s', (dialect) => {
  let smtp: RunningSmtpServer
  let server: TestServer
  let admin: Person
  let bob: Person
  let carol: Person
  const now = () => server.clock.now()
  /** Sends from the admin, then waits for the emails it caused. */
  const sendAndSettle = async (to: Person[], options: Parameters<typeof send>[2] = {}) => {
    const sent = await send(admin, to, options, now)
    await server.app.ctx.notices.settled()
    return sent
  }
  const addresses = () => smtp.received.map(addressOf)

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

  it('tells each offline recipient once who sent it and when it expires, nothing of it', async () => {
    const secrets = { subject: canary('subject'), body: canary('body'), file: canary('file') }
    await sendAndSettle([bob, carol], {
      subject: secrets.subject,
      body: secrets.body,
      files: [{ name: `${secrets.file}.pdf`, bytes: new TextEncoder().encode('bytes') }],
      expiresAt: new Date(now().getTime() + 3 * DAY).toISOString(),
    })
    expect(addresses().sort()).toEqual(['bob@example.org', 'carol@example.org'])
    for (const mail of smtp.received) {
      expect(mail.subject).toBe('You have a secure message from Ada Admin')
      expect(mail.text).toContain('It expires in 3 days.')
      expect(mail.text).toContain('http://sealpost.test/messages')
      const seen = wholeMail(mail)
      for (const secret of Object.values(secrets)) expect(seen).not.toContain(secret)
    }
  })

  it('sends nothing to a recipient with the app open', async () => {
    const url = await server.app.listen({ port: 0, host: '127.0.0.1' })
    const stream = await openEventStream(url, bob.api.session.cookie ?? '')
    try {
      expect(stream.status).toBe(200)
      await sendAndSettle([bob, carol])
      expect(addresses()).toEqual(['carol@example.org'])
    } finally {
      stream.close()
    }
  })

  it('sends at most one email per recipient per 10 minutes', async () => {
    await sendAndSettle([bob])
    server.clock.advance(9 * MINUTE)
    await sendAndSettle([bob])
    await sendAndSettle([carol])
    expect(addresses()).toEqual(['bob@example.org', 'carol@example.org'])
    server.clock.advance(MINUTE)
    await sendAndSettle([bob])
    expect(addresses()).toEqual(['bob@example.org', 'carol@example.org', 'bob@example.org'])
  })

  it('sends nothing to a member who turned them off, and each member sets only their own', async () => {
    expect(await bob.api.getNotifications()).toEqual({ notifyByEmail: true })
    expect(await bob.api.setNotifications({ notifyByEmail: false })).toEqual({
      notifyByEmail: false,
    })
    expect(await carol.api.getNotifications()).toEqual({ notifyByEmail: true })
    await sendAndSettle([bob, carol])
    expect(addresses()).toEqual(['carol@example.org'])
  })

  it('sends nothing to an address outside the recipient’s allowedEmailDomains', async () => {
    await admin.api.setUserPolicy(bob.session.user.id, { allowedEmailDomains: ['corp.test'] })
    await admin.api.setUserPolicy(carol.session.user.id, { allowedEmailDomains: ['example.org'] })
    await sendAndSettle([bob, carol])
    expect(addresses()).toEqual(['carol@example.org'])
  })

  it('follows the organisation default until a member chooses', async () => {
    expect((await admin.api.getSettings()).defaultNotifyByEmail).toBe(true)
    await admin.api.updateSettings({ defaultNotifyByEmail: false })
    expect(await bob.api.getNotifications()).toEqual({ notifyByEmail: false })
    await carol.api.setNotifications({ notifyByEmail: true })
    await sendAndSettle([bob, carol])
    expect(addresses()).toEqual(['carol@example.org'])
    expect(
      await apiError(() => bob.api.updateSettings({ defaultNotifyByEmail: true })),
    ).toMatchObject({ status: 403 })
  })
})
