import { EndedSessions, SessionIdParams, SessionList, UserIdParams } from '@sealpost/core'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../app-context.js'
import { requireAdmin, requireUser, signedInUser } from '../../http/auth.js'
import { AppError } from '../../http/errors.js'
import { deleteSessionsExcept } from '../account/queries.js'
import { auditClient } from '../audit/client.js'
import { recordAuditEvent } from '../audit/queries.js'
import { clearSessionCookie } from '../auth/sessions.js'
import { findUser } from '../users/queries.js'
import { describeDevice } from './device.js'
import { deleteUserSession, listUserSessions } from './queries.js'

const noSuchSession = () => new AppError('not_found', 'no such session')

/** A user's own sessions under /api/account/sessions; an administrator's lever on anyone's. */
export function sessionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  /** Ends the sessions now: their event streams close at once, not at the next heartbeat. */
  async function announce(userId: string, sessionIds: string[]) {
    if (sessionIds.length === 0) return
    await ctx.events.publish([userId], { type: 'sessions.ended', sessionIds })
  }

  return async (app) => {
    app.get(
      '/account/sessions',
      {
        schema: {
          tags: ['account'],
          summary: 'Your sessions: device, address, created, last seen; this one marked',
          response: { 200: SessionList },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const now = ctx.clock.now().getTime()
        const rows = await listUserSessions(ctx.db, user.id, now, ctx.config.sessionIdleMs)
        return {
          sessions: rows.map((row) => ({
            id: row.public_id,
            ...describeDevice(row.user_agent),
            address: row.ip,
            createdAt: new Date(row.created_at).toISOString(),
            lastSeenAt: new Date(row.last_seen_at).toISOString(),
            isCurrent: row.id === user.sessionId,
          })),
        }
      },
    )

    app.delete(
      '/account/sessions/:id',
      {
        schema: {
          tags: ['account'],
          summary: 'Sign out one of your sessions (404 for any session not yours)',
          params: SessionIdParams,
          response: { 204: z.null() },
        },
        preHandler: requireUser,
      },
      async (request, reply) => {
        const user = signedInUser(request)
        const ended = await deleteUserSession(ctx.db, user.id, request.params.id)
        if (!ended) throw noSuchSession()
        await announce(user.id, [ended])
        if (ended === user.sessionId) clearSessionCookie(ctx, reply)
        return reply.status(204).send(null)
      },
    )

    app.post(
      '/account/sessions/end-others',
      {
        schema: {
          tags: ['account'],
          summary: 'Sign out everywhere else: every session of yours but this one ends',
          response: { 200: EndedSessions },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const ended = await deleteSessionsExcept(ctx.db, user.id, user.sessionId)
        await announce(user.id, ended)
        return { ended: ended.length }
      },
    )

    app.post(
      '/admin/users/:id/sessions/end',
      {
        schema: {
          tags: ['users'],
          summary: 'End every session of a user (administrators only; audited)',
          params: UserIdParams,
          response: { 200: EndedSessions },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const admin = signedInUser(request)
        const now = ctx.clock.now().getTime()
        const ended = await ctx.db.transaction().execute(async (trx) => {
          const target = await findUser(trx, request.params.id)
          if (!target) throw new AppError('not_found', 'no such user')
          await recordAuditEvent(trx, {
            client: auditClient(request),
            actorId: admin.id,
            action: 'sessions.ended_by_admin',
            targetId: target.id,
            now,
          })
          return deleteSessionsExcept(trx, target.id, null)
        })
        await announce(request.params.id, ended)
        return { ended: ended.length }
      },
    )
  }
}
