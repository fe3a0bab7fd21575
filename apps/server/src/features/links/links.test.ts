import {
  type ApiClient,
  Base64Url,
  bytesSource,
  CHUNK_BYTES,
  createApiClient,
  createLink,
  deriveLinkKeys,
  fromBase64Url,
  openLink,
  openLinkLabel,
  parseLinkUrl,
  revealLink,
  toBase64Url,
  toHex,
} from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  apiError,
  inviteAndAccept,
  setupAdmin,
  startWithPeople,
} from '../../test-support/accounts.js'
import { expectKeptFromRest, traceLog } from '../../test-support/at-rest.js'
import {
  dialects,
  injectFetch,
  rawRequest,
  startTestServer,
  type TestServer,
} from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'
import { linkContentRows } from '../../test-support/rows.js'
import { startSmtpServer } from '@sealpost/test-support'
import { createMailer } from '../mail/mailer.js'
import { sweep } from '../sweeper/sweeper.js'

const HOUR = 3_600_000
/** Cheap Argon2 for most tests; one test uses the real 64 MiB / 3 passes. */
const FAST_ARGON2 = { memoryKiB: 8 * 1024, iterations: 1, parallelism: 1 }
const ORIGIN = 'http://sealpost.test'

function fileBytes(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = (i * 31 + 7) & 0xff
  return out
}

/** Someone without an account: a client with no cookie. */
function visitor(server: TestServer, remoteAddress?: string): ApiClient {
  return createApiClient({ baseUrl: ORIGIN, fetch: injectFetch(server.app, remoteAddress) })
}

