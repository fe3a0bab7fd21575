import {
  ChangePasswordFinishRequest,
  ChangePasswordStartRequest,
  ChangePasswordStartResponse,
  NotificationSettings,
  opaqueServer,
  PutRecoveryCodeRequest,
  ReauthStartRequest,
  ReauthStartResponse,
  RecoverFinishRequest,
  RecoverStartRequest,
  RecoverStartResponse,
  RecoveryCodeStatus,
  SessionResponse,
} from '@sealpost/core'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../app-context.js'
import { requireUser, signedInUser } from '../../http/auth.js'
import { AppError, parseClientMessage } from '../../http/errors.js'
import { proves } from '../../http/tokens.js'
import { auditClient } from '../audit/client.js'
import { recordAuditEvent } from '../audit/queries.js'
import { sessionResponse } from '../auth/sessions.js'
import { finishPasswordProof, requireRecentPassword, startPasswordProof } from './password-proof.js'
import {
  deleteSessionsExcept,
  findNotifyByEmail,
  findRecovery,
  findRecoveryCodeDate,
  replacePassword,
  replaceRecoveryCode,
  saveNotifyByEmail,
  spendRecoveryCode,
} from './queries.js'

/** One answer for an unknown user, no code, a wrong code and a spent one. */
const wrongCode = () => new AppError('invalid_credentials', 'wrong username or recovery code')

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
            client: auditClient(request),
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

    app.post(
      '/account/reauth/start',
      {
        schema: {
          tags: ['account'],
          summary:
            'Start proving your password for a sensitive change (no new session; counted like a sign-in)',
          body: ReauthStartRequest,
          response: { 200: ReauthStartResponse },
        },
        preHandler: requireUser,
      },
      async (request) =>
        startPasswordProof(ctx, request, signedInUser(request), request.body.startLoginRequest),
    )

    app.get(
      '/account/notifications',
      {
        schema: {
          tags: ['account'],
          summary: 'Whether new messages are announced to you by email while no app is open',
          response: { 200: NotificationSettings },
        },
        preHandler: requireUser,
      },
      async (request) => ({
        notifyByEmail: await findNotifyByEmail(ctx.db, signedInUser(request).id),
      }),
    )

    app.put(
      '/account/notifications',
      {
        schema: {
          tags: ['account'],
          summary: 'Turn new-message emails on or off for yourself',
          body: NotificationSettings,
          response: { 200: NotificationSettings },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        await saveNotifyByEmail(ctx.db, user.id, request.body.notifyByEmail)
        return { notifyByEmail: await findNotifyByEmail(ctx.db, user.id) }
      },
    )

    app.get(
      '/account/recovery-code',
      {
        schema: {
          tags: ['account'],
          summary: 'Whether you have a recovery code, and since when',
          response: { 200: RecoveryCodeStatus },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const createdAt = await findRecoveryCodeDate(ctx.db, signedInUser(request).id)
        return { createdAt: createdAt === undefined ? null : new Date(createdAt).toISOString() }
      },
    )

    app.put(
      '/account/recovery-code',
      {
        schema: {
          tags: ['account'],
          summary:
            'Store a new recovery code (replaces the old one): the SHA-256 of its proof and the account key wrapped under it',
          body: PutRecoveryCodeRequest,
          response: { 200: RecoveryCodeStatus },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const now = ctx.clock.now().getTime()
        await requireRecentPassword(
          ctx,
          request,
          user,
          request.body.proof,
          'create a recovery code',
        )
        await ctx.db.transaction().execute(async (trx) => {
          await replaceRecoveryCode(trx, {
            userId: user.id,
            verifier: request.body.verifier,
            wrappedAccountKey: request.body.wrappedAccountKey,
            now,
          })
          await recordAuditEvent(trx, {
            client: auditClient(request),
            actorId: user.id,
            action: 'recovery_code.created',
            targetId: user.id,
            now,
          })
        })
        return { createdAt: new Date(now).toISOString() }
      },
    )

    app.post(
      '/recovery/start',
      {
        schema: {
          tags: ['account'],
          summary:
            "Forgot password, step 1: the recovery code's proof fetches the account key's recovery wrap (rate-limited)",
          body: RecoverStartRequest,
          response: { 200: RecoverStartResponse },
        },
      },
      async (request) => {
        const { username, proof } = request.body
        await ctx.recoveryLimiter.attempt(username, request.ip)
        const recovery = await findRecovery(ctx.db, username)
        if (!recovery || !proves(proof, recovery.verifier)) throw wrongCode()
        // A right code is no guess: only failures add up.
        await ctx.recoveryLimiter.succeeded(username, request.ip)
        return {
          wrappedAccountKey: recovery.wrappedAccountKey,
          keys: recovery.keys,
          registrationResponse: parseClientMessage(request.log, 'registration request', () =>
            opaqueServer.createRegistrationResponse({
              serverSetup: ctx.opaqueServerSetup,
              userIdentifier: username,
              registrationRequest: request.body.registrationRequest,
            }),
          ),
        }
      },
    )

    app.post(
      '/recovery/finish',
      {
        schema: {
          tags: ['account'],
          summary:
            'Forgot password, step 2: the new OPAQUE record and wrapped key; spends the code and ends every session',
          body: RecoverFinishRequest,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const body = request.body
        await ctx.recoveryLimiter.attempt(body.username, request.ip)
        const now = ctx.clock.now().getTime()
        const recovered = await ctx.db.transaction().execute(async (trx) => {
          const recovery = await findRecovery(trx, body.username)
          if (!recovery || !proves(body.proof, recovery.verifier)) throw wrongCode()
          // Deleting first makes the code single-use even when two finishes race.
          if ((await spendRecoveryCode(trx, recovery.userId, recovery.verifier)) !== 1) {
            throw wrongCode()
          }
          await replacePassword(trx, {
            userId: recovery.userId,
            opaqueRecord: body.registrationRecord,
            wrappedAccountKey: body.wrappedAccountKey,
            now,
          })
          await recordAuditEvent(trx, {
            client: auditClient(request),
            actorId: recovery.userId,
            action: 'account.recovered',
            targetId: recovery.userId,
            now,
          })
          return {
            userId: recovery.userId,
            ended: await deleteSessionsExcept(trx, recovery.userId, null),
          }
        })
        await ctx.recoveryLimiter.succeeded(body.username, request.ip)
        if (recovered.ended.length > 0) {
          await ctx.events.publish([recovered.userId], {
            type: 'sessions.ended',
            sessionIds: recovered.ended,
          })
        }
        return reply.status(204).send(null)
      },
    )
  }
}
