import {
  CHUNK_BYTES,
  chunkCountFor,
  createContentKey,
  type PutMessageRequest,
  sealChunk,
  sealMessage,
} from '@sealpost/core'
import type { Person } from './messages.js'

/**
 * A message with one file, sealed once: unlike `send`, which seals anew on every call, its
 * `request` and `chunks` can be sent again byte for byte, as a client retrying a send does.
 */
export type SealedSend = {
  id: string
  blobId: string
  request: PutMessageRequest
  /** The sealed chunks, in order, as uploaded. */
  chunks: Uint8Array[]
  /** Stages every chunk as `from` (or as `as`, to attack). */
  upload(as?: Person): Promise<void>
}

export async function sealWithFile(
  from: Person,
  to: Person[],
  file: Uint8Array,
  options: { now: Date; subject?: string; replyTo?: string | null; expiresAt?: string | null },
): Promise<SealedSend> {
  const contentKey = await createContentKey()
  const id = crypto.randomUUID()
  const blobId = crypto.randomUUID()
  const count = chunkCountFor(file.length)
  const chunks: Uint8Array[] = []
  for (let index = 0; index < count; index++) {
    const plain = file.slice(index * CHUNK_BYTES, (index + 1) * CHUNK_BYTES)
    chunks.push(await sealChunk(contentKey.key, blobId, index, index === count - 1, plain))
  }
  const request = await sealMessage({
    draft: {
      id,
      senderId: from.session.user.id,
      recipientIds: to.map((p) => p.session.user.id),
      sentAt: options.now.toISOString(),
      expiresAt: options.expiresAt ?? null,
      highPriority: false,
      replyTo: options.replyTo ?? null,
      subject: options.subject ?? 'sealed once',
      body: 'sent again byte for byte',
      attachments: [
        {
          blobId,
          name: 'file.bin',
          type: 'application/octet-stream',
          size: file.length,
          chunkCount: count,
        },
      ],
    },
    contentKey,
    sender: from.account,
    publicKeys: new Map(
      [from, ...to].map((p) => [p.session.user.id, p.session.keys.x25519PublicKey]),
    ),
  })
  return {
    id,
    blobId,
    request,
    chunks,
    // One chunk a request, as a client on a slow line may send them.
    upload: async (as = from) => {
      for (const [index, chunk] of chunks.entries()) {
        await as.api.uploadChunks(blobId, index, [chunk])
      }
    },
  }
}
