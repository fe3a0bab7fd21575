import { CHUNK_BYTES, ChunkParams, SEALED_CHUNK_OVERHEAD, StorageUsage } from '@sealpost/core'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../app-context.js'
import { requireUser, signedInUser } from '../../http/auth.js'
import type { SessionUser } from '../auth/queries.js'
import { AppError } from '../../http/errors.js'
import { blobExists, stageChunk, stagedTotals, vaultBytesOf } from './queries.js'
import { quotaExceeded } from './staged-files.js'
import { policyOf } from '../policies/enforce.js'

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
            'Stage one sealed 64 KiB chunk of a file before its message or link is committed',
          params: ChunkParams,
          response: { 204: z.null() },
        },
        bodyLimit: CHUNK_BYTES + SEALED_CHUNK_OVERHEAD,
        preHandler: requireUser,
      },
      async (request, reply) => {
        const user = signedInUser(request)
        const bytes = request.body
        if (!(bytes instanceof Buffer) || bytes.length < SEALED_CHUNK_OVERHEAD) {
          throw new AppError('invalid_input', 'send the sealed chunk as application/octet-stream')
        }
        const { blobId, index } = request.params
        if (index >= Math.ceil(ctx.config.maxFileBytes / CHUNK_BYTES) + 1) {
          throw new AppError('payload_too_large', 'file is too large')
        }
        if (await blobExists(ctx.db, blobId)) {
          throw new AppError('file_exists', 'this file was already sent')
        }
        await checkStagingRoom(user, blobId, bytes.length)
        const staged = await stageChunk(ctx.db, {
          blobId,
          index,
          ownerId: user.id,
          bytes: new Uint8Array(bytes),
          now: ctx.clock.now().getTime(),
        })
        if (!staged) throw new AppError('not_found', 'no such upload')
        return reply.status(204).send(null)
      },
    )
  }
}
