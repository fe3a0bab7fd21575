import { LinkPassphrase, type LinkSummary, SealedEnvelope } from '@sealpost/core'
import { sql } from 'kysely'
import type { z } from 'zod'
import { parseJson } from '../../db/json.js'
import type { Db } from '../../db/database.js'
import {
  type AuditClient,
  type NewAuditEvent,
  recordAuditEvent,
  recordAuditEvents,
} from '../audit/queries.js'
import type { LinkEndReason, LinksTable } from '../../db/schema.js'

const REVEALED_EVERY_MS = 60_000

export type StoredPassphrase = z.infer<typeof LinkPassphrase>

export async function findLinkForOwner(db: Db, id: string) {
  return db
    .selectFrom('links')
    .select(['id', 'owner_id', 'payload', 'ended_at'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function insertLink(
  trx: Db,
  link: Omit<
    LinksTable,
    | 'views'
    | 'failed_passphrases'
    | 'readers'
    | 'read_until'
    | 'ended_at'
    | 'end_reason'
    | 'has_passphrase'
  >,
): Promise<void> {
  await trx
    .insertInto('links')
    .values({
      ...link,
      views: 0,
      failed_passphrases: 0,
      readers: 0,
      read_until: 0,
      ended_at: null,
      end_reason: null,
      has_passphrase: link.passphrase === null ? 0 : 1,
    })
    .execute()
}

/** A link that can still be opened: not expired and not used up. */
export async function findOpenableLink(db: Db, id: string, now: number) {
  const row = await db
    .selectFrom('links')
    .select([
      'id',
      'access_verifier',
      'passphrase',
      'payload',
      'expires_at',
      'max_views',
      'views',
      'failed_passphrases',
      'file_count',
      'owner_id',
      'created_at',
      'notify_on_open',
    ])
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  if (!row || row.views >= row.max_views) return undefined
  return {
    ...row,
    passphrase: row.passphrase ? parseJson(LinkPassphrase, row.passphrase) : null,
  }
}

/** Counts a wrong passphrase; returns the new count. */
export async function countWrongPassphrase(trx: Db, id: string): Promise<number> {
  await trx
    .updateTable('links')
    .set((eb) => ({ failed_passphrases: eb('failed_passphrases', '+', 1) }))
    .where('id', '=', id)
    .execute()
  const row = await trx
    .selectFrom('links')
    .select('failed_passphrases')
    .where('id', '=', id)
    .executeTakeFirst()
  return row?.failed_passphrases ?? 0
}

/**
 * Spends one view if one is left, in one statement, so concurrent opens can never both take
 * the last one; answers the views as they are now (undefined when none was left). The open
 * also becomes a reader of the files until `finishRead`, and a used-up link is kept for its
 * readers until `readUntil` at the latest.
 */
export async function spendView(
  trx: Db,
  id: string,
  now: number,
  readUntil: number,
): Promise<{ views: number; max_views: number } | undefined> {
  return trx
    .updateTable('links')
    .set((eb) => ({
      views: eb('views', '+', 1),
      readers: eb('readers', '+', 1),
      read_until: readUntil,
    }))
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .whereRef('views', '<', 'max_views')
    .returning(['views', 'max_views'])
    .executeTakeFirst()
}

/**
 * Ends one reader. The last reader of a used-up link deletes it with its files in the same
 * transaction; the row lock of the UPDATE makes exactly one of several finishing readers see 0.
 */
export async function finishRead(trx: Db, id: string, now: number): Promise<void> {
  const row = await trx
    .updateTable('links')
    .set((eb) => ({ readers: eb('readers', '-', 1) }))
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .returning(['readers', 'views', 'max_views'])
    .executeTakeFirst()
  if (row && row.readers <= 0 && row.views >= row.max_views) {
    await endLinks(trx, [id], 'used_up', now)
  }
}

export async function linkFiles(db: Db, linkId: string) {
  return db
    .selectFrom('blobs')
    .select(['id as blobId', 'size', 'chunk_count as chunkCount'])
    .where('link_id', '=', linkId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/** The sealed chunks `from` ≤ idx < `to` of a blob, in order; fewer when some are gone. */
export async function blobChunkRange(
  db: Db,
  blobId: string,
  from: number,
  to: number,
): Promise<Array<{ idx: number; bytes: Uint8Array }>> {
  return db
    .selectFrom('blob_chunks')
    .select(['idx', 'bytes'])
    .where('blob_id', '=', blobId)
    .where('idx', '>=', from)
    .where('idx', '<', to)
    .orderBy('idx')
    .execute()
}

/**
 * Ends links that have not ended: their content goes (payload, passphrase verifier, files and
 * chunks), their row stays for the owner's history with when and why. Every way but using it
 * up is also an event of its history (the last `opened` tells that one).
 */
export async function endLinks(
  trx: Db,
  ids: string[],
  reason: LinkEndReason,
  now: number,
  by: Pick<NewAuditEvent, 'actorId' | 'client'> = { actorId: null },
): Promise<void> {
  if (ids.length === 0) return
  const ended = await trx
    .updateTable('links')
    .set({ ended_at: now, end_reason: reason, payload: '', passphrase: null, readers: 0 })
    .where('id', 'in', ids)
    .where('ended_at', 'is', null)
    .returning('id')
    .execute()
  const endedIds = ended.map((row) => row.id)
  if (endedIds.length === 0) return
  await recordAuditEvents(
    trx,
    endedIds.map((id) => ({ ...by, action: `link.${reason}`, targetId: id, now })),
  )
  const blobIds = trx.selectFrom('blobs').select('id').where('link_id', 'in', endedIds)
  await trx.deleteFrom('blob_chunks').where('blob_id', 'in', blobIds).execute()
  await trx.deleteFrom('blobs').where('link_id', 'in', endedIds).execute()
  if (reason !== 'used_up') {
    await trx
      .insertInto('link_events')
      .values(
        endedIds.map((linkId) => ({
          id: crypto.randomUUID(),
          link_id: linkId,
          seq: nextSeq(linkId),
          event: reason,
          at: now,
          view: null,
        })),
      )
      .execute()
  }
}

/** Removes links, ended or not, with everything kept about them (files, emails, history). */
export async function forgetLinks(trx: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return
  const blobIds = trx.selectFrom('blobs').select('id').where('link_id', 'in', ids)
  await trx.deleteFrom('blob_chunks').where('blob_id', 'in', blobIds).execute()
  await trx.deleteFrom('blobs').where('link_id', 'in', ids).execute()
  await trx.deleteFrom('link_emails').where('link_id', 'in', ids).execute()
  await trx.deleteFrom('link_events').where('link_id', 'in', ids).execute()
  await trx.deleteFrom('links').where('id', 'in', ids).execute()
}

/** One thing that happened to a link, for its owner's history. */
export async function recordLinkEvent(
  db: Db,
  linkId: string,
  event: 'revealed' | 'opened' | 'wrong_passphrase',
  at: number,
  visitor: AuditClient,
  view: number | null = null,
): Promise<void> {
  // Anyone holding the link can load its page again and again: one `revealed` a minute is
  // history enough, and keeps that from filling the database (views and wrong passphrases
  // are bounded by the link itself).
  if (event === 'revealed') {
    const recent = await db
      .selectFrom('link_events')
      .select('id')
      .where('link_id', '=', linkId)
      .where('event', '=', 'revealed')
      .where('at', '>', at - REVEALED_EVERY_MS)
      .executeTakeFirst()
    if (recent) return
  }
  await db
    .insertInto('link_events')
    .values({ id: crypto.randomUUID(), link_id: linkId, seq: nextSeq(linkId), event, at, view })
    .execute()
  // A visitor has no account: the log knows them by address and user agent alone.
  await recordAuditEvent(db, {
    actorId: null,
    action: `link.${event}`,
    targetId: linkId,
    now: at,
    client: visitor,
    ...(view === null ? {} : { details: { view } }),
  })
}

/**
 * The next position in a link's history. Opens and wrong passphrases update the link's row
 * first in the same transaction, so on PostgreSQL they take turns; two reveals racing may
 * share a number, which only leaves their mutual order open.
 */
function nextSeq(linkId: string) {
  return sql<number>`(SELECT COALESCE(MAX(seq), 0) + 1 FROM link_events WHERE link_id = ${linkId})`
}

/**
 * Links to end now: expired ones, and used-up ones whose readers are long gone (their process
 * died mid-read), each with its reason.
 */
export async function linksToEnd(
  trx: Db,
  now: number,
): Promise<{ expired: string[]; usedUp: string[] }> {
  const rows = await trx
    .selectFrom('links')
    .select(['id', 'views', 'max_views'])
    .where('ended_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('expires_at', '<=', now),
        eb.and([eb('views', '>=', eb.ref('max_views')), eb('read_until', '<=', now)]),
      ]),
    )
    .limit(5000)
    .execute()
  const usedUp = rows.filter((r) => r.views >= r.max_views).map((r) => r.id)
  const expired = rows.filter((r) => r.views < r.max_views).map((r) => r.id)
  return { expired, usedUp }
}

/** Ended links older than the retention, to forget. */
export async function endedLinkIdsBefore(trx: Db, before: number): Promise<string[]> {
  const rows = await trx
    .selectFrom('links')
    .select('id')
    .where('ended_at', '<', before)
    .limit(5000)
    .execute()
  return rows.map((r) => r.id)
}

const SUMMARY_COLUMNS = [
  'id',
  'created_at',
  'expires_at',
  'max_views',
  'views',
  'has_passphrase',
  'file_count',
  'size_bytes',
  'label',
  'ended_at',
  'end_reason',
  'notify_on_open',
] as const

/**
 * My links, newest first: those that can still be opened, or with `all` also those that ended
 * (kept without content for the history).
 */
export async function listOwnLinks(
  db: Db,
  ownerId: string,
  now: number,
  options: { all: boolean } = { all: false },
): Promise<LinkSummary[]> {
  let query = db.selectFrom('links').select(SUMMARY_COLUMNS).where('owner_id', '=', ownerId)
  if (!options.all) {
    query = query
      .where('ended_at', 'is', null)
      .where('expires_at', '>', now)
      .whereRef('views', '<', 'max_views')
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(500).execute()
  return summaries(db, rows, now)
}

/** One of the owner's links, ended or not, with its history oldest first. */
export async function findOwnLink(db: Db, ownerId: string, id: string, now: number) {
  const row = await db
    .selectFrom('links')
    .select(SUMMARY_COLUMNS)
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst()
  if (!row) return undefined
  const [link] = await summaries(db, [row], now)
  const events = await db
    .selectFrom('link_events')
    .select(['event', 'at', 'view'])
    .where('link_id', '=', id)
    .orderBy('seq')
    .execute()
  const history = events.map((e) => ({
    event: e.event,
    at: new Date(e.at).toISOString(),
    view: e.view,
  }))
  return link && { link, history }
}

type SummaryRow = Pick<LinksTable, (typeof SUMMARY_COLUMNS)[number]>

async function summaries(db: Db, rows: SummaryRow[], now: number): Promise<LinkSummary[]> {
  const ids = rows.map((r) => r.id)
  const emails = ids.length
    ? await db
        .selectFrom('link_emails')
        .select(['link_id', 'recipient', 'status', 'error', 'created_at'])
        .where('link_id', 'in', ids)
        .orderBy('created_at')
        .execute()
    : []
  return rows.map((r) => ({
    id: r.id,
    createdAt: new Date(r.created_at).toISOString(),
    expiresAt: new Date(r.expires_at).toISOString(),
    maxViews: r.max_views,
    views: r.views,
    hasPassphrase: r.has_passphrase === 1,
    fileCount: r.file_count,
    sizeBytes: r.size_bytes,
    label: r.label ? parseJson(SealedEnvelope, r.label) : null,
    emails: emails
      .filter((e) => e.link_id === r.id)
      .map((e) => ({
        to: e.recipient,
        status: e.status,
        error: e.error,
        at: new Date(e.created_at).toISOString(),
      })),
    state: linkState(r, now),
    endedAt: r.ended_at === null ? null : new Date(r.ended_at).toISOString(),
    notifyOnOpen: r.notify_on_open === 1,
  }))
}

/** Ended, or about to be: a link past its expiry or out of views is no longer active. */
function linkState(row: SummaryRow, now: number): LinkSummary['state'] {
  if (row.end_reason !== null) return row.end_reason
  if (row.views >= row.max_views) return 'used_up'
  if (row.expires_at <= now) return 'expired'
  return 'active'
}

export async function recordLinkEmail(
  db: Db,
  email: {
    linkId: string
    to: string
    status: 'sent' | 'failed'
    error: string | null
    now: number
  },
): Promise<void> {
  await db
    .insertInto('link_emails')
    .values({
      id: crypto.randomUUID(),
      link_id: email.linkId,
      recipient: email.to,
      status: email.status,
      error: email.error,
      created_at: email.now,
    })
    .execute()
}
