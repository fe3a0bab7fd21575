import { CHUNK_BYTES, ChunkParams, SEALED_CHUNK_OVERHEAD } from '@sealpost/core'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../app-context.js'
import { requireUser, signedInUser } from '../../http/auth.js'
import { AppError } from '../../http/errors.js'
import { blobExists, stageChunk } from './queries.js'

/** PUT /api/uploads/:blobId/chunks/:index — sealed chunks wait here until a message or link commits them. */
export function uploadRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
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
        // No permission check here: staging alone shares nothing, and vault files need no
        // messaging permission. Messages and links check permissions when they commit files.
        const bytes = request.body
        if (!(bytes instanceof Buffer) || bytes.length < SEALED_CHUNK_OVERHEAD) {
          throw new AppError('invalid_input', 'send the sealed chunk as application/octet-stream')
        }
        const { blobId, index } = request.params
        if (index >= Math.ceil(ctx.config.maxFileBytes / CHUNK_BYTES) + 1) {
          throw new AppError('payload_too_large', 'file is too large')
        }
        if (await blobExists(ctx.db, blobId))
          throw new AppError('message_exists', 'this file was already sent')
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
