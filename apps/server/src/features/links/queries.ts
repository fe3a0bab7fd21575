import { LinkPassphrase, type LinkSummary, SealedEnvelope } from '@sealpost/core'
import type { z } from 'zod'
import { parseJson } from '../../db/json.js'
import type { Db } from '../../db/database.js'
import type { LinksTable } from '../../db/schema.js'

export type StoredPassphrase = z.infer<typeof LinkPassphrase>

export async function findLinkForOwner(db: Db, id: string) {
  return db
    .selectFrom('links')
    .select(['id', 'owner_id', 'payload'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function insertLink(
  trx: Db,
  link: Omit<LinksTable, 'views' | 'failed_passphrases' | 'readers' | 'read_until'>,
): Promise<void> {
  await trx
    .insertInto('links')
    .values({ ...link, views: 0, failed_passphrases: 0, readers: 0, read_until: 0 })
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
    ])
    .where('id', '=', id)
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
    .where('expires_at', '>', now)
    .whereRef('views', '<', 'max_views')
    .returning(['views', 'max_views'])
    .executeTakeFirst()
}

/**
 * Ends one reader. The last reader of a used-up link deletes it with its files in the same
 * transaction; the row lock of the UPDATE makes exactly one of several finishing readers see 0.
 */
export async function finishRead(trx: Db, id: string): Promise<void> {
  const row = await trx
    .updateTable('links')
    .set((eb) => ({ readers: eb('readers', '-', 1) }))
    .where('id', '=', id)
    .returning(['readers', 'views', 'max_views'])
    .executeTakeFirst()
  if (row && row.readers <= 0 && row.views >= row.max_views) await deleteLinks(trx, [id])
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

/** Deletes links with their files, their chunks and their email records. */
export async function deleteLinks(trx: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return
  const blobIds = trx.selectFrom('blobs').select('id').where('link_id', 'in', ids)
  await trx.deleteFrom('blob_chunks').where('blob_id', 'in', blobIds).execute()
  await trx.deleteFrom('blobs').where('link_id', 'in', ids).execute()
  await trx.deleteFrom('link_emails').where('link_id', 'in', ids).execute()
  await trx.deleteFrom('links').where('id', 'in', ids).execute()
}

/** Expired links, and used-up links whose readers are long gone (their process died mid-read). */
export async function expiredLinkIds(trx: Db, now: number): Promise<string[]> {
  const rows = await trx
    .selectFrom('links')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('expires_at', '<=', now),
        eb.and([eb('views', '>=', eb.ref('max_views')), eb('read_until', '<=', now)]),
      ]),
    )
    .limit(5000)
    .execute()
  return rows.map((r) => r.id)
}

export async function listOwnLinks(db: Db, ownerId: string, now: number): Promise<LinkSummary[]> {
  const rows = await db
    .selectFrom('links')
    .select([
      'id',
      'created_at',
      'expires_at',
      'max_views',
      'views',
      'passphrase',
      'file_count',
      'size_bytes',
      'label',
    ])
    .where('owner_id', '=', ownerId)
    .where('expires_at', '>', now)
    .whereRef('views', '<', 'max_views')
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute()
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
    hasPassphrase: r.passphrase !== null,
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
  }))
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
