import { createLink, toBase64Url } from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildApp } from '../../app.js'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { dialects, rawRequest, type TestServer } from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'
import { startSmtpServer } from '@sealpost/test-support'
import { createMailer } from '../mail/mailer.js'

const HOUR = 3_600_000
const ORIGIN = 'http://sealpost.test'
const PER_HOUR = 5
const PER_DAY = 8

describe.each(dialects)('sending links by email on %s', (dialect) => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>
  let server: TestServer
  let admin: Person
  let mallory: Person

  beforeEach(async () => {
    smtp = await startSmtpServer()
    ;({
      server,
      admin,
      members: [mallory],
    } = await startWithPeople(dialect, ['mallory'], {
      mailer: createMailer({ smtpUrl: smtp.url, from: 'Sealpost <sealpost@sealpost.test>' }),
      env: { SEALPOST_MAIL_PER_HOUR: String(PER_HOUR), SEALPOST_MAIL_PER_DAY: String(PER_DAY) },
    }))
  })
  afterEach(async () => {
    await server.close()
    await smtp.close()
  })

  function create() {
    return createLink(mallory.api, {
      origin: ORIGIN,
      account: mallory.account,
      text: 'hello',
      expiresAt: new Date(server.clock.now().getTime() + 24 * HOUR).toISOString(),
      maxViews: 1,
    })
  }

  /** POST /links/:id/email as mallory, with whatever body an attacker chooses. */
  function email(id: string, body: unknown, app = server.app) {
    return rawRequest(app, {
      method: 'POST',
      url: `/api/links/${id}/email`,
      body,
      cookie: mallory.api.session.cookie,
      csrf: mallory.api.session.csrfToken,
    })
  }

  it('mails only the link the server builds, never text the client put in the url', async () => {
    const { id, url } = await create()
    const secret = url.split('#')[1] ?? ''
    const phishing = [
      `${ORIGIN}/s/${id}#x re-enter your password at https://evil.example`,
      `${ORIGIN}/s/${id}#${secret}%20re-enter%20your%20password%20at%20https://evil.example`,
      `${ORIGIN}/s/${id}?then=https://evil.example#${secret}`,
      // Well-formed, but not this link's secret: the recipient would get a dead link.
      `${ORIGIN}/s/${id}#${toBase64Url(new Uint8Array(32).fill(7))}`,
    ]
    for (const bait of phishing) {
      const answer = await email(id, { to: ['victim@example.org'], url: bait })
      expect(answer.status).toBe(400)
      expect(answer.json().error?.code).toBe('invalid_input')
    }
    expect(smtp.received).toHaveLength(0)

    // The client's origin is not taken either: the link points at this server's public URL.
    const elsewhere = await email(id, {
      to: ['victim@example.org'],
      url: `https://evil.example/s/${id}#${secret}`,
    })
    expect(elsewhere.status).toBe(200)
    expect(smtp.received).toHaveLength(1)
    const mail = smtp.received[0]!
    expect(mail.text?.match(/https?:\/\/\S+/g)).toEqual([`${ORIGIN}/s/${id}#${secret}`])
    expect(String(mail.html).match(/https?:\/\/[^"<\s]+/g)).toEqual([`${ORIGIN}/s/${id}#${secret}`])
    expect(`${mail.subject} ${mail.text} ${String(mail.html)}`).not.toContain('evil.example')
  })

  it('refuses display names with control characters, and mails none from older rows', async () => {
    for (const displayName of ['Mal\r\nBcc: all@example.org', 'Mal\u202Egnp.exe', 'Mal\u0000']) {
      expect(
        await apiError(() =>
          admin.api.inviteUser({ username: 'eve', email: 'eve@example.org', displayName }),
        ),
      ).toMatchObject({ status: 400, code: 'invalid_input' })
    }
    // A name stored before the rule existed still reaches no email unfiltered.
    await server.db
      .updateTable('users')
      .set({ display_name: 'Mal\u202Egnp.exe\r\nre-enter your password' })
      .where('username', '=', 'mallory')
      .execute()
    const { id, url } = await create()
    await mallory.api.emailLink(id, { to: ['victim@example.org'], url })
    const mail = smtp.received[0]!
    const name = 'Mal gnp.exe re-enter your password'
    expect(mail.subject).toBe(`${name} shared a secure message with you`)
    expect(mail.text?.split('\n')[0]).toBe(
      `${name} sent you an end-to-end encrypted message with Sealpost.`,
    )
    expect(String(mail.html)).toContain(`<p>${name} sent you`)
    expect(`${mail.text} ${String(mail.html)}`).not.toContain('\u202E')
  })

  it('limits emails per member per hour and per day with 429 and Retry-After, across processes', async () => {
    const first = await create()
    expect(
      (await email(first.id, { to: ['a@example.org', 'b@example.org'], url: first.url })).status,
    ).toBe(200)
    // Deleting the link does not give the emails back.
    await mallory.api.deleteLink(first.id)
    const second = await create()
    const three = ['c@example.org', 'd@example.org', 'e@example.org']
    expect((await email(second.id, { to: three, url: second.url })).status).toBe(200)
    expect(smtp.received).toHaveLength(PER_HOUR)

    const overHour = await email(second.id, { to: ['f@example.org'], url: second.url })
    expect(overHour.status).toBe(429)
    expect(overHour.json().error?.code).toBe('rate_limited')
    const retryAfter = Number(overHour.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(HOUR / 1000 - 60)
    expect(retryAfter).toBeLessThanOrEqual(HOUR / 1000)

    // Another server process on the same database counts the same emails.
    const other = await buildApp({
      config: server.config,
      db: server.db,
      dialect,
      clock: server.clock,
      opaqueServerSetup: server.app.ctx.opaqueServerSetup,
      mailer: server.app.ctx.mailer,
    })
    try {
      expect(
        (await email(second.id, { to: ['f@example.org'], url: second.url }, other)).status,
      ).toBe(429)
    } finally {
      await other.close()
    }

    server.clock.advance(HOUR)
    // All or nothing: four would pass the hour but not the day.
    const four = ['g@example.org', 'h@example.org', 'i@example.org', 'j@example.org']
    const overDay = await email(second.id, { to: four, url: second.url })
    expect(overDay.status).toBe(429)
    expect(Number(overDay.headers['retry-after'])).toBeGreaterThan(22 * 3600)
    expect((await email(second.id, { to: four.slice(0, 3), url: second.url })).status).toBe(200)
    expect((await email(second.id, { to: ['k@example.org'], url: second.url })).status).toBe(429)
    expect(smtp.received).toHaveLength(PER_DAY)
  })

  it('holds the hourly limit against a burst of concurrent requests', async () => {
    const { id, url } = await create()
    const answers = await Promise.all(
      Array.from({ length: 3 * PER_HOUR }, (_, i) =>
        email(id, { to: [`burst${i}@example.org`], url }),
      ),
    )
    const statuses = answers.map((a) => a.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(PER_HOUR)
    expect(statuses.filter((s) => s === 429)).toHaveLength(2 * PER_HOUR)
    expect(smtp.received).toHaveLength(PER_HOUR)
  })
})
