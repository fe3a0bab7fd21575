import {
  type ApiClient,
  Base64Url,
  bytesSource,
  createApiClient,
  createLink,
  openLink,
  toHex,
} from '@sealpost/core'
import { type RunningSmtpServer, startSmtpServer } from '@sealpost/test-support'
import type { ParsedMail } from 'mailparser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  apiError,
  inviteAndAccept,
  setupAdmin,
  startWithPeople,
} from '../../test-support/accounts.js'
import { traceLog } from '../../test-support/at-rest.js'
import {
  dialects,
  injectFetch,
  startTestServer,
  type TestServer,
} from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'
import { createMailer, type Mailer } from '../mail/mailer.js'

const DAY = 24 * 3_600_000
const FAST_ARGON2 = { memoryKiB: 8 * 1024, iterations: 1, parallelism: 1 }
const ORIGIN = 'http://sealpost.test'

const canary = (what: string) =>
  `${what}-canary-${toHex(crypto.getRandomValues(new Uint8Array(8)))}`

/** Everything of an email a reader sees: addresses, subject, text and HTML. */
function wholeMail(mail: ParsedMail): string {
  const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(',') : (mail.to?.text ?? '')
  return [to, mail.subject ?? '', mail.text ?? '', String(mail.html)].join('\n')
}

const recipients = (smtp: RunningSmtpServer) =>
  smtp.received.map((mail) => (Array.isArray(mail.to) ? '' : (mail.to?.text ?? '')))