describe.each(dialects)('shareable links on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person
  const inOneDay = () => new Date(server.clock.now().getTime() + 24 * HOUR).toISOString()

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

  function create(options: Partial<Parameters<typeof createLink>[1]> = {}) {
    return createLink(bob.api, {
      origin: ORIGIN,
      account: bob.account,
      text: 'the root password is hunter2',
      expiresAt: inOneDay(),
      maxViews: 1,
      argon2: FAST_ARGON2,
      ...options,
    })
  }

  it('lists a link without a label under its subject, and one without either untitled', async () => {
    const titled = await create({ subject: 'Wi-Fi for visitors' })
    const bare = await create({})
    const { links } = await bob.api.listLinks()
    const labelOf = async (id: string) => {
      const label = links.find((link) => link.id === id)?.label ?? null
      return label && openLinkLabel(bob.account.accountKey, id, label)
    }
    expect(await labelOf(titled.id)).toBe('Wi-Fi for visitors')
    expect(await labelOf(bare.id)).toBeNull()
  })

  it('opens a one-view link with a file and a passphrase once, then nothing of it remains', async () => {
    const file = fileBytes(CHUNK_BYTES + 99)
    const { id, url } = await create({
      subject: 'Router',
      files: [bytesSource('router.conf', 'text/plain', file)],
      passphrase: 'correct horse',
      argon2: undefined,
      label: 'for the contractor',
    })
    expect(url).toMatch(new RegExp(`^${ORIGIN}/s/${id}#[A-Za-z0-9_-]{43}$`))
    expect(await revealLink(visitor(server), url)).toEqual({ needsPassphrase: true, fileCount: 1 })
    expect((await bob.api.listLinks()).links[0]).toMatchObject({
      id,
      views: 0,
      maxViews: 1,
      hasPassphrase: true,
      fileCount: 1,
    })
    const label = (await bob.api.listLinks()).links[0]!.label
    expect(await openLinkLabel(bob.account.accountKey, id, label)).toBe('for the contractor')

    const opened = await openLink(visitor(server), url, 'correct horse')
    expect(opened).toMatchObject({
      subject: 'Router',
      text: 'the root password is hunter2',
      views: 1,
      maxViews: 1,
      deleted: true,
    })
    expect(opened.files[0]?.name).toBe('router.conf')
    expect(Buffer.from(opened.files[0]!.bytes).equals(Buffer.from(file))).toBe(true)
    expect(await linkContentRows(server.db, id)).toEqual({ sealed: 0, blobs: 0, chunks: 0 })
    expect(await apiError(() => openLink(visitor(server), url, 'correct horse'))).toMatchObject({
      status: 404,
      code: 'not_available',
    })
    expect((await bob.api.listLinks()).links).toEqual([])
  })

  // A page load spending no view is the Chromium journey's to prove: it needs the built web app.
  it('spends no view on a reveal, only on open', async () => {
    const { url } = await create({ maxViews: 2 })
    await revealLink(visitor(server), url)
    await revealLink(visitor(server), url)
    expect((await bob.api.listLinks()).links[0]?.views).toBe(0)
    const first = await openLink(visitor(server), url)
    expect(first).toMatchObject({ views: 1, deleted: false })
    expect((await bob.api.listLinks()).links[0]?.views).toBe(1)
    expect((await openLink(visitor(server), url)).deleted).toBe(true)
  })

  it('destroys a link after 10 wrong passphrases, counting them down to the visitor', async () => {
    const { id, url } = await create({ passphrase: 'the real one' })
    for (let i = 0; i < 10; i++) {
      await expect(
        openLink(visitor(server, `198.51.100.${i}`), url, `guess ${i}`),
      ).rejects.toMatchObject({ status: 403, code: 'wrong_passphrase', triesLeft: 9 - i })
    }
    expect(await linkContentRows(server.db, id)).toEqual({ sealed: 0, blobs: 0, chunks: 0 })
    expect(await apiError(() => openLink(visitor(server), url, 'the real one'))).toMatchObject({
      code: 'not_available',
    })
  })

  it('rate-limits guesses per link with 429, counting check, reveal and open alike', async () => {
    const { id } = await create()
    const routes = ['check', 'reveal', 'open'] as const
    const guess = (route: (typeof routes)[number], fill: number) =>
      rawRequest(server.app, {
        method: 'POST',
        url: `/api/public/links/${id}/${route}`,
        csrf: '1',
        body: { accessProof: toBase64Url(new Uint8Array(32).fill(fill)) },
      })
    // Ten wrong guesses on each route: together they use up the link's 30.
    for (let i = 0; i < 30; i++) {
      const res = await guess(routes[i % routes.length]!, i)
      expect(res.status, `guess ${i}`).toBe(404)
    }
    for (const route of routes) {
      const limited = await guess(route, 255)
      expect(limited.status, route).toBe(429)
      expect(limited.json().error?.message).toMatch(
        /^too many attempts to open links; try again in \d+ s$/,
      )
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    }
  })

  it('gives every link an unguessable 128-bit id that is not part of its secret', async () => {
    const a = await create()
    const b = await create()
    expect(a.id).not.toBe(b.id)
    for (const link of [a, b]) {
      const { secret } = parseLinkUrl(link.url)
      expect(Base64Url.parse(link.id)).toHaveLength(22)
      expect(toBase64Url(secret)).not.toContain(link.id.slice(0, 8))
      const stored = await server.db
        .selectFrom('links')
        .select(['access_verifier', 'payload'])
        .where('id', '=', link.id)
        .executeTakeFirstOrThrow()
      expect(JSON.stringify(stored)).not.toContain(toBase64Url(secret))
      expect(stored.access_verifier).not.toBe((await deriveLinkKeys(secret)).accessProof)
    }
  })

  it('enforces permissions, expiry limits and ownership', async () => {
    await admin.api.updateUser(bob.session.user.id, { canSendAttachments: false })
    expect(
      await apiError(() => create({ files: [bytesSource('a', 'text/plain', fileBytes(3))] })),
    ).toMatchObject({ status: 403, code: 'attachments_disabled' })
    await admin.api.updateUser(bob.session.user.id, { canCreateLinks: false })
    expect(await apiError(() => create())).toMatchObject({ status: 403, code: 'policy_forbids' })
    await admin.api.updateUser(bob.session.user.id, { canCreateLinks: true })
    const past = await apiError(() =>
      create({ expiresAt: new Date(server.clock.now().getTime() - 1).toISOString() }),
    )
    expect(past).toMatchObject({ status: 400 })
    const mine = await create()
    expect(await apiError(() => admin.api.deleteLink(mine.id))).toMatchObject({ status: 404 })
    expect((await admin.api.listLinks()).links).toEqual([])
    await bob.api.deleteLink(mine.id)
    expect(await linkContentRows(server.db, mine.id)).toEqual({ sealed: 0, blobs: 0, chunks: 0 })
  })

  it('sweeps expired links with their files', async () => {
    const { id } = await create({
      expiresAt: new Date(server.clock.now().getTime() + HOUR).toISOString(),
      files: [bytesSource('f', 'application/octet-stream', fileBytes(10))],
    })
    server.clock.advance(HOUR)
    expect((await sweep(server.app.ctx)).expiredLinks).toBe(1)
    expect(await linkContentRows(server.db, id)).toEqual({ sealed: 0, blobs: 0, chunks: 0 })
  })

  it('says email is off when no SMTP server is configured', async () => {
    const { id, url } = await create()
    expect(await bob.api.mailStatus()).toEqual({ enabled: false })
    expect(
      await apiError(() => bob.api.emailLink(id, { to: ['x@example.org'], url })),
    ).toMatchObject({ status: 409, code: 'mail_not_configured' })
  })
})

