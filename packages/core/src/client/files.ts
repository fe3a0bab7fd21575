import { CHUNK_BYTES, chunkCountFor } from '../contracts/messages.js'
import type { Bytes } from '../crypto/bytes.js'
import { CryptoError } from '../crypto/crypto-error.js'
import { type AttachmentPlainRef, openChunk, sealChunk } from '../crypto/message.js'
import { ApiError, type ApiClient } from './api-client.js'

/** A file to attach, read piece by piece so large files need not sit in memory twice. */
export type FileSource = {
  name: string
  type: string
  size: number
  read(offset: number, length: number): Promise<Uint8Array>
  /** For copies of vault files: the vault blob this file copies (see sendMessage's `tree`). */
  copyOf?: string
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

/** Retries a call that may have reached the server: safe because every step is idempotent. */
export async function withRetry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn()
    } catch (error) {
      const retryable = error instanceof ApiError && (error.status === 0 || error.status >= 500)
      if (!retryable || i >= attempts) throw error
    }
  }
}

/** Seals every file in 64 KiB chunks under `key` and stages them on the server. */
export async function uploadFiles(
  api: Pick<ApiClient, 'uploadChunk'>,
  key: CryptoKey,
  files: FileSource[],
  onProgress?: (progress: SendProgress) => void,
): Promise<AttachmentPlainRef[]> {
  const totalBytes = files.reduce((n, f) => n + f.size, 0)
  let sentBytes = 0
  onProgress?.({ sentBytes, totalBytes })
  const refs: AttachmentPlainRef[] = []
  for (const file of files) {
    const blobId = crypto.randomUUID()
    const chunkCount = chunkCountFor(file.size)
    await inParallel(chunkCount, CHUNKS_IN_FLIGHT, async (index) => {
      const plain = (await file.read(index * CHUNK_BYTES, CHUNK_BYTES)) as Bytes
      const sealed = await sealChunk(key, blobId, index, index === chunkCount - 1, plain)
      await withRetry(() => api.uploadChunk(blobId, index, sealed))
      sentBytes += plain.length
      onProgress?.({ sentBytes, totalBytes })
    })
    refs.push({
      blobId,
      name: file.name,
      type: file.type || 'application/octet-stream',
      size: file.size,
      chunkCount,
    })
  }
  return refs
}

/**
 * Fetches and opens every chunk of one file; a missing, reordered, cut or altered chunk throws.
 * `fetchChunk` gets one sealed chunk by index.
 */
export async function downloadFile(
  file: { blobId: string; size: number; chunkCount: number },
  key: CryptoKey,
  fetchChunk: (index: number) => Promise<Bytes>,
  onProgress?: (receivedBytes: number) => void,
): Promise<Uint8Array> {
  const out = new Uint8Array(file.size)
  let received = 0
  await inParallel(file.chunkCount, CHUNKS_IN_FLIGHT, async (index) => {
    const isLast = index === file.chunkCount - 1
    const sealed = await fetchChunk(index)
    const plain = await openChunk(key, file.blobId, index, isLast, sealed)
    // Every chunk but the last is full; the chunk AAD already binds index and last-flag.
    const expected = isLast ? file.size - index * CHUNK_BYTES : CHUNK_BYTES
    if (plain.length !== expected) {
      throw new CryptoError('malformed', 'a file chunk has the wrong length')
    }
    out.set(plain, index * CHUNK_BYTES)
    received += plain.length
    onProgress?.(received)
  })
  return out
}
