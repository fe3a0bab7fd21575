import {
  CHUNK_BYTES,
  CHUNKS_PER_REQUEST,
  ChunkParams,
  readFrames,
  SEALED_CHUNK_OVERHEAD,
  StorageUsage,
} from '@sealpost/core'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../app-context.js'
import { requireUser, signedInUser } from '../../http/auth.js'
import type { SessionUser } from '../auth/queries.js'
import { AppError } from '../../http/errors.js'
import { blobExists, stageChunks, stagedTotals, vaultBytesOf } from './queries.js'
import { quotaExceeded } from './staged-files.js'
import { policyOf } from '../policies/enforce.js'

/** A sealed chunk: at most a full chunk's plaintext plus the IV and tag. */
const SEALED_CHUNK_MAX = CHUNK_BYTES + SEALED_CHUNK_OVERHEAD

/** PUT /api/uploads/:blobId/chunks/:index — sealed chunks wait here until a message or link commits them. */
export function uploadRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { staging, userQuotaBytes } = ctx.config
  const mib = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`

  /**
   * Staged chunks cost storage before anything is shared, so each user has caps on what may
   * wait. Without the attachments or links permission a staged file can only go into the
   * vault, so it counts against the storage quota at once (vault files need no permission;
   * a quota of 0 means such users cannot upload at all).
   */
  async function checkStagingRoom(user: SessionUser, blobId: string, size: number) {
    const policy = await policyOf(ctx, user.id)
    const vaultOnly = !policy.canSendAttachments && !policy.canCreateLinks
    if (vaultOnly && userQuotaBytes === 0) {
      throw new AppError('attachments_disabled', 'you may not upload files')
    }
    const staged = await stagedTotals(ctx.db, user.id, blobId)
    if (!staged.hasBlob && staged.files >= staging.maxFiles) {
      throw new AppError(
        'payload_too_large',
        `at most ${staging.maxFiles} files may wait to be sent; send or cancel some first`,
      )
    }
    if (staged.bytes + size > staging.maxBytes) {
      throw new AppError(
        'payload_too_large',
        `uploads waiting to be sent may total at most ${mib(staging.maxBytes)}`,
      )
    }
    if (vaultOnly && (await vaultBytesOf(ctx.db, user.id)) + staged.bytes + size > userQuotaBytes) {
      throw quotaExceeded(userQuotaBytes)
    }
  }

  return async (app) => {
    app.get(
      '/uploads/usage',
      {
        schema: {
          tags: ['uploads'],
          summary: 'My storage: vault files against my quota, and uploads waiting to be sent',
          response: { 200: StorageUsage },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        return {
          vaultBytes: await vaultBytesOf(ctx.db, user.id),
          quotaBytes: userQuotaBytes,
          stagedBytes: (await stagedTotals(ctx.db, user.id, '')).bytes,
        }
      },
    )

    app.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer' },
      (_request, body, done) => done(null, body),
    )

    app.put(
      '/uploads/:blobId/chunks/:index',
      {
        schema: {
          tags: ['uploads'],
          summary:
            'Stage sealed 64 KiB chunks of a file, from :index on, before its message or link is committed: up to 16 in one body, each as a big-endian u32 length and its bytes (application/octet-stream)',
          params: ChunkParams,
          response: { 204: z.null() },
        },
        bodyLimit: CHUNKS_PER_REQUEST * (4 + SEALED_CHUNK_MAX),
        preHandler: requireUser,
      },
      async (request, reply) => {
        const user = signedInUser(request)
        const body = request.body
        const chunks = body instanceof Buffer ? readFrames(body, CHUNKS_PER_REQUEST) : null
        if (
          !chunks?.length ||
          chunks.some((c) => c.length < SEALED_CHUNK_OVERHEAD || c.length > SEALED_CHUNK_MAX)
        ) {
          throw new AppError(
            'invalid_input',
            'send 1 to 16 sealed chunks, each framed by its u32 length, as application/octet-stream',
          )
        }
        const { blobId, index } = request.params
        // The largest file allowed has chunks 0 to ceil(max / CHUNK_BYTES) - 1; none goes past it.
        if (index + chunks.length > Math.ceil(ctx.config.maxFileBytes / CHUNK_BYTES)) {
          throw new AppError('payload_too_large', 'file is too large')
        }
        if (await blobExists(ctx.db, blobId)) {
          throw new AppError('file_exists', 'this file was already sent')
        }
        const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0)
        await checkStagingRoom(user, blobId, size)
        const staged = await stageChunks(ctx.db, {
          blobId,
          from: index,
          ownerId: user.id,
          // Copies: the request's buffer is reused once the route answers.
          chunks: chunks.map((chunk) => new Uint8Array(chunk)),
          now: ctx.clock.now().getTime(),
        })
        if (!staged) throw new AppError('not_found', 'no such upload')
        return reply.status(204).send(null)
      },
    )
  }
}
