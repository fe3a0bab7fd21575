import type { Db } from '../db/database.js'

/** How many rows of each kind a message has: the message, key boxes, blobs, chunks. */
export async function messageRows(db: Db, messageId: string) {
  const count = async (query: Promise<unknown[]>) => (await query).length
  return {
    messages: await count(
      db.selectFrom('messages').select('id').where('id', '=', messageId).execute(),
    ),
    recipients: await count(
      db
        .selectFrom('message_recipients')
        .select('user_id')
        .where('message_id', '=', messageId)
        .execute(),
    ),
    blobs: await count(
      db.selectFrom('blobs').select('id').where('message_id', '=', messageId).execute(),
    ),
    chunks: await count(
      db
        .selectFrom('blob_chunks')
        .innerJoin('blobs', 'blobs.id', 'blob_chunks.blob_id')
        .select('blob_chunks.idx')
        .where('blobs.message_id', '=', messageId)
        .execute(),
    ),
  }
}

/** The staged chunks of one blob, in order, as stored: who uploaded each and its bytes. */
export async function stagedChunks(db: Db, blobId: string) {
  const rows = await db
    .selectFrom('staged_chunks')
    .select(['idx', 'owner_id', 'bytes'])
    .where('blob_id', '=', blobId)
    .orderBy('idx')
    .execute()
  return rows.map((r) => ({ index: r.idx, ownerId: r.owner_id, bytes: Buffer.from(r.bytes) }))
}

/** The committed chunks of one blob, whoever it belongs to. */
export async function committedChunks(db: Db, blobId: string) {
  const rows = await db
    .selectFrom('blob_chunks')
    .select(['idx', 'bytes'])
    .where('blob_id', '=', blobId)
    .orderBy('idx')
    .execute()
  return rows.map((r) => ({ index: r.idx, bytes: Buffer.from(r.bytes) }))
}

/**
 * What is left of a link's content: `sealed` counts a row still holding its sealed payload or
 * passphrase verifier (an ended link keeps its row for the owner's history, without either),
 * then its files and their chunks.
 */
export async function linkContentRows(db: Db, linkId: string) {
  const links = await db
    .selectFrom('links')
    .select(['payload', 'passphrase'])
    .where('id', '=', linkId)
    .execute()
  const count = async (query: Promise<unknown[]>) => (await query).length
  return {
    sealed: links.filter((l) => l.payload !== '' || l.passphrase !== null).length,
    blobs: await count(db.selectFrom('blobs').select('id').where('link_id', '=', linkId).execute()),
    chunks: await count(
      db
        .selectFrom('blob_chunks')
        .innerJoin('blobs', 'blobs.id', 'blob_chunks.blob_id')
        .select('blob_chunks.idx')
        .where('blobs.link_id', '=', linkId)
        .execute(),
    ),
  }
}
