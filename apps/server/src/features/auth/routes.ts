import {
  LoginFinishRequest,
  LoginFinishResponse,
  LoginStartRequest,
  LoginStartResponse,
  opaqueServer,
  RegistrationStartRequest,
  RegistrationStartResponse,
  SessionResponse,
  SetupFinishRequest,
  SetupStatus,
} from '@sealpost/core'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../app-context.js'
import { requireUser, signedInUser } from '../../http/auth.js'
import { AppError, parseClientMessage } from '../../http/errors.js'
import { finishSignIn } from '../two-factor/sign-in.js'
import { activateAccount, countUsers, insertUser } from '../users/queries.js'
import { deleteSession, findLoginUser, insertPendingLogin, takePendingLogin } from './queries.js'
import { auditClient } from '../audit/client.js'
import { recordAuditEvent } from '../audit/queries.js'
import { clearSessionCookie, openSession, sessionResponse } from './sessions.js'

/** A started login must be finished within this time. */
const LOGIN_TTL_MS = 2 * 60_000

export function authRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/setup',
      {
        schema: {
          tags: ['auth'],
          summary: 'Whether the first administrator must be created',
          response: { 200: SetupStatus },
        },
      },
      async () => ({ needsSetup: (await countUsers(ctx.db)) === 0 }),
    )

    app.post(
      '/setup/start',
      {
        schema: {
          tags: ['auth'],
          summary: 'First-run setup, step 1: OPAQUE registration response',
          body: RegistrationStartRequest,
          response: { 200: RegistrationStartResponse },
        },
      },
      async (request) => {
        if ((await countUsers(ctx.db)) > 0) {
          throw new AppError('setup_done', 'setup is already done')
        }
        return {
          registrationResponse: parseClientMessage(request.log, 'registration request', () =>
            opaqueServer.createRegistrationResponse({
              serverSetup: ctx.opaqueServerSetup,
              userIdentifier: request.body.username,
              registrationRequest: request.body.registrationRequest,
            }),
          ),
        }
      },
    )

    app.post(
      '/setup/finish',
      {
        schema: {
          tags: ['auth'],
          summary: 'First-run setup, step 2: create the administrator and sign in',
          body: SetupFinishRequest,
          response: { 200: SessionResponse },
        },
      },
      async (request, reply) => {
        const body = request.body
        const now = ctx.clock.now().getTime()
        const userId = crypto.randomUUID()
        // The count and the insert share one transaction, so two racing setups create one admin.
        await ctx.db.transaction().execute(async (trx) => {
          if ((await countUsers(trx)) > 0) throw new AppError('setup_done', 'setup is already done')
          await insertUser(trx, {
            id: userId,
            username: body.username,
            displayName: body.displayName,
            email: body.email,
            role: 'admin',
            status: 'invited',
            now,
          })
          await activateAccount(trx, {
            userId,
            opaqueRecord: body.registrationRecord,
            keys: body.keys,
            now,
          })
          await recordAuditEvent(trx, {
            actorId: userId,
            action: 'setup',
            targetId: userId,
            now,
            client: auditClient(request),
          })
        })
        return openSession(ctx, reply, userId)
      },
    )

    app.post(
      '/auth/login/start',
      {
        schema: {
          tags: ['auth'],
          summary: 'OPAQUE login, step 1 (rate-limited per username and IP)',
          body: LoginStartRequest,
          response: { 200: LoginStartResponse },
        },
      },
      async (request) => {
        const { username, startLoginRequest } = request.body
        const reached = await ctx.loginLimiter.attempt(username, request.ip)
        const user = await findLoginUser(ctx.db, username)
        if (reached.length > 0) {
          // Once per limit and window: the attempts refused after it are not recorded.
          await recordAuditEvent(ctx.db, {
            client: auditClient(request),
            actorId: null,
            action: 'login.locked',
            targetId: user?.id ?? null,
            now: ctx.clock.now().getTime(),
            details: { username, limit: reached.join(',') },
          })
        }
        const usable = user && user.status === 'active' && user.opaque_record ? user : undefined
        // Unknown, invited and disabled users get OPAQUE's decoy response: they look alike.
        const { serverLoginState, loginResponse } = parseClientMessage(
          request.log,
          'login request',
          () =>
            opaqueServer.startLogin({
              serverSetup: ctx.opaqueServerSetup,
              userIdentifier: username,
              registrationRecord: usable?.opaque_record ?? null,
              startLoginRequest,
            }),
        )
        const loginId = crypto.randomUUID()
        const now = ctx.clock.now().getTime()
        await insertPendingLogin(ctx.db, {
          id: loginId,
          username,
          userId: usable?.id ?? null,
          serverState: serverLoginState,
          expiresAt: now + LOGIN_TTL_MS,
          now,
          client: auditClient(request),
          purpose: 'sign_in',
        })
        return { loginId, loginResponse }
      },
    )

    app.post(
      '/auth/login/finish',
      {
        schema: {
          tags: ['auth'],
          summary:
            'OPAQUE login, step 2: proves the password; opens a session, or asks for the second factor',
          body: LoginFinishRequest,
          response: { 200: LoginFinishResponse },
        },
      },
      async (request, reply) => {
        const now = ctx.clock.now().getTime()
        const pending = await takePendingLogin(
          ctx.db,
          { id: request.body.loginId, purpose: 'sign_in' },
          now,
        )
        const invalid = async () => {
          // The name typed, as auditors expect; an unknown one has no account to point at.
          if (pending) {
            await recordAuditEvent(ctx.db, {
              client: auditClient(request),
              actorId: null,
              action: 'login.failed',
              targetId: pending.user_id,
              now,
              details: { username: pending.username, reason: 'wrong proof' },
            })
          }
          return new AppError('invalid_credentials', 'wrong username or password')
        }
        if (!pending?.user_id) throw await invalid()
        try {
          opaqueServer.finishLogin({
            serverLoginState: pending.server_state,
            finishLoginRequest: request.body.finishLoginRequest,
          })
        } catch {
          throw await invalid()
        }
        await ctx.loginLimiter.succeeded(pending.username, request.ip)
        await recordAuditEvent(ctx.db, {
          client: auditClient(request),
          actorId: pending.user_id,
          action: 'login',
          targetId: null,
          now,
        })
        return finishSignIn(ctx, reply, pending.user_id)
      },
    )

    app.post(
      '/auth/logout',
      {
        schema: { tags: ['auth'], summary: 'Ends this session', response: { 204: z.null() } },
        preHandler: requireUser,
      },
      async (request, reply) => {
        const user = signedInUser(request)
        await deleteSession(ctx.db, user.sessionId)
        await ctx.events.publish([user.id], {
          type: 'sessions.ended',
          sessionIds: [user.sessionId],
        })
        clearSessionCookie(ctx, reply)
        return reply.status(204).send(null)
      },
    )

    app.get(
      '/auth/session',
      {
        schema: {
          tags: ['auth'],
          summary: 'The signed-in user, CSRF token and wrapped keys',
          response: { 200: SessionResponse },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        return sessionResponse(ctx, user.id, user.sessionId)
      },
    )
  }
}
