import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'
import { sweep } from '../sweeper/sweeper.js'
import { recordAuditEvent, verifyAuditChain } from './queries.js'

describe.each(dialects)('the audit log on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person
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

  const rows = () => server.db.selectFrom('audit_events').selectAll().orderBy('seq').execute()

  it('records who did what to whom, from where, and shows it to administrators only', async () => {
    const { events } = await admin.api.listAudit()
    // Newest first: bob accepted the invite the administrator sent after setting up.
    expect(events.map((event) => event.action)).toEqual([
      'invite.accepted',
      'user.invited',
      'setup',
    ])
    expect(events[1]).toMatchObject({
      actorUsername: 'admin',
      targetId: bob.session.user.id,
      ip: '127.0.0.1',
    })
    expect(events.map((event) => event.seq)).toEqual([3, 2, 1])
    expect(await apiError(() => bob.api.listAudit())).toMatchObject({ status: 403 })
    expect(await apiError(() => bob.api.verifyAudit())).toMatchObject({ status: 403 })
    expect(await apiError(() => bob.api.exportAudit({ format: 'ndjson' }))).toMatchObject({
      status: 403,
    })
  })

  it('holds a page to 500 events and refuses filters it cannot read', async () => {
    expect(await apiError(() => admin.api.listAudit({ limit: 501 }))).toMatchObject({
      status: 400,
      code: 'invalid_input',
    })
    expect((await admin.api.listAudit({ limit: 500 })).events).toHaveLength(3)
    expect(await apiError(() => admin.api.listAudit({ since: 'yesterday' }))).toMatchObject({
      status: 400,
    })
    expect(await apiError(() => admin.api.listAudit({ before: 0 }))).toMatchObject({ status: 400 })
  })

  it('filters by actor, action and time and pages by sequence number', async () => {
    for (let i = 0; i < 5; i++) {
      await recordAuditEvent(server.db, {
        actorId: bob.session.user.id,
        action: 'test.event',
        targetId: null,
        now: server.clock.now().getTime(),
      })
      server.clock.advance(60_000)
    }
    const first = await admin.api.listAudit({ actor: 'bob', action: 'test.event', limit: 2 })
    expect(first.events.map((event) => event.seq)).toEqual([8, 7])
    const second = await admin.api.listAudit({
      actor: 'bob',
      action: 'test.event',
      limit: 2,
      before: first.nextBefore ?? 0,
    })
    expect(second.events.map((event) => event.seq)).toEqual([6, 5])
    const last = await admin.api.listAudit({ actor: 'bob', action: 'test.event', before: 5 })
    expect(last).toEqual({ events: [expect.objectContaining({ seq: 4 })], nextBefore: null })
    const since = new Date(server.clock.now().getTime() - 2 * 60_000).toISOString()
    const recent = await admin.api.listAudit({ action: 'test.event', since })
    expect(recent.events.map((event) => event.seq)).toEqual([8, 7])
    expect((await admin.api.listAudit({ actor: 'nobody' })).events).toEqual([])
  })

  it('verifies an untouched chain and names the event whose column was changed', async () => {
    expect(await admin.api.verifyAudit()).toEqual({ ok: true, events: 3, broken: null })
    const columns = {
      actor_id: bob.session.user.id,
      action: 'login',
      target_id: null,
      created_at: 1,
      ip: '10.0.0.9',
      user_agent: 'forged',
      details: '{"recipients":1}',
      id: crypto.randomUUID(),
    } as const
    const [, second] = await rows()
    if (!second) throw new Error('no second event')
    for (const [column, value] of Object.entries(columns)) {
      await server.db
        .updateTable('audit_events')
        .set({ [column]: value })
        .where('seq', '=', 2)
        .execute()
      expect(await admin.api.verifyAudit(), column).toMatchObject({
        ok: false,
        broken: { seq: 2, reason: 'it was changed after it was recorded' },
      })
      await server.db
        .updateTable('audit_events')
        .set({ [column]: second[column as keyof typeof second] })
        .where('seq', '=', 2)
        .execute()
      expect((await admin.api.verifyAudit()).ok, `${column} restored`).toBe(true)
    }
  })

  it('notices a removed, a re-linked and a truncated event', async () => {
    const [first, second, third] = await rows()
    if (!first || !second || !third) throw new Error('three events expected')
    // Re-hashing one event by hand does not help: the next one still points at the old hash.
    await server.db
      .updateTable('audit_events')
      .set({ hash: 'f'.repeat(64) })
      .where('seq', '=', 1)
      .execute()
    expect(await verifyAuditChain(server.db)).toMatchObject({
      ok: false,
      broken: { seq: 1, reason: 'it was changed after it was recorded' },
    })
    await server.db
      .updateTable('audit_events')
      .set({ hash: first.hash })
      .where('seq', '=', 1)
      .execute()

    await server.db.deleteFrom('audit_events').where('seq', '=', 2).execute()
    expect(await verifyAuditChain(server.db)).toMatchObject({
      ok: false,
      broken: { seq: 2, id: null, reason: 'missing: the event was removed' },
    })
    await server.db.insertInto('audit_events').values(second).execute()

    await server.db.deleteFrom('audit_events').where('seq', '=', 3).execute()
    expect(await verifyAuditChain(server.db)).toMatchObject({
      ok: false,
      broken: { seq: 3, reason: 'missing: the newest events were removed' },
    })
  })

  it('keeps verifying after retention pruned the start of the chain', async () => {
    // A year and more later (every session has long ended, so the check runs directly).
    server.clock.advance(400 * 86_400_000)
    await recordAuditEvent(server.db, {
      actorId: admin.session.user.id,
      action: 'test.after',
      targetId: null,
      now: server.clock.now().getTime(),
    })
    await sweep(server.app.ctx)
    expect((await rows()).map((row) => row.seq)).toEqual([4])
    expect(await verifyAuditChain(server.db)).toEqual({ ok: true, events: 1, broken: null })
    await server.db
      .updateTable('audit_head')
      .set({ base_hash: '0'.repeat(64) })
      .execute()
    expect(await verifyAuditChain(server.db)).toMatchObject({ ok: false, broken: { seq: 4 } })
  })

  it('exports every matching event, oldest first, as NDJSON and as CSV', async () => {
    await recordAuditEvent(server.db, {
      actorId: bob.session.user.id,
      action: 'test.csv',
      targetId: null,
      now: server.clock.now().getTime(),
      client: { ip: '127.0.0.1', userAgent: '=HYPERLINK("x"), "quoted"' },
      details: { recipients: 3, size: 'under 1 MiB' },
    })
    const ndjson = await (await admin.api.exportAudit({ format: 'ndjson' })).text()
    const lines = ndjson
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { seq: number; details: unknown })
    expect(lines.map((line) => line.seq)).toEqual([1, 2, 3, 4])
    expect(lines.map((line) => line.details)).toEqual([
      null,
      null,
      null,
      { recipients: 3, size: 'under 1 MiB' },
    ])
    const response = await admin.api.exportAudit({ format: 'csv', actor: 'bob' })
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename=".*\.csv"/)
    const csv = (await response.text()).split('\r\n')
    expect(csv[0]).toBe(
      'seq,at,actorId,actorUsername,action,targetId,ip,userAgent,details,prevHash,hash',
    )
    expect(csv).toHaveLength(4)
    expect(csv[2]).toContain(
      ',bob,test.csv,,127.0.0.1,"\'=HYPERLINK(""x""), ""quoted""","{""recipients"":3,""size"":""under 1 MiB""}",',
    )
  })

  it('keeps one unbroken chain when many events are recorded at once', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        recordAuditEvent(server.db, {
          actorId: null,
          action: `test.concurrent.${i}`,
          targetId: null,
          now: server.clock.now().getTime(),
        }),
      ),
    )
    expect(await verifyAuditChain(server.db)).toEqual({ ok: true, events: 43, broken: null })
  })
})
