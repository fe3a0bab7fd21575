import type { CreatedWebhook } from '@sealpost/core'
import {
  type ReceivedWebhook,
  startWebhookReceiver,
  verifyWebhook,
  type WebhookReceiver,
} from '@sealpost/test-support'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildApp } from '../../app.js'
import { openDatabase } from '../../db/database.js'
import { apiError, type Member, startWithPeople } from '../../test-support/accounts.js'
import { dialects, startTestServer, type TestServer } from '../../test-support/harness.js'
import { type Person, send } from '../../test-support/messages.js'
import { deliverDue, LEASE_MS } from './delivery.js'
import { claimDueDeliveries, recordAttempt } from './queries.js'

const HOUR = 3_600_000
const NOTHING = { succeeded: 0, retrying: 0, failed: 0 }

describe.each(dialects)('webhooks on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Member
  const receivers: WebhookReceiver[] = []
  const servers: TestServer[] = []

  beforeEach(async () => {
    ;({
      server,
      admin,
      members: [bob],
    } = await startWithPeople(dialect, ['bob']))
  })
  afterEach(async () => {
    await server.close()
    for (const other of servers.splice(0)) await other.close()
    for (const receiver of receivers.splice(0)) await receiver.close()
  })

  async function receiver(answer?: Parameters<typeof startWebhookReceiver>[0]) {
    const started = await startWebhookReceiver(answer)
    receivers.push(started)
    return started
  }

  const deliver = (on: TestServer = server) => deliverDue(on.app.ctx)
  const deliveries = async (webhookId: string) =>
    (await admin.api.webhookDeliveries(webhookId)).deliveries
  const header = (request: ReceivedWebhook | undefined, name: string) => request?.headers[name]

  it('signs each delivery so the receiver verifies it with the secret shown once', async () => {
    const endpoint = await receiver()
    const hook = await admin.api.createWebhook({
      url: endpoint.url,
      events: ['group.created'],
      description: 'SIEM',
    })
    expect(hook).toMatchObject({ events: ['group.created'], description: 'SIEM', enabled: true })
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/)
    const group = await admin.api.createGroup({ name: 'Ops' })

    expect(await deliver()).toEqual({ ...NOTHING, succeeded: 1 })
    expect(endpoint.received).toHaveLength(1)
    const first = endpoint.received[0]!
    expect(verifyWebhook(hook.secret, first)).toBe(true)
    // Any change to what was signed, or another secret, fails verification.
    expect(verifyWebhook(hook.secret, { ...first, body: `${first.body} ` })).toBe(false)
    const other = await admin.api.createWebhook({ url: endpoint.url })
    expect(verifyWebhook(other.secret, first)).toBe(false)

    const [delivery] = await deliveries(hook.id)
    expect(header(first, 'webhook-id')).toBe(delivery!.id)
    expect(header(first, 'webhook-timestamp')).toBe(
      String(Math.floor(server.clock.now().getTime() / 1000)),
    )
    const [event] = (await admin.api.listAudit({ action: 'group.created' })).events
    expect(first.json).toEqual({
      type: 'group.created',
      timestamp: event!.at,
      data: {
        id: event!.id,
        seq: event!.seq,
        action: 'group.created',
        actorId: admin.session.user.id,
        actorUsername: 'admin',
        targetId: group.id,
        at: event!.at,
      },
    })
    // Never the client's address or agent, and nothing but the event.
    expect(first.body).not.toMatch(/127\.0\.0\.1|userAgent|"ip"/)
    expect(delivery).toMatchObject({ type: 'group.created', status: 'succeeded', attempts: 1 })
    expect(delivery!.lastStatusCode).toBe(200)
    expect(delivery!.lastResponseMs).toBeGreaterThanOrEqual(0)
  })

  it('carries the audit event’s details, never the message’s content', async () => {
    const endpoint = await receiver()
    await admin.api.createWebhook({ url: endpoint.url, events: ['message.sent'] })
    await send(admin, [bob], { subject: 'canary subject', body: 'canary body' }, () =>
      server.clock.now(),
    )
    expect(await deliver()).toEqual({ ...NOTHING, succeeded: 1 })
    const [event] = (await admin.api.listAudit({ action: 'message.sent' })).events
    expect(event!.details).toBeTruthy()
    expect(endpoint.received[0]!.json.data).toMatchObject({
      id: event!.id,
      details: event!.details,
    })
    expect(endpoint.received[0]!.body).not.toContain('canary')
  })

  it('queues nothing without endpoints, and only what an endpoint subscribed to', async () => {
    const count = () =>
      server.db
        .selectFrom('webhook_deliveries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
        .then((row) => Number(row.n))
    await admin.api.createGroup({ name: 'Before' })
    expect(await count()).toBe(0)
    const endpoint = await receiver()
    const all = await admin.api.createWebhook({ url: endpoint.url, events: ['*'] })
    const groups = await admin.api.createWebhook({ url: endpoint.url, events: ['group.*'] })
    const invites = await admin.api.createWebhook({ url: endpoint.url, events: ['user.invited'] })
    expect(all.events).toEqual([])
    await admin.api.createGroup({ name: 'After' })
    await admin.api.inviteUser({ username: 'carol', email: 'carol@example.org' })
    await admin.api.updateWebhook(groups.id, { enabled: false })
    await admin.api.createGroup({ name: 'Disabled' })
    // Everything since it was created, its own creation included.
    const types = async (id: string) => (await deliveries(id)).map((d) => d.type).sort()
    expect(await types(all.id)).toEqual([
      'group.created',
      'group.created',
      'user.invited',
      'webhook.created',
      'webhook.created',
      'webhook.created',
      'webhook.updated',
    ])
    expect(await types(groups.id)).toEqual(['group.created'])
    expect(await types(invites.id)).toEqual(['user.invited'])
  })

  it('retries after a 500 with backoff, then succeeds with the same webhook-id', async () => {
    const endpoint = await receiver((_request, index) => (index === 0 ? 500 : 200))
    const hook = await admin.api.createWebhook({ url: endpoint.url, events: ['group.created'] })
    await admin.api.createGroup({ name: 'Ops' })

    expect(await deliver()).toEqual({ ...NOTHING, retrying: 1 })
    const [failed] = await deliveries(hook.id)
    expect(failed).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatusCode: 500,
      lastError: 'HTTP 500',
      nextAttemptAt: new Date(server.clock.now().getTime() + 30_000).toISOString(),
    })
    expect(await deliver()).toEqual(NOTHING)
    server.clock.advance(29_999)
    expect(await deliver()).toEqual(NOTHING)
    server.clock.advance(1)
    expect(await deliver()).toEqual({ ...NOTHING, succeeded: 1 })

    expect(endpoint.received).toHaveLength(2)
    expect(header(endpoint.received[1], 'webhook-id')).toBe(
      header(endpoint.received[0], 'webhook-id'),
    )
    expect(verifyWebhook(hook.secret, endpoint.received[1]!)).toBe(true)
    expect((await deliveries(hook.id))[0]).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
    })
  })

  it('backs off exponentially up to an hour and gives up after 24 hours', async () => {
    const at: number[] = []
    const endpoint = await receiver(() => {
      at.push(server.clock.now().getTime())
      return 503
    })
    const hook = await admin.api.createWebhook({ url: endpoint.url, events: ['group.created'] })
    await admin.api.createGroup({ name: 'Ops' })
    const queuedAt = server.clock.now().getTime()
    for (;;) {
      await deliver()
      const [delivery] = await deliveries(hook.id)
      if (delivery!.status !== 'pending') break
      server.clock.advance(Date.parse(delivery!.nextAttemptAt!) - server.clock.now().getTime())
    }
    const gaps = at.slice(1).map((time, i) => (time - at[i]!) / 1000)
    expect(gaps.slice(0, 8)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600])
    expect(new Set(gaps.slice(7))).toEqual(new Set([3600]))
    expect(at.at(-1)! - queuedAt).toBeLessThanOrEqual(24 * HOUR)
    expect(at.at(-1)! + 3600_000 - queuedAt).toBeGreaterThan(24 * HOUR)
    expect((await deliveries(hook.id))[0]).toMatchObject({
      status: 'failed',
      attempts: at.length,
      lastStatusCode: 503,
      nextAttemptAt: null,
    })
    server.clock.advance(2 * HOUR)
    expect(await deliver()).toEqual(NOTHING)
  })

  it('gives up on an attempt without an answer within the timeout, and retries it', async () => {
    let answer: (status: number) => void = () => {}
    const endpoint = await receiver(() => new Promise<number>((resolve) => (answer = resolve)))
    const hook = await admin.api.createWebhook({ url: endpoint.url, events: ['group.created'] })
    await admin.api.createGroup({ name: 'Ops' })
    try {
      expect(await deliverDue(server.app.ctx, { timeoutMs: 200 })).toEqual({
        ...NOTHING,
        retrying: 1,
      })
    } finally {
      answer(200)
    }
    expect((await deliveries(hook.id))[0]).toMatchObject({
      status: 'pending',
      lastStatusCode: null,
      lastError: 'no answer within 200 ms',
    })
    expect((await deliveries(hook.id))[0]!.lastResponseMs).toBeGreaterThanOrEqual(200)
  })

  it('follows no redirect', async () => {
    const elsewhere = await receiver()
    const endpoint = await startWebhookReceiver(() => 302)
    receivers.push(endpoint)
    const hook = await admin.api.createWebhook({ url: endpoint.url, events: ['group.created'] })
    await admin.api.createGroup({ name: 'Ops' })
    expect(await deliver()).toEqual({ ...NOTHING, retrying: 1 })
    expect(elsewhere.received).toHaveLength(0)
    expect((await deliveries(hook.id))[0]).toMatchObject({
      lastStatusCode: 302,
      lastError: 'HTTP 302 (redirects are not followed)',
    })
  })

  it('is delivered once while another process runs its worker at the same time', async () => {
    // Another server process on the same database: its own connections, its own worker.
    const { db } = openDatabase({ databaseUrl: server.config.databaseUrl, dataDir: server.dataDir })
    const other = await buildApp({
      config: server.config,
      db,
      dialect,
      clock: server.clock,
      opaqueServerSetup: server.app.ctx.opaqueServerSetup,
    })
    try {
      let otherResult: unknown
      // While this process's first attempt waits for its answer, the other one delivers.
      const endpoint = await receiver(async (_request, index) => {
        if (index === 0) otherResult = await deliverDue(other.ctx)
        return 200
      })
      await admin.api.createWebhook({ url: endpoint.url, events: ['group.created'] })
      for (const name of ['One', 'Two', 'Three']) await admin.api.createGroup({ name })
      expect(await deliver()).toEqual({ ...NOTHING, succeeded: 3 })
      expect(otherResult).toEqual(NOTHING)
      const ids = endpoint.received.map((request) => header(request, 'webhook-id'))
      expect(ids).toHaveLength(3)
      expect(new Set(ids).size).toBe(3)
      expect(await deliverDue(other.ctx)).toEqual(NOTHING)
    } finally {
      await other.close()
      await db.destroy()
    }
  })

  it.runIf(dialect === 'postgres')(
    'skips deliveries another process is claiming instead of waiting for them',
    async () => {
      const endpoint = await receiver()
      await admin.api.createWebhook({ url: endpoint.url, events: ['group.created'] })
      await admin.api.createGroup({ name: 'Ops' })
      let release: () => void = () => {}
      const held = new Promise<void>((resolve) => (release = resolve))
      let locked: () => void = () => {}
      const lockTaken = new Promise<void>((resolve) => (locked = resolve))
      // Another process in the middle of its claim: it holds the rows' locks.
      const claiming = server.db.transaction().execute(async (trx) => {
        await sql`select id from webhook_deliveries for update`.execute(trx)
        locked()
        await held
      })
      await lockTaken
      // Released in any case, so a failed expectation cannot leave the transaction open.
      const skipped = await deliver().finally(release)
      expect(skipped).toEqual(NOTHING)
      await claiming
      expect(await deliver()).toEqual({ ...NOTHING, succeeded: 1 })
      expect(endpoint.received).toHaveLength(1)
    },
  )

  it('survives a restart while queued, and a process that died during its attempt', async () => {
    const endpoint = await receiver()
    await admin.api.createWebhook({ url: endpoint.url, events: ['group.created'] })
    await admin.api.createGroup({ name: 'Queued' })
    await admin.api.createGroup({ name: 'Claimed' })
    // The process claims one delivery and dies before sending it.
    const [claimed] = await claimDueDeliveries(server.db, dialect, {
      now: server.clock.now().getTime(),
      leaseMs: LEASE_MS,
      limit: 1,
    })
    const snapshot = await server.keep()
    server = await startTestServer(dialect, { from: snapshot })

    expect(await deliver()).toEqual({ ...NOTHING, succeeded: 1 })
    expect(endpoint.received.map((r) => header(r, 'webhook-id'))).not.toContain(claimed!.id)
    server.clock.advance(LEASE_MS - 1)
    expect(await deliver()).toEqual(NOTHING)
    server.clock.advance(1)
    expect(await deliver()).toEqual({ ...NOTHING, succeeded: 1 })
    expect(endpoint.received.map((r) => r.json.type)).toEqual(['group.created', 'group.created'])
    expect(header(endpoint.received[1], 'webhook-id')).toBe(claimed!.id)
  })

  it('ignores the late outcome of an attempt whose lease ran out', async () => {
    const endpoint = await receiver()
    const hook = await admin.api.createWebhook({ url: endpoint.url, events: ['group.created'] })
    await admin.api.createGroup({ name: 'Ops' })
    const now = () => server.clock.now().getTime()
    const options = { now: now(), leaseMs: LEASE_MS, limit: 10 }
    const [slow] = await claimDueDeliveries(server.db, dialect, options)
    server.clock.advance(LEASE_MS)
    expect(await deliver()).toEqual({ ...NOTHING, succeeded: 1 })
    const late = { ok: false, statusCode: 500, responseMs: 61_000, error: 'HTTP 500' }
    expect(await recordAttempt(server.db, slow!, late, now())).toBe('stale')
    expect((await deliveries(hook.id))[0]).toMatchObject({ status: 'succeeded', attempts: 2 })
  })

  it('holds the deliveries of a disabled endpoint until it is enabled again', async () => {
    const endpoint = await receiver()
    const hook = await admin.api.createWebhook({ url: endpoint.url, events: ['group.created'] })
    await admin.api.createGroup({ name: 'Ops' })
    await admin.api.updateWebhook(hook.id, { enabled: false })
    expect(await deliver()).toEqual(NOTHING)
    expect(endpoint.received).toHaveLength(0)
    await admin.api.updateWebhook(hook.id, { enabled: true })
    expect(await deliver()).toEqual({ ...NOTHING, succeeded: 1 })
    expect(endpoint.received).toHaveLength(1)
  })

  it('sends a test event to that endpoint only, and redelivers with the same id', async () => {
    const endpoint = await receiver()
    const elsewhere = await receiver()
    const hook = await admin.api.createWebhook({ url: endpoint.url, events: ['message.sent'] })
    await admin.api.createWebhook({ url: elsewhere.url })
    const queued = await admin.api.testWebhook(hook.id)
    expect(queued).toMatchObject({ type: 'webhook.test', status: 'pending', attempts: 0 })
    await deliver()
    expect(endpoint.received).toHaveLength(1)
    expect(elsewhere.received.map((r) => r.json.type)).toEqual(['webhook.created'])
    expect(endpoint.received[0]!.json).toMatchObject({
      type: 'webhook.test',
      data: { action: 'webhook.test', actorUsername: 'admin', targetId: hook.id, seq: null },
    })
    expect(verifyWebhook(hook.secret, endpoint.received[0]!)).toBe(true)

    const again = await admin.api.redeliverWebhook(hook.id, queued.id)
    expect(again).toMatchObject({ id: queued.id, status: 'pending', attempts: 0 })
    expect(await deliver()).toEqual({ ...NOTHING, succeeded: 1 })
    expect(endpoint.received).toHaveLength(2)
    expect(header(endpoint.received[1], 'webhook-id')).toBe(queued.id)
    expect(endpoint.received[1]!.body).toBe(endpoint.received[0]!.body)

    const unknown = crypto.randomUUID()
    expect(await apiError(() => admin.api.redeliverWebhook(hook.id, unknown))).toMatchObject({
      status: 404,
    })
    await admin.api.updateWebhook(hook.id, { enabled: false })
    expect(await apiError(() => admin.api.testWebhook(hook.id))).toMatchObject({
      status: 409,
      code: 'webhook_disabled',
    })
  })

  it('refuses link-local and metadata addresses, and other schemes, at registration', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/hook',
      'http://100.100.100.200/',
      'http://[fd00:ec2::254]/',
      'http://0.0.0.0:8080/',
      'http://[::ffff:169.254.169.254]/',
      'http://[::169.254.169.254]/',
      'http://[64:ff9b:1::a9fe:a9fe]/',
      'http://[2002:a9fe:a9fe::1]/',
      'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
      'http://2852039166/',
    ]) {
      expect(await apiError(() => admin.api.createWebhook({ url })), url).toMatchObject({
        status: 400,
        code: 'invalid_input',
        message: expect.stringMatching(/link-local or metadata address/) as string,
      })
    }
    for (const url of ['ftp://example.org/', 'file:///etc/passwd', 'http://user:pw@example.org/']) {
      expect(await apiError(() => admin.api.createWebhook({ url })), url).toMatchObject({
        status: 400,
      })
    }
    const hook = await admin.api.createWebhook({ url: 'http://127.0.0.1:9/hook' })
    expect(
      await apiError(() => admin.api.updateWebhook(hook.id, { url: 'http://169.254.169.254/' })),
    ).toMatchObject({ status: 400 })
    expect(await server.db.selectFrom('webhooks').select('url').execute()).toEqual([
      { url: 'http://127.0.0.1:9/hook' },
    ])
  })

  it('refuses private addresses when SEALPOST_WEBHOOKS_ALLOW_PRIVATE is false, at registration and delivery', async () => {
    const endpoint = await receiver()
    // Registered while private addresses were allowed…
    const hook = await admin.api.createWebhook({ url: endpoint.url, events: ['group.created'] })
    await admin.api.createGroup({ name: 'Ops' })
    const snapshot = await server.keep()
    // …and delivered after a restart that denies them.
    server = await startTestServer(dialect, {
      from: snapshot,
      env: { SEALPOST_WEBHOOKS_ALLOW_PRIVATE: 'false' },
    })
    const api = server.client({ session: admin.api.session })
    expect(await deliver()).toEqual({ ...NOTHING, retrying: 1 })
    expect(endpoint.received).toHaveLength(0)
    const [refused] = (await api.webhookDeliveries(hook.id)).deliveries
    expect(refused).toMatchObject({ status: 'pending', lastStatusCode: null })
    expect(refused!.lastError).toMatch(/^refused: 127\.0\.0\.1 is a private address/)

    for (const url of [
      endpoint.url,
      'http://10.0.0.1/',
      'http://192.168.1.10/',
      'http://172.16.0.1/',
      'http://[::1]/',
      'http://[fd12::1]/',
      // A name is checked on the addresses it resolves to.
      'http://localhost/',
    ]) {
      expect(await apiError(() => api.createWebhook({ url })), url).toMatchObject({
        status: 400,
        message: expect.stringMatching(/private address/) as string,
      })
    }
  })

  it('is for administrators only, and never shows the secret again', async () => {
    const endpoint = await receiver()
    const hook: CreatedWebhook = await admin.api.createWebhook({ url: endpoint.url })
    const id = hook.id
    const attempts: [string, () => Promise<unknown>][] = [
      ['list', () => bob.api.listWebhooks()],
      ['create', () => bob.api.createWebhook({ url: endpoint.url })],
      ['update', () => bob.api.updateWebhook(id, { enabled: false })],
      ['delete', () => bob.api.deleteWebhook(id)],
      ['deliveries', () => bob.api.webhookDeliveries(id)],
      ['test', () => bob.api.testWebhook(id)],
      ['redeliver', () => bob.api.redeliverWebhook(id, crypto.randomUUID())],
    ]
    for (const [what, attempt] of attempts) {
      expect(await apiError(attempt), what).toMatchObject({ status: 403, code: 'admin_only' })
    }
    expect((await admin.api.listWebhooks()).webhooks).toEqual([
      expect.objectContaining({ id, url: endpoint.url, enabled: true }),
    ])

    const listed = await server.app.inject({
      method: 'GET',
      url: '/api/admin/webhooks',
      headers: { cookie: admin.api.session.cookie ?? '' },
    })
    expect(listed.statusCode).toBe(200)
    expect(listed.body).not.toContain(hook.secret.slice('whsec_'.length))
    expect(listed.body).not.toContain('secret')
    const updated = await admin.api.updateWebhook(id, { description: 'changed' })
    expect(JSON.stringify(updated)).not.toContain('secret')
  })

  it('audits each change and deletes an endpoint with its deliveries', async () => {
    const endpoint = await receiver()
    const hook = await admin.api.createWebhook({ url: endpoint.url })
    const updated = await admin.api.updateWebhook(hook.id, {
      events: ['message.sent', 'link.opened', 'message.sent'],
      description: 'Chat',
      enabled: false,
    })
    expect(updated).toMatchObject({
      events: ['message.sent', 'link.opened'],
      description: 'Chat',
      enabled: false,
    })
    await admin.api.deleteWebhook(hook.id)
    const { events } = await admin.api.listAudit({})
    expect(
      events.filter((e) => e.action.startsWith('webhook.')).map((e) => [e.action, e.targetId]),
    ).toEqual([
      ['webhook.deleted', hook.id],
      ['webhook.updated', hook.id],
      ['webhook.created', hook.id],
    ])
    expect(await server.db.selectFrom('webhook_deliveries').select('id').execute()).toEqual([])
    expect(await apiError(() => admin.api.deleteWebhook(hook.id))).toMatchObject({ status: 404 })
    expect(await apiError(() => admin.api.webhookDeliveries(hook.id))).toMatchObject({
      status: 404,
    })
    expect(
      await apiError(() => admin.api.createWebhook({ url: endpoint.url, events: ['Bad Event'] })),
    ).toMatchObject({ status: 400 })
  })
})