describe.each(dialects)('link opened emails on %s', (dialect) => {
  let smtp: RunningSmtpServer
  let server: TestServer
  let admin: Person
  let bob: Person
  let log: ReturnType<typeof traceLog>
  const visitor = (): ApiClient =>
    createApiClient({ baseUrl: ORIGIN, fetch: injectFetch(server.app, '203.0.113.7') })

  beforeEach(async () => {
    smtp = await startSmtpServer({ rejectRecipients: ['gone@example.org'] })
    log = traceLog()
    ;({
      server,
      admin,
      members: [bob],
    } = await startWithPeople(dialect, ['bob'], {
      mailer: createMailer({ smtpUrl: smtp.url, from: 'Sealpost <sealpost@sealpost.test>' }),
      logger: log.logger,
    }))
  })
  afterEach(async () => {
    await server.close()
    await smtp.close()
  })

  function create(options: Partial<Parameters<typeof createLink>[1]> = {}) {
    return createLink(bob.api, {
      origin: ORIGIN,
      account: bob.account,
      text: 'the root password is hunter2',
      expiresAt: new Date(server.clock.now().getTime() + DAY).toISOString(),
      maxViews: 3,
      argon2: FAST_ARGON2,
      ...options,
    })
  }

  it('emails the owner once per spent view with its number, and nothing of the link', async () => {
    const secrets = {
      subject: canary('subject'),
      text: canary('text'),
      label: canary('label'),
      file: `${canary('file')}.txt`,
    }
    const watched = await create({
      subject: secrets.subject,
      text: secrets.text,
      label: secrets.label,
      files: [bytesSource(secrets.file, 'text/plain', new TextEncoder().encode('bytes'))],
      notifyOnOpen: true,
    })
    const quiet = await create({ maxViews: 2 })
    const createdAt = server.clock.now().toUTCString()

    for (let view = 1; view <= 3; view++) {
      await openLink(visitor(), watched.url)
      // The quiet link's two views run out: its third open is refused and tells no one.
      const quietOpen = openLink(visitor(), quiet.url)
      if (view <= 2) await quietOpen
      else await expect(quietOpen).rejects.toMatchObject({ code: 'not_available' })
      await server.app.ctx.notices.settled()
      expect(smtp.received).toHaveLength(view)
      const mail = smtp.received[view - 1]!
      expect(mail.text).toContain(
        `Your Sealpost link created on ${createdAt} was opened (view ${view} of 3).`,
      )
      expect(mail.text).toContain(`${ORIGIN}/messages/links`)
    }
    expect(recipients(smtp)).toEqual(Array<string>(3).fill('bob@example.org'))
    for (const mail of smtp.received) {
      const seen = wholeMail(mail)
      for (const secret of Object.values(secrets)) expect(seen).not.toContain(secret)
      // Nor the link itself: it would let the reader of the mailbox spend the views.
      expect(seen).not.toContain(watched.url.split('#')[1])
      expect(seen).not.toContain(`/s/${watched.id}`)
    }
    const { links } = await bob.api.listLinks({ all: true })
    expect(Object.fromEntries(links.map((l) => [l.id, l.notifyOnOpen]))).toEqual({
      [watched.id]: true,
      [quiet.id]: false,
    })
  })

  it('sends nothing once the owner’s allowedEmailDomains leaves their address out', async () => {
    const { url } = await create({ notifyOnOpen: true })
    await admin.api.setUserPolicy(bob.session.user.id, { allowedEmailDomains: ['corp.test'] })
    await openLink(visitor(), url)
    await server.app.ctx.notices.settled()
    expect(smtp.received).toEqual([])
    await admin.api.setUserPolicy(bob.session.user.id, { allowedEmailDomains: ['example.org'] })
    await openLink(visitor(), url)
    await server.app.ctx.notices.settled()
    expect(recipients(smtp)).toEqual(['bob@example.org'])
  })

  it('sends nothing for a link without the flag', async () => {
    const { url } = await create({ maxViews: 2 })
    await openLink(visitor(), url)
    await openLink(visitor(), url)
    await server.app.ctx.notices.settled()
    expect(smtp.received).toEqual([])
  })

  it('opens the link even when the email cannot be delivered, and logs why', async () => {
    await server.db
      .updateTable('users')
      .set({ email: 'gone@example.org' })
      .where('username', '=', 'bob')
      .execute()
    const { url } = await create({ text: 'still readable', notifyOnOpen: true })
    expect((await openLink(visitor(), url)).text).toBe('still readable')
    await server.app.ctx.notices.settled()
    expect(smtp.received).toEqual([])
    const failures = log.lines
      .map((line) => JSON.parse(line) as { msg: string; err?: { message: string } })
      .filter((entry) => entry.msg === 'could not send a link-opened email')
    expect(failures.map((entry) => entry.err?.message)).toEqual([
      expect.stringContaining('unavailable'),
    ])
  })

  it('shows the flag to the owner alone, and no one else can set it on the link', async () => {
    const { id } = await create({ notifyOnOpen: true })
    expect((await bob.api.getLink(id)).link.notifyOnOpen).toBe(true)
    expect(await apiError(() => admin.api.getLink(id))).toMatchObject({ status: 404 })
    expect((await admin.api.listLinks({ all: true })).links).toEqual([])
    // Taking over the id with the flag off is refused; the owner's link keeps it.
    const taken = await apiError(() =>
      admin.api.putLink(id, {
        accessVerifier: Base64Url.parse('A'.repeat(43)),
        passphrase: null,
        payload: { v: 1, iv: Base64Url.parse('AAAA'), ct: Base64Url.parse('AAAA') },
        files: [],
        expiresAt: new Date(server.clock.now().getTime() + DAY).toISOString(),
        maxViews: 1,
        label: null,
        notifyOnOpen: false,
      }),
    )
    expect(taken).toMatchObject({ status: 409, code: 'link_exists' })
    expect((await bob.api.getLink(id)).link.notifyOnOpen).toBe(true)
  })

  it('does not hold the open while the email is on its way', async () => {
    await server.close()
    let release = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    const sent: string[] = []
    const slow: Mailer = {
      sendLinkEmail: () => Promise.resolve(),
      sendRequestEmail: () => Promise.resolve(),
      sendMessageNotice: () => Promise.resolve(),
      sendExpiryReminder: () => Promise.resolve(),
      sendLinkOpenedEmail: async (email) => {
        await held
        sent.push(email.to)
      },
      close: () => undefined,
    }
    server = await startTestServer(dialect, { mailer: slow })
    admin = await setupAdmin(server)
    bob = await inviteAndAccept(server, admin.api, 'bob')
    const { url } = await create({ text: 'not waiting', notifyOnOpen: true })
    // Were the open to wait for the mail server, this would never answer.
    expect((await openLink(visitor(), url)).text).toBe('not waiting')
    expect(sent).toEqual([])
    release()
    await server.app.ctx.notices.settled()
    expect(sent).toEqual(['bob@example.org'])
  })
})

describe.each(dialects)('link opened emails without a mail server on %s', (dialect) => {
  it('refuses a link that asks for them', async () => {
    const server = await startTestServer(dialect)
    try {
      const admin = await setupAdmin(server)
      const err = await apiError(() =>
        createLink(admin.api, {
          origin: ORIGIN,
          account: admin.account,
          text: 'x',
          expiresAt: new Date(server.clock.now().getTime() + DAY).toISOString(),
          maxViews: 1,
          notifyOnOpen: true,
        }),
      )
      expect(err).toMatchObject({ status: 409, code: 'mail_not_configured' })
      expect((await admin.api.listLinks({ all: true })).links).toEqual([])
    } finally {
      await server.close()
    }
  })
})
