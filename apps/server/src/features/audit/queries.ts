import { AuditDetails, type AuditEvent, type AuditQuery, canonicalJson } from '@sealpost/core'
import type { Db } from '../../db/database.js'
import { parseJson } from '../../db/json.js'
import { enqueueWebhookDeliveries } from '../webhooks/queries.js'
import { eventHash } from './chain.js'

/** Where a request came from, as the audit log keeps it. */
export type AuditClient = { ip: string | null; userAgent: string | null }

export type NewAuditEvent = {
  actorId: string | null
  action: string
  targetId: string | null
  now: number
  client?: AuditClient
  /** Counts, sizes and settings; never content. */
  details?: AuditDetails
}

/**
 * Appends an event to the hash chain. Moving the head row first takes its lock, so concurrent
 * appends (in any process) take turns: each gets the next number and the hash of the event
 * before it. Inside a caller's transaction the event commits or rolls back with it.
 */
export async function recordAuditEvent(db: Db, event: NewAuditEvent): Promise<void> {
  await recordAuditEvents(db, [event])
}

/** Appends events in their order under one turn of the head's lock (a sweep's expiries). */
export async function recordAuditEvents(db: Db, events: NewAuditEvent[]): Promise<void> {
  if (events.length === 0) return
  const append = async (trx: Db) => {
    const head = await trx
      .updateTable('audit_head')
      .set((eb) => ({ seq: eb('seq', '+', events.length) }))
      .where('id', '=', 1)
      .returning(['seq', 'hash'])
      .executeTakeFirstOrThrow()
    let seq = head.seq - events.length
    let prevHash = head.hash
    const rows = events.map((event) => {
      seq += 1
      const fields = {
        seq,
        id: crypto.randomUUID(),
        createdAt: event.now,
        actorId: event.actorId,
        action: event.action,
        targetId: event.targetId,
        ip: event.client?.ip ?? null,
        userAgent: event.client?.userAgent?.slice(0, 500) ?? null,
        details: event.details === undefined ? null : canonicalJson(event.details),
        prevHash,
      }
      prevHash = eventHash(fields)
      return {
        seq: fields.seq,
        id: fields.id,
        created_at: fields.createdAt,
        actor_id: fields.actorId,
        action: fields.action,
        target_id: fields.targetId,
        ip: fields.ip,
        user_agent: fields.userAgent,
        details: fields.details,
        prev_hash: fields.prevHash,
        hash: prevHash,
      }
    })
    // Eleven columns a row: 500 rows stay far below either database's parameter limit.
    for (let start = 0; start < rows.length; start += 500) {
      await trx
        .insertInto('audit_events')
        .values(rows.slice(start, start + 500))
        .execute()
    }
    await trx.updateTable('audit_head').set({ hash: prevHash }).where('id', '=', 1).execute()
    // Queued with the events: a webhook is told of exactly the events that committed.
    await enqueueWebhookDeliveries(
      trx,
      rows.map((row, index) => ({
        id: row.id,
        seq: row.seq,
        action: row.action,
        actorId: row.actor_id,
        targetId: row.target_id,
        at: row.created_at,
        details: events[index]?.details,
      })),
    )
  }
  if (db.isTransaction) await append(db)
  else await db.transaction().execute(append)
}

function auditSelect(db: Db) {
  return db
    .selectFrom('audit_events')
    .leftJoin('users', 'users.id', 'audit_events.actor_id')
    .select([
      'audit_events.seq',
      'audit_events.id',
      'audit_events.created_at',
      'audit_events.actor_id',
      'users.username as actor_username',
      'audit_events.action',
      'audit_events.target_id',
      'audit_events.ip',
      'audit_events.user_agent',
      'audit_events.details',
      'audit_events.prev_hash',
      'audit_events.hash',
    ])
}

type AuditRow = Awaited<ReturnType<ReturnType<typeof auditSelect>['execute']>>[number]

function toEvent(row: AuditRow): AuditEvent {
  return {
    seq: row.seq,
    id: row.id,
    at: new Date(row.created_at).toISOString(),
    actorId: row.actor_id,
    actorUsername: row.actor_username,
    action: row.action,
    targetId: row.target_id,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details === null ? null : parseJson(AuditDetails, row.details),
    prevHash: row.prev_hash,
    hash: row.hash,
  }
}

type Filters = Omit<AuditQuery, 'before' | 'limit'>

