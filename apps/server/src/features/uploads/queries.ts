import { sql } from 'kysely'
import type { Db } from '../../db/database.js'

/** Staged chunks of one blob uploaded by `ownerId`: count, highest index and total bytes. */
export async function stagedBlobStats(db: Db, blobId: string, ownerId: string) {
  const row = await db
    .selectFrom('staged_chunks')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('count'),
      eb.fn.max('idx').as('maxIdx'),
      eb.fn.sum<number | string | null>(sql`length(bytes)`).as('bytes'),
    ])
    .where('blob_id', '=', blobId)
    .where('owner_id', '=', ownerId)
    .executeTakeFirstOrThrow()
  return {
    count: Number(row.count),
    maxIdx: row.maxIdx === null ? -1 : Number(row.maxIdx),
    bytes: Number(row.bytes ?? 0),
  }
}

export async function blobExists(db: Db, blobId: string): Promise<boolean> {
  return (
    (await db.selectFrom('blobs').select('id').where('id', '=', blobId).executeTakeFirst()) !==
    undefined
  )
}

/** Stores one sealed chunk in staging; re-uploading the same index replaces it. */
export async function stageChunk(
  db: Db,
  chunk: { blobId: string; index: number; ownerId: string; bytes: Uint8Array; now: number },
): Promise<boolean> {
  const owner = await db
    .selectFrom('staged_chunks')
    .select('owner_id')
    .where('blob_id', '=', chunk.blobId)
    .limit(1)
    .executeTakeFirst()
  if (owner && owner.owner_id !== chunk.ownerId) return false
  await db
    .insertInto('staged_chunks')
    .values({
      blob_id: chunk.blobId,
      idx: chunk.index,
      owner_id: chunk.ownerId,
      bytes: chunk.bytes,
      created_at: chunk.now,
    })
    .onConflict((oc) =>
      oc.columns(['blob_id', 'idx']).doUpdateSet({ bytes: chunk.bytes, created_at: chunk.now }),
    )
    .execute()
  return true
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
    now: number
  },
): Promise<void> {
  await trx
    .insertInto('blobs')
    .values({
      id: blob.blobId,
      message_id: blob.messageId,
      link_id: blob.linkId,
      item_id: blob.itemId ?? null,
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
        .where('owner_id', '=', blob.ownerId),
    )
    .execute()
  await trx.deleteFrom('staged_chunks').where('blob_id', '=', blob.blobId).execute()
}
