import { sql } from 'kysely'
import type { Db } from '../../db/database.js'

/**
 * Staged chunks of one blob uploaded by `ownerId` (or, with `requestId`, by a visitor answering
 * that request of theirs): count, highest index and total bytes.
 */
export async function stagedBlobStats(
  db: Db,
  blobId: string,
  ownerId: string,
  requestId: string | null = null,
) {
  const row = await db
    .selectFrom('staged_chunks')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('count'),
      eb.fn.max('idx').as('maxIdx'),
      eb.fn.sum<number | string | null>(sql`length(bytes)`).as('bytes'),
    ])
    .where('blob_id', '=', blobId)
    .where('owner_id', '=', ownerId)
    .where('request_id', requestId === null ? 'is' : '=', requestId)
    .executeTakeFirstOrThrow()
  return {
    count: Number(row.count),
    maxIdx: row.maxIdx === null ? -1 : Number(row.maxIdx),
    bytes: Number(row.bytes ?? 0),
  }
}

/**
 * Everything `ownerId` has staged themselves (not what visitors staged for their requests):
 * bytes, distinct files, and whether `blobId` is one of them.
 */
export async function stagedTotals(db: Db, ownerId: string, blobId: string) {
  const row = await db
    .selectFrom('staged_chunks')
    .select((eb) => [
      eb.fn.sum<number | string | null>(sql`length(bytes)`).as('bytes'),
      eb.fn.count<number | string>('blob_id').distinct().as('files'),
      eb.fn
        .sum<number | string | null>(eb.case().when('blob_id', '=', blobId).then(1).else(0).end())
        .as('ofThisBlob'),
    ])
    .where('owner_id', '=', ownerId)
    .where('request_id', 'is', null)
    .executeTakeFirstOrThrow()
  return {
    bytes: Number(row.bytes ?? 0),
    files: Number(row.files),
    hasBlob: Number(row.ofThisBlob ?? 0) > 0,
  }
}

/** Bytes of vault files uploaded by `ownerId` (their storage quota counts these). */
export async function vaultBytesOf(db: Db, ownerId: string): Promise<number> {
  const row = await db
    .selectFrom('blobs')
    .select((eb) => eb.fn.sum<number | string | null>('size').as('bytes'))
    .where('owner_id', '=', ownerId)
    .where('item_id', 'is not', null)
    .executeTakeFirstOrThrow()
  return Number(row.bytes ?? 0)
}

/** Drops uploads (all chunks of a file) that nobody added to for `before` and longer. */
export async function deleteAbandonedStaging(trx: Db, before: number): Promise<number> {
  const result = await trx
    .deleteFrom('staged_chunks')
    .where('blob_id', 'in', (eb) =>
      eb
        .selectFrom('staged_chunks')
        .select('blob_id')
        .groupBy('blob_id')
        .having((h) => h.fn.max('created_at'), '<', before),
    )
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

export async function blobExists(db: Db, blobId: string): Promise<boolean> {
  return (
    (await db.selectFrom('blobs').select('id').where('id', '=', blobId).executeTakeFirst()) !==
    undefined
  )
}

/**
 * Stores sealed chunks `from`, `from + 1`, … in staging, all or none; re-uploading an index
 * replaces it. A blob belongs to whoever staged it first: its owner, and the request a visitor
 * staged it for (if any).
 */
export async function stageChunks(
  db: Db,
  upload: {
    blobId: string
    from: number
    ownerId: string
    requestId?: string | null
    chunks: Uint8Array[]
    now: number
  },
): Promise<boolean> {
  const requestId = upload.requestId ?? null
  return db.transaction().execute(async (trx) => {
    const owner = await trx
      .selectFrom('staged_chunks')
      .select(['owner_id', 'request_id'])
      .where('blob_id', '=', upload.blobId)
      .limit(1)
      .executeTakeFirst()
    if (owner && (owner.owner_id !== upload.ownerId || owner.request_id !== requestId)) {
      return false
    }
    for (const [i, bytes] of upload.chunks.entries()) {
      await trx
        .insertInto('staged_chunks')
        .values({
          blob_id: upload.blobId,
          idx: upload.from + i,
          owner_id: upload.ownerId,
          request_id: requestId,
          bytes,
          created_at: upload.now,
        })
        .onConflict((oc) =>
          oc.columns(['blob_id', 'idx']).doUpdateSet({ bytes, created_at: upload.now }),
        )
        .execute()
    }
    return true
  })
}

/** Turns staged chunks into a committed blob of a message or link. Run in the caller's transaction. */
export async function commitStagedBlob(
  trx: Db,
  blob: {
    blobId: string
    ownerId: string
    size: number
    chunkCount: number
    messageId: string | null
    linkId: string | null
    itemId?: string | null
    /** For an answer to a request: only chunks a visitor staged for it. */
    requestId?: string | null
    now: number
  },
): Promise<void> {
  const requestId = blob.requestId ?? null
  await trx
    .insertInto('blobs')
    .values({
      id: blob.blobId,
      message_id: blob.messageId,
      link_id: blob.linkId,
      item_id: blob.itemId ?? null,
      owner_id: blob.ownerId,
      size: blob.size,
      chunk_count: blob.chunkCount,
      created_at: blob.now,
    })
    .execute()
  await trx
    .insertInto('blob_chunks')
    .columns(['blob_id', 'idx', 'bytes'])
    .expression((eb) =>
      eb
        .selectFrom('staged_chunks')
        .select(['blob_id', 'idx', 'bytes'])
        .where('blob_id', '=', blob.blobId)
        .where('owner_id', '=', blob.ownerId)
        .where('request_id', requestId === null ? 'is' : '=', requestId),
    )
    .execute()
  await trx.deleteFrom('staged_chunks').where('blob_id', '=', blob.blobId).execute()
}
