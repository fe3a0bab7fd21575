import type { DirectoryUser } from '../contracts/users.js'
import { CHUNK_BYTES, type MessageDetail } from '../contracts/messages.js'
import type { UnlockedAccount } from '../crypto/account.js'
import type { Bytes } from '../crypto/bytes.js'
import {
  type AttachmentPlainRef,
  chunkCountFor,
  createContentKey,
  openChunk,
  openMessage,
  type OpenedMessage,
  sealChunk,
  sealMessage,
} from '../crypto/message.js'
import { CryptoError } from '../crypto/crypto-error.js'
import { ApiError, type ApiClient } from './api-client.js'

/** A file to attach, read piece by piece so large files need not sit in memory twice. */
export type FileSource = {
  name: string
  type: string
  size: number
  read(offset: number, length: number): Promise<Uint8Array>
}

export function bytesSource(name: string, type: string, bytes: Uint8Array): FileSource {
  return {
    name,
    type,
    size: bytes.length,
    read: async (offset, length) => bytes.slice(offset, offset + length),
  }
}

export type SendProgress = { sentBytes: number; totalBytes: number }

export type SendInput = {
  /** Client-chosen id; pass the same id again to retry a send safely. */
  id?: string
  me: { id: string; x25519PublicKey: string }
  account: UnlockedAccount
  recipients: Array<Pick<DirectoryUser, 'id' | 'x25519PublicKey'>>
  subject: string
  body: string
  expiresAt: string | null
  highPriority: boolean
  replyTo?: string | null
  files?: FileSource[]
  onProgress?: (progress: SendProgress) => void
  /** Defaults to the device clock. */
  now?: () => Date
}

/** Retries a call that may have reached the server: safe because every step is idempotent. */
async function withRetry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn()
    } catch (error) {
      const retryable = error instanceof ApiError && (error.status === 0 || error.status >= 500)
      if (!retryable || i >= attempts) throw error
    }
  }
}

/** Chunks uploaded or downloaded at once: hides round-trip latency without hogging the server. */
const CHUNKS_IN_FLIGHT = 4

/** Runs `task(0…count-1)` with at most `limit` running at a time; the first failure wins. */
async function inParallel(
  count: number,
  limit: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < count) await task(next++)
  }
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker))
}

/**
 * Seals and sends a message (DESIGN.md §3): every file chunk is sealed and staged first, then one
 * PUT commits the message with its key boxes and chunks atomically.
 */
export async function sendMessage(api: ApiClient, input: SendInput): Promise<{ id: string }> {
  const id = input.id ?? crypto.randomUUID()
  const contentKey = await createContentKey()
  const files = input.files ?? []
  const totalBytes = files.reduce((n, f) => n + f.size, 0)
  let sentBytes = 0
  input.onProgress?.({ sentBytes, totalBytes })
  const attachments: AttachmentPlainRef[] = []
  for (const file of files) {
    const blobId = crypto.randomUUID()
    const chunkCount = chunkCountFor(file.size)
    await inParallel(chunkCount, CHUNKS_IN_FLIGHT, async (index) => {
      const plain = (await file.read(index * CHUNK_BYTES, CHUNK_BYTES)) as Bytes
      const sealed = await sealChunk(contentKey.key, blobId, index, index === chunkCount - 1, plain)
      await withRetry(() => api.uploadChunk(blobId, index, sealed))
      sentBytes += plain.length
      input.onProgress?.({ sentBytes, totalBytes })
    })
    attachments.push({
      blobId,
      name: file.name,
      type: file.type || 'application/octet-stream',
      size: file.size,
      chunkCount,
    })
  }
  const publicKeys = new Map<string, string>(input.recipients.map((r) => [r.id, r.x25519PublicKey]))
  publicKeys.set(input.me.id, input.me.x25519PublicKey)
  const request = await sealMessage({
    draft: {
      id,
      senderId: input.me.id,
      recipientIds: [...new Set(input.recipients.map((r) => r.id))],
      sentAt: (input.now?.() ?? new Date()).toISOString(),
      expiresAt: input.expiresAt,
      highPriority: input.highPriority,
      replyTo: input.replyTo ?? null,
      subject: input.subject,
      body: input.body,
      attachments,
    },
    contentKey,
    sender: input.account,
    publicKeys,
  })
  contentKey.raw.fill(0)
  return withRetry(() => api.putMessage(request))
}

/**
 * Verifies and decrypts a fetched message for the signed-in reader. A message whose signed
 * expiry has passed is refused even if the server still serves it.
 */
export async function openMessageDetail(
  account: UnlockedAccount,
  readerId: string,
  detail: MessageDetail,
  now: Date = new Date(),
): Promise<OpenedMessage> {
  // The signature is checked with the key the server names for `sender`; the sender shown
  // must be the one the signed envelope names.
  if (detail.sender.id !== detail.envelope.senderId) {
    throw new CryptoError('bad_signature', 'the stated sender did not send this message')
  }
  const opened = await openMessage({
    account,
    readerId,
    envelope: detail.envelope,
    key: detail.key,
    senderSigningKey: detail.sender.ed25519PublicKey,
  })
  if (
    detail.envelope.expiresAt !== null &&
    Date.parse(detail.envelope.expiresAt) <= now.getTime()
  ) {
    throw new CryptoError('expired', 'this message has expired')
  }
  return opened
}

/** Downloads and decrypts one attachment, chunk by chunk; a missing or altered chunk throws. */
export async function downloadAttachment(
  api: ApiClient,
  messageId: string,
  opened: Pick<OpenedMessage, 'contentKey'>,
  attachment: AttachmentPlainRef,
  onProgress?: (receivedBytes: number) => void,
): Promise<Uint8Array> {
  const out = new Uint8Array(attachment.size)
  let received = 0
  await inParallel(attachment.chunkCount, CHUNKS_IN_FLIGHT, async (index) => {
    const isLast = index === attachment.chunkCount - 1
    const sealed = await withRetry(() => api.downloadChunk(messageId, attachment.blobId, index))
    const plain = await openChunk(opened.contentKey, attachment.blobId, index, isLast, sealed)
    // Every chunk but the last is full; the chunk AAD already binds index and last-flag.
    const expected = isLast ? attachment.size - index * CHUNK_BYTES : CHUNK_BYTES
    if (plain.length !== expected) {
      throw new ApiError(0, 'bad_attachment', 'an attachment chunk has the wrong length')
    }
    out.set(plain, index * CHUNK_BYTES)
    received += plain.length
    onProgress?.(received)
  })
  return out
}
