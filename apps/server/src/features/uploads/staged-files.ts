import { CHUNK_BYTES, SEALED_CHUNK_OVERHEAD } from '@sealpost/core'
import type { Db } from '../../db/database.js'
import { AppError } from '../../http/errors.js'
import { stagedBlobStats } from './queries.js'

export const quotaExceeded = (quotaBytes: number) =>
  new AppError(
    'quota_exceeded',
    `your vault files would exceed your storage quota of ${Math.round(quotaBytes / (1024 * 1024))} MB`,
  )

/**
 * Checks that every file was staged whole by `ownerId` and that sizes are within limits;
 * returns the total plaintext size. Throws AppError otherwise.
 */
export async function verifyStagedFiles(
  db: Db,
  ownerId: string,
  files: Array<{ blobId: string; size: number; chunkCount: number }>,
  limits: { maxFileBytes: number; maxMessageBytes: number },
  /** Files a visitor staged for this request of `ownerId`'s, instead of their own. */
  requestId: string | null = null,
): Promise<number> {
  let total = 0
  const seen = new Set<string>()
  for (const file of files) {
    if (seen.has(file.blobId)) throw new AppError('invalid_input', 'a file is listed twice')
    seen.add(file.blobId)
    if (file.size > limits.maxFileBytes) {
      throw new AppError('payload_too_large', `a file is larger than ${limits.maxFileBytes} bytes`)
    }
    if (file.chunkCount !== Math.max(1, Math.ceil(file.size / CHUNK_BYTES))) {
      throw new AppError('invalid_input', 'chunkCount does not match size')
    }
    total += file.size
    const staged = await stagedBlobStats(db, file.blobId, ownerId, requestId)
    if (
      staged.count !== file.chunkCount ||
      staged.maxIdx !== file.chunkCount - 1 ||
      staged.bytes !== file.size + file.chunkCount * SEALED_CHUNK_OVERHEAD
    ) {
      throw new AppError('invalid_input', 'a file has not been uploaded completely')
    }
  }
  if (total > limits.maxMessageBytes) {
    throw new AppError(
      'payload_too_large',
      `files together are larger than ${limits.maxMessageBytes} bytes`,
    )
  }
  return total
}