describe.each(dialects)('links by email on %s', (dialect) => {
  it('mails each address the link through real SMTP, escapes the HTML, and records failures', async () => {
    const smtp = await startSmtpServer({ rejectRecipients: ['gone@example.org'] })
    const { logger, lines } = traceLog()
    const server = await startTestServer(dialect, {
      mailer: createMailer({ smtpUrl: smtp.url, from: 'Sealpost <sealpost@sealpost.test>' }),
      logger,
    })
    try {
      const admin = await setupAdmin(server)
      const evil = '<img src=x onerror=alert(1)>'
      const mallory = await inviteAndAccept(server, admin.api, 'mal2')
      // A display name is user input that lands in the email.
      await server.db
        .updateTable('users')
        .set({ display_name: `Mal ${evil}` })
        .where('username', '=', 'mal2')
        .execute()
      const canary = `canary-${toHex(crypto.getRandomValues(new Uint8Array(10)))}`
      const { id, url } = await createLink(mallory.api, {
        origin: ORIGIN,
        account: mallory.account,
        text: canary,
        expiresAt: new Date(server.clock.now().getTime() + HOUR).toISOString(),
        maxViews: 1,
      })
      const sent = await mallory.api.emailLink(id, {
        to: ['friend@example.org', 'gone@example.org'],
        url,
      })
      expect(sent.results).toEqual([
        { to: 'friend@example.org', ok: true, error: null },
        {
          to: 'gone@example.org',
          ok: false,
          error: expect.stringMatching(/unavailable/) as string,
        },
      ])
      expect(smtp.received).toHaveLength(1)
      // The audit log counts the addresses and never names them.
      const { events } = await admin.api.listAudit({ action: 'link.emailed' })
      expect(events).toMatchObject([
        { actorUsername: 'mal2', targetId: id, details: { addresses: 2, sent: 1 } },
      ])
      expect(JSON.stringify(events)).not.toContain('example.org')
      const mail = smtp.received[0]!
      expect(mail.text).toContain(url)
      const html = String(mail.html)
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
      expect(html).not.toContain(evil)
      expect(html).toContain(`href="${url}"`)

      const listed = (await mallory.api.listLinks()).links[0]
      expect(listed?.emails.map((e) => [e.to, e.status])).toEqual([
        ['friend@example.org', 'sent'],
        ['gone@example.org', 'failed'],
      ])

      const opened = await openLink(visitor(server), mail.text?.match(/https?:\/\/\S+/)?.[0] ?? '')
      expect(opened.text).toBe(canary)

      // The server relayed the whole link (S22) and must have kept none of it.
      const secret = url.split('#')[1] ?? ''
      await expectKeptFromRest({
        server,
        dialect,
        lines,
        secrets: [
          ['link text', canary],
          ['link secret', secret],
          ['link secret bytes', parseLinkUrl(url).secret],
        ],
        inClear: 'ada@example.org',
        encoded: fromBase64Url(admin.session.keys.x25519PublicKey),
        inLog: `/api/links/${id}`,
      })
    } finally {
      await server.close()
      await smtp.close()
    }
  })
})
