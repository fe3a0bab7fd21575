import {
  createLink,
  fromBase64Url,
  parseRequestUrl,
  requestKeyFingerprint,
  requestUrl,
  viewRequest,
} from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { expectKeptFromRest, traceLog } from '../../test-support/at-rest.js'
import { dialects, rawRequest, type TestServer } from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'
import { createRequestOf, HOUR, ORIGIN, visitor } from '../../test-support/requests.js'
import { startSmtpServer } from '@sealpost/test-support'
import { createMailer } from '../mail/mailer.js'

const PER_HOUR = 3

describe.each(dialects)('request links by email on %s', (dialect) => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>
  let server: TestServer
  let lines: string[]
  let admin: Person
  let bob: Person

  beforeEach(async () => {
    smtp = await startSmtpServer({ rejectRecipients: ['gone@example.org'] })
    const log = traceLog()
    lines = log.lines
    ;({
      server,
      admin,
      members: [bob],
    } = await startWithPeople(dialect, ['bob'], {
      logger: log.logger,
      mailer: createMailer({ smtpUrl: smtp.url, from: 'Sealpost <sealpost@sealpost.test>' }),
      env: { SEALPOST_MAIL_PER_HOUR: String(PER_HOUR) },
    }))
  })
  afterEach(async () => {
    await server.close()
    await smtp.close()
  })

  function email(id: string, body: unknown) {
    return rawRequest(server.app, {
      method: 'POST',
      url: `/api/requests/${id}/email`,
      body,
      cookie: bob.api.session.cookie,
      csrf: bob.api.session.csrfToken,
    })
  }

  it('mails the link the server builds, which opens the request; keeps no part of it', async () => {
    const request = await createRequestOf(server, bob)
    const { results } = await bob.api.emailRequest(request.id, {
      to: ['friend@example.org', 'gone@example.org'],
      url: request.url,
    })
    expect(results).toEqual([
      { to: 'friend@example.org', ok: true, error: null },
      { to: 'gone@example.org', ok: false, error: expect.stringMatching(/unavailable/) as string },
    ])
    expect(smtp.received).toHaveLength(1)
    const mail = smtp.received[0]!
    expect(mail.subject).toBe('bob asks you to send a secret securely')
    const mailed = mail.text?.match(/https?:\/\/\S+/g)
    expect(mailed).toEqual([request.url])
    expect((await viewRequest(visitor(server), mailed![0])).answersLeft).toBe(1)
    // What is asked is sealed: the email cannot say it.
    expect(`${mail.text} ${String(mail.html)}`).not.toContain('Berlin')
    await expectKeptFromRest({
      server,
      dialect,
      lines,
      secrets: [
        ['request link', request.url.split('#')[1]!],
        ['request secret', parseRequestUrl(request.url).secret],
      ],
      inClear: 'ada@example.org',
      encoded: fromBase64Url(bob.session.keys.x25519PublicKey),
      inLog: `/api/requests/${request.id}/email`,
    })
  })

  it('mails only a link of this request with its requester’s key, at this server', async () => {
    const request = await createRequestOf(server, bob)
    const { id, secret, fingerprint } = parseRequestUrl(request.url)
    const fragment = request.url.split('#')[1]!
    const otherKey = await requestKeyFingerprint(fromBase64Url(admin.session.keys.x25519PublicKey))
    for (const bait of [
      `${ORIGIN}/r/${id}#${fragment}%20re-enter%20your%20password`,
      `${ORIGIN}/r/${id}?then=https://evil.example#${fragment}`,
      `${ORIGIN}/s/${id}#${fragment}`,
      requestUrl(ORIGIN, id, new Uint8Array(32).fill(7), fingerprint),
      // The right secret, another key's fingerprint: every visitor would refuse to answer.
      requestUrl(ORIGIN, id, secret, otherKey),
    ]) {
      const answer = await email(id, { to: ['victim@example.org'], url: bait })
      expect(answer.status, bait).toBe(400)
    }
    expect(smtp.received).toHaveLength(0)
    const elsewhere = await email(id, {
      to: ['victim@example.org'],
      url: `https://evil.example/r/${id}#${fragment}`,
    })
    expect(elsewhere.status).toBe(200)
    expect(smtp.received[0]?.text?.match(/https?:\/\/\S+/g)).toEqual([request.url])
  })

  it('counts request emails in the same hourly limit as link emails', async () => {
    const link = await createLink(bob.api, {
      origin: ORIGIN,
      account: bob.account,
      text: 'hello',
      expiresAt: new Date(server.clock.now().getTime() + HOUR).toISOString(),
      maxViews: 1,
    })
    await bob.api.emailLink(link.id, { to: ['a@example.org', 'b@example.org'], url: link.url })
    const request = await createRequestOf(server, bob)
    expect((await email(request.id, { to: ['c@example.org'], url: request.url })).status).toBe(200)
    const over = await email(request.id, { to: ['d@example.org'], url: request.url })
    expect(over.status).toBe(429)
    expect(smtp.received).toHaveLength(PER_HOUR)
  })

  it('mails no request that is closed, and none for a requester without the permission', async () => {
    const closed = await createRequestOf(server, bob)
    await bob.api.deleteRequest(closed.id)
    expect(
      await apiError(() =>
        bob.api.emailRequest(closed.id, { to: ['x@example.org'], url: closed.url }),
      ),
    ).toMatchObject({ status: 404 })
    const open = await createRequestOf(server, bob)
    await admin.api.updateUser(bob.session.user.id, { canRequestSecrets: false })
    expect(
      await apiError(() => bob.api.emailRequest(open.id, { to: ['x@example.org'], url: open.url })),
    ).toMatchObject({ status: 403, code: 'policy_forbids' })
    expect(smtp.received).toHaveLength(0)
  })
})