function filtered(db: Db, filters: Filters) {
  let query = auditSelect(db)
  if (filters.actor !== undefined) query = query.where('users.username', '=', filters.actor)
  if (filters.action !== undefined) query = query.where('audit_events.action', '=', filters.action)
  if (filters.since !== undefined) {
    query = query.where('audit_events.created_at', '>=', Date.parse(filters.since))
  }
  if (filters.until !== undefined) {
    query = query.where('audit_events.created_at', '<', Date.parse(filters.until))
  }
  return query
}

/** One page, newest first; `before` is the sequence number to continue below. */
export async function listAuditEvents(
  db: Db,
  query: AuditQuery,
): Promise<{ events: AuditEvent[]; nextBefore: number | null }> {
  let select = filtered(db, query)
  if (query.before !== undefined) select = select.where('audit_events.seq', '<', query.before)
  const rows = await select
    .orderBy('audit_events.seq', 'desc')
    .limit(query.limit + 1)
    .execute()
  const page = rows.slice(0, query.limit).map(toEvent)
  const last = page.at(-1)
  return { events: page, nextBefore: rows.length > query.limit && last ? last.seq : null }
}

/** Every matching event, oldest first, read in batches so memory stays flat however many. */
export async function* streamAuditEvents(
  db: Db,
  filters: Filters,
  batch = 1000,
): AsyncGenerator<AuditEvent> {
  let after = 0
  for (;;) {
    const rows = await filtered(db, filters)
      .where('audit_events.seq', '>', after)
      .orderBy('audit_events.seq', 'asc')
      .limit(batch)
      .execute()
    for (const row of rows) yield toEvent(row)
    const last = rows.at(-1)
    if (!last || rows.length < batch) return
    after = last.seq
  }
}

export type ChainCheck = {
  ok: boolean
  events: number
  broken: { seq: number; id: string | null; reason: string } | null
}

/**
 * Walks the chain from its base (the start, or the last event retention removed) to the head:
 * numbers without gaps, each event's `prevHash` is the hash before it, each hash is that of
 * the event as stored, and the last hash is the head's. Names the first event that fails.
 */
export async function verifyAuditChain(db: Db, batch = 1000): Promise<ChainCheck> {
  const head = await db
    .selectFrom('audit_head')
    .select(['seq', 'hash', 'base_seq', 'base_hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow()
  let expectedSeq = head.base_seq + 1
  let prevHash = head.base_hash
  let events = 0
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq', 'asc')
      .limit(batch)
      .execute()
    for (const row of rows) {
      const fail = (reason: string): ChainCheck => ({
        ok: false,
        events,
        broken: { seq: row.seq, id: row.id, reason },
      })
      if (row.seq !== expectedSeq) {
        return {
          ok: false,
          events,
          broken: { seq: expectedSeq, id: null, reason: 'missing: the event was removed' },
        }
      }
      if (row.prev_hash !== prevHash) return fail('its previous hash does not match the chain')
      const hash = eventHash({
        seq: row.seq,
        id: row.id,
        createdAt: row.created_at,
        actorId: row.actor_id,
        action: row.action,
        targetId: row.target_id,
        ip: row.ip,
        userAgent: row.user_agent,
        details: row.details,
        prevHash: row.prev_hash,
      })
      if (hash !== row.hash) return fail('it was changed after it was recorded')
      prevHash = row.hash
      expectedSeq += 1
      events += 1
    }
    if (rows.length < batch) break
  }
  if (expectedSeq - 1 !== head.seq || prevHash !== head.hash) {
    return {
      ok: false,
      events,
      broken: { seq: expectedSeq, id: null, reason: 'missing: the newest events were removed' },
    }
  }
  return { ok: true, events, broken: null }
}

/**
 * Retention: removes events older than `cutoff` from the start of the chain and moves the
 * chain's base to the last one removed, so verification still works from there.
 */
export async function pruneAuditEvents(db: Db, cutoff: number): Promise<number> {
  const prune = async (trx: Db) => {
    const last = await trx
      .selectFrom('audit_events')
      .select(['seq', 'hash'])
      .where('created_at', '<', cutoff)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst()
    if (!last) return 0
    // Take the head's lock first, as appends do, so the base and the head move in turn.
    await trx
      .updateTable('audit_head')
      .set({ base_seq: last.seq, base_hash: last.hash })
      .where('id', '=', 1)
      .execute()
    const result = await trx.deleteFrom('audit_events').where('seq', '<=', last.seq).execute()
    return Number(result[0]?.numDeletedRows ?? 0)
  }
  return db.isTransaction ? prune(db) : db.transaction().execute(prune)
}
