import {
  addVaultMember,
  createLink,
  createSharedVault,
  LINK_MAX_PASSPHRASE_FAILURES,
  openLink,
  opaqueClient,
  opaqueReady,
  openVaults,
  revealLink,
} from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import { type Person, send } from '../../test-support/messages.js'
import { ORIGIN, visitor } from '../../test-support/requests.js'
import { sweep } from '../sweeper/sweeper.js'

const HOUR = 3_600_000
const FAST_ARGON2 = { memoryKiB: 8 * 1024, iterations: 1, parallelism: 1 }
/** Words that must never reach the audit log: subjects, bodies, file names, link text. */
const CANARY = 'canary-7f3a'

describe.each(dialects)('what the audit log records on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person
  let carol: Person
  const now = () => server.clock.now()
  beforeEach(async () => {
    ;({
      server,
      admin,
      members: [bob, carol],
    } = await startWithPeople(dialect, ['bob', 'carol']))
  })
  afterEach(async () => {
    await server.close()
  })

  /** The events after `seq`, oldest first, as action, actor, target and details. */
  async function eventsAfter(seq: number) {
    const { events } = await admin.api.listAudit({ limit: 500 })
    return events
      .filter((event) => event.seq > seq)
      .reverse()
      .map(({ action, actorUsername, targetId, details }) => ({
        action,
        actorUsername,
        targetId,
        details,
      }))
  }
  const headSeq = async () => (await admin.api.listAudit({ limit: 1 })).events[0]?.seq ?? 0

  /** The whole log as exported, to look for content in any column. */
  const exported = async () => (await admin.api.exportAudit({ format: 'ndjson' })).text()

  it('records a message sent, opened, closed, saved, removed, deleted and expired, without content', async () => {
    const start = await headSeq()
    const expiresAt = new Date(now().getTime() + 2 * HOUR).toISOString()
    const message = await send(
      bob,
      [admin, carol],
      {
        subject: `${CANARY} subject`,
        body: `${CANARY} body`,
        expiresAt,
        highPriority: true,
        files: [{ name: `${CANARY}.txt`, bytes: new Uint8Array(2000) }],
      },
      now,
    )
    await carol.api.recordReceipt(message.id, 'opened')
    await carol.api.recordReceipt(message.id, 'opened')
    await carol.api.markRead(message.id)
    await carol.api.markRead(message.id)
    await carol.api.recordReceipt(message.id, 'saved')
    await carol.api.deleteMessage(message.id)
    const other = await send(bob, [carol], { subject: CANARY }, now)
    await bob.api.deleteMessage(other.id)
    const expiring = await send(
      admin,
      [carol],
      { expiresAt: new Date(now().getTime() + HOUR).toISOString() },
      now,
    )
    server.clock.advance(HOUR)
    await sweep(server.app.ctx)

    const actor = (username: string | null, action: string, targetId: string) => ({
      action,
      actorUsername: username,
      targetId,
      details: null,
    })
    expect(await eventsAfter(start)).toEqual([
      {
        action: 'message.sent',
        actorUsername: 'bob',
        targetId: message.id,
        details: {
          recipients: 2,
          files: 1,
          vaultCopy: false,
          size: 'under 1 MiB',
          expiresAt,
          highPriority: true,
          reply: false,
        },
      },
      actor('carol', 'message.opened', message.id),
      actor('carol', 'message.closed', message.id),
      actor('carol', 'message.saved', message.id),
      actor('carol', 'message.removed', message.id),
      expect.objectContaining({ action: 'message.sent', targetId: other.id }),
      actor('bob', 'message.deleted', other.id),
      expect.objectContaining({ action: 'message.sent', targetId: expiring.id }),
      // The sweep's own doing: nobody's.
      actor(null, 'message.expired', expiring.id),
    ])
    expect(await exported()).not.toContain(CANARY)
    expect((await admin.api.verifyAudit()).ok).toBe(true)
  })

  it('records a link created, revealed, opened, destroyed and deleted, without content', async () => {
    const start = await headSeq()
    const expiresAt = new Date(now().getTime() + HOUR).toISOString()
    const link = (passphrase?: string) =>
      createLink(bob.api, {
        origin: ORIGIN,
        account: bob.account,
        subject: CANARY,
        text: `${CANARY} text`,
        expiresAt,
        maxViews: 2,
        argon2: FAST_ARGON2,
        ...(passphrase ? { passphrase } : {}),
      })
    const opened = await link()
    await revealLink(visitor(server, '192.0.2.7'), opened.url)
    await openLink(visitor(server, '192.0.2.7'), opened.url)
    const guarded = await link('right passphrase')
    for (let i = 0; i < LINK_MAX_PASSPHRASE_FAILURES; i++) {
      await apiError(() => openLink(visitor(server), guarded.url, 'wrong passphrase'))
    }
    const deleted = await link()
    await bob.api.deleteLink(deleted.id)

    const events = await eventsAfter(start)
    expect(events.map((e) => [e.action, e.actorUsername, e.targetId])).toEqual([
      ['link.created', 'bob', opened.id],
      ['link.revealed', null, opened.id],
      ['link.opened', null, opened.id],
      ['link.created', 'bob', guarded.id],
      // Revealed once a minute however often the page loads.
      ['link.revealed', null, guarded.id],
      ...Array.from({ length: LINK_MAX_PASSPHRASE_FAILURES }, () => [
        'link.wrong_passphrase',
        null,
        guarded.id,
      ]),
      ['link.destroyed', null, guarded.id],
      ['link.created', 'bob', deleted.id],
      ['link.deleted', 'bob', deleted.id],
    ])
    expect(events[0]?.details).toEqual({
      maxViews: 2,
      expiresAt,
      passphrase: false,
      files: 0,
      size: 'under 1 MiB',
    })
    expect(events[2]?.details).toEqual({ view: 1 })
    const { events: newest } = await admin.api.listAudit({ action: 'link.opened' })
    expect(newest[0]).toMatchObject({ ip: '192.0.2.7', actorId: null })
    expect(await exported()).not.toContain(CANARY)
  })

  it('records a vault shared and unshared with whom', async () => {
    const start = await headSeq()
    const me = { id: admin.session.user.id, x25519PublicKey: admin.session.keys.x25519PublicKey }
    const id = await createSharedVault(admin.api, me, CANARY)
    const vault = (await openVaults(admin.api, admin.account, admin.session.user)).find(
      (v) => v.id === id,
    )!
    const bobKey = { id: bob.session.user.id, x25519PublicKey: bob.session.keys.x25519PublicKey }
    await addVaultMember(admin.api, vault, bobKey, true)
    await admin.api.removeVaultMember(id, bob.session.user.id)
    expect(
      await apiError(() => admin.api.removeVaultMember(id, bob.session.user.id)),
    ).toMatchObject({ status: 404 })
    expect(await eventsAfter(start)).toEqual([
      {
        action: 'vault.shared',
        actorUsername: 'admin',
        targetId: id,
        details: { userId: bob.session.user.id, canWrite: true },
      },
      {
        action: 'vault.unshared',
        actorUsername: 'admin',
        targetId: id,
        details: { userId: bob.session.user.id },
      },
    ])
    expect(await exported()).not.toContain(CANARY)
  })

  it('records a password proof never finished as the account’s own failed proof, not a failed sign-in', async () => {
    await opaqueReady
    const start = await headSeq()
    // bob, signed in, starts proving his password again and never finishes (a wrong one).
    const { loginId } = await bob.api.reauthStart({
      startLoginRequest: opaqueClient.startLogin('wrong').startLoginRequest,
    })
    server.clock.advance(2 * 60_000)
    await sweep(server.app.ctx)
    expect(await eventsAfter(start)).toEqual([
      {
        action: 'account.password_proof_failed',
        actorUsername: 'bob',
        targetId: bob.session.user.id,
        details: { reason: 'not finished' },
      },
    ])

    // A proof's login cannot finish a sign-in: it is not a sign-in's to take.
    const proof = await bob.api.reauthStart({
      startLoginRequest: opaqueClient.startLogin('wrong').startLoginRequest,
    })
    expect(proof.loginId).not.toBe(loginId)
    const finished = await server.app.inject({
      method: 'POST',
      url: '/api/auth/login/finish',
      headers: { 'x-sealpost-csrf': '1' },
      payload: { loginId: proof.loginId, finishLoginRequest: 'AAAA' },
    })
    expect(finished.statusCode).toBe(401)
    // Untouched by the attempt, it still lapses as bob's own proof.
    server.clock.advance(2 * 60_000)
    await sweep(server.app.ctx)
    expect((await eventsAfter(start)).map((e) => e.action)).toEqual([
      'account.password_proof_failed',
      'account.password_proof_failed',
    ])
  })

  it('records each sign-in never finished as failed, where it came from, and a limit reached once', async () => {
    await opaqueReady
    const start = await headSeq()
    // A wrong password is noticed by the client, which then sends nothing more.
    const startOnly = (username: string) =>
      server.app.inject({
        method: 'POST',
        url: '/api/auth/login/start',
        remoteAddress: '192.0.2.9',
        headers: { 'x-sealpost-csrf': '1', 'user-agent': 'guesser/1' },
        payload: {
          username,
          startLoginRequest: opaqueClient.startLogin('wrong').startLoginRequest,
        },
      })
    expect((await startOnly('bob')).statusCode).toBe(200)
    expect((await startOnly('nobody')).statusCode).toBe(200)
    // Not yet lapsed: nothing to record.
    await sweep(server.app.ctx)
    expect(await eventsAfter(start)).toEqual([])
    server.clock.advance(2 * 60_000)
    await sweep(server.app.ctx)
    const failed = (username: string, targetId: string | null) => ({
      action: 'login.failed',
      actorUsername: null,
      targetId,
      details: { username, reason: 'not finished' },
    })
    expect(await eventsAfter(start)).toEqual([
      failed('bob', bob.session.user.id),
      failed('nobody', null),
    ])
    const { events } = await admin.api.listAudit({ action: 'login.failed', limit: 1 })
    expect(events[0]).toMatchObject({ ip: '192.0.2.9', userAgent: 'guesser/1' })

    // Finishing a sign-in after it lapsed, before any sweep, does not make its failure vanish.
    const started = (await startOnly('bob')).json<{ loginId: string }>()
    server.clock.advance(2 * 60_000)
    const late = await server.app.inject({
      method: 'POST',
      url: '/api/auth/login/finish',
      remoteAddress: '192.0.2.9',
      headers: { 'x-sealpost-csrf': '1' },
      payload: { loginId: started.loginId, finishLoginRequest: 'AAAA' },
    })
    expect(late.statusCode).toBe(401)
    await sweep(server.app.ctx)
    const after = await admin.api.listAudit({ action: 'login.failed', limit: 10 })
    expect(after.events).toHaveLength(3)

    // Ten guesses at bob from one address use up that limit: recorded once, not per refusal.
    const afterLapse = await headSeq()
    for (let i = 0; i < 12; i++) await startOnly('bob')
    expect(await eventsAfter(afterLapse)).toEqual([
      {
        action: 'login.locked',
        actorUsername: null,
        targetId: bob.session.user.id,
        details: { username: 'bob', limit: 'keyAndIp' },
      },
    ])
  })
})
