import {
  ChangePasswordFinishRequest,
  ChangePasswordStartRequest,
  ChangePasswordStartResponse,
  opaqueServer,
  SessionResponse,
} from '@sealpost/core'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppContext } from '../../app-context.js'
import { requireUser, signedInUser } from '../../http/auth.js'
import { parseClientMessage } from '../../http/errors.js'
import { recordAuditEvent } from '../auth/queries.js'
import { sessionResponse } from '../auth/sessions.js'
import { finishPasswordProof, startPasswordProof } from './password-proof.js'
import { deleteSessionsExcept, replacePassword } from './queries.js'

/** /api/account: what a signed-in user does to their own account (DESIGN.md §3). */
export function accountRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/account/password/start',
      {
        schema: {
          tags: ['account'],
          summary:
            'Change password, step 1: OPAQUE login with the current password and registration of the new one',
          body: ChangePasswordStartRequest,
          response: { 200: ChangePasswordStartResponse },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const registrationResponse = parseClientMessage(request.log, 'registration request', () =>
          opaqueServer.createRegistrationResponse({
            serverSetup: ctx.opaqueServerSetup,
            userIdentifier: user.username,
            registrationRequest: request.body.registrationRequest,
          }),
        )
        const proof = await startPasswordProof(ctx, request, user, request.body.startLoginRequest)
        return { ...proof, registrationResponse }
      },
    )

    app.post(
      '/account/password/finish',
      {
        schema: {
          tags: ['account'],
          summary:
            'Change password, step 2: proves the current password, swaps the OPAQUE record and the wrapped account key, and ends every other session',
          body: ChangePasswordFinishRequest,
          response: { 200: SessionResponse },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const body = request.body
        await finishPasswordProof(ctx, request, user, body)
        const now = ctx.clock.now().getTime()
        const ended = await ctx.db.transaction().execute(async (trx) => {
          await replacePassword(trx, {
            userId: user.id,
            opaqueRecord: body.registrationRecord,
            wrappedAccountKey: body.wrappedAccountKey,
            now,
          })
          await recordAuditEvent(trx, {
            actorId: user.id,
            action: 'password.changed',
            targetId: user.id,
            now,
          })
          return deleteSessionsExcept(trx, user.id, user.sessionId)
        })
        // Their event streams close now, not at the next heartbeat.
        if (ended.length > 0) {
          await ctx.events.publish([user.id], { type: 'sessions.ended', sessionIds: ended })
        }
        return sessionResponse(ctx, user.id, user.sessionId)
      },
    )
  }
}
