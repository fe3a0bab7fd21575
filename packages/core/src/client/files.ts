import { CHUNKS_PER_REQUEST } from '../contracts/frames.js'
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

/**
 * Requests of up to CHUNKS_PER_REQUEST chunks uploaded or downloaded at once: hides the round
 * trips and keeps sealing busy while the network works, without hogging the server.
 */
const REQUESTS_IN_FLIGHT = 3

/** The index ranges of a file's requests: [from, count] of at most CHUNKS_PER_REQUEST each. */
function batchesOf(chunkCount: number): Array<[from: number, count: number]> {
  return Array.from({ length: Math.ceil(chunkCount / CHUNKS_PER_REQUEST) }, (_, batch) => {
    const from = batch * CHUNKS_PER_REQUEST
    return [from, Math.min(CHUNKS_PER_REQUEST, chunkCount - from)]
  })
}

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

/** Seals every file in 64 KiB chunks under `key` and stages them on the server, many a request. */
export async function uploadFiles(
  api: Pick<ApiClient, 'uploadChunks'>,
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
    const batches = batchesOf(chunkCount)
    await inParallel(batches.length, REQUESTS_IN_FLIGHT, async (batch) => {
      const [from, count] = batches[batch]!
      let plainBytes = 0
      const sealed = await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const index = from + i
          const plain = (await file.read(index * CHUNK_BYTES, CHUNK_BYTES)) as Bytes
          plainBytes += plain.length
          return sealChunk(key, blobId, index, index === chunkCount - 1, plain)
        }),
      )
      await withRetry(() => api.uploadChunks(blobId, from, sealed))
      sentBytes += plainBytes
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

/** Fetches sealed chunks `from` … `from + count - 1` of one file, in one request or more. */
export type FetchChunks = (from: number, count: number) => Promise<Bytes[]>

/** A FetchChunks for where chunks come one at a time (vault files, a link's answer in memory). */
export function oneByOne(fetchChunk: (index: number) => Promise<Bytes>): FetchChunks {
  return (from, count) => Promise.all(Array.from({ length: count }, (_, i) => fetchChunk(from + i)))
}

/**
 * Fetches and opens every chunk of one file; a missing, reordered, cut or altered chunk throws.
 * `fetchChunks` gets sealed chunks by index range.
 */
export async function downloadFile(
  file: { blobId: string; size: number; chunkCount: number },
  key: CryptoKey,
  fetchChunks: FetchChunks,
  onProgress?: (receivedBytes: number) => void,
): Promise<Uint8Array> {
  const out = new Uint8Array(file.size)
  let received = 0
  const batches = batchesOf(file.chunkCount)
  await inParallel(batches.length, REQUESTS_IN_FLIGHT, async (batch) => {
    const [from, count] = batches[batch]!
    const sealed = await fetchChunks(from, count)
    if (sealed.length !== count) throw new CryptoError('malformed', 'a file chunk is missing')
    await Promise.all(
      sealed.map(async (chunk, i) => {
        const index = from + i
        const isLast = index === file.chunkCount - 1
        const plain = await openChunk(key, file.blobId, index, isLast, chunk)
        // Every chunk but the last is full; the chunk AAD already binds index and last-flag.
        const expected = isLast ? file.size - index * CHUNK_BYTES : CHUNK_BYTES
        if (plain.length !== expected) {
          throw new CryptoError('malformed', 'a file chunk has the wrong length')
        }
        out.set(plain, index * CHUNK_BYTES)
        received += plain.length
      }),
    )
    onProgress?.(received)
  })
  return out
}
