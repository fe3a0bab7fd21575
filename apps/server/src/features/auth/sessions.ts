import type { SessionResponse } from '@sealpost/core'
import type { FastifyReply } from 'fastify'
import type { AppContext } from '../../app-context.js'
import { newSessionToken, sessionCookieName } from '../../http/auth.js'
import { csrfTokenFor } from '../../http/tokens.js'
import { sessionNeedsTwoFactor } from '../two-factor/queries.js'
import { findAccountKeys, findUser } from '../users/queries.js'
import { insertSession, type SessionUser } from './queries.js'

/** Creates a session for `userId`, sets the cookie and answers what the client needs to unlock. */
export async function openSession(
  ctx: AppContext,
  reply: FastifyReply,
  userId: string,
  options: { needsTwoFactor?: boolean } = {},
): Promise<SessionResponse> {
  const now = ctx.clock.now().getTime()
  const { token, id } = newSessionToken()
  const expiresAt = now + ctx.config.sessionMaxMs
  const userAgent = reply.request.headers['user-agent']?.slice(0, 256) ?? null
  await insertSession(ctx.db, {
    id,
    userId,
    now,
    expiresAt,
    userAgent,
    ip: reply.request.ip,
    needsTwoFactor: options.needsTwoFactor,
  })
  void reply.setCookie(sessionCookieName(ctx.config.secureCookies), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.config.secureCookies,
    expires: new Date(expiresAt),
  })
  return sessionResponse(ctx, userId, id)
}

export async function sessionResponse(
  ctx: AppContext,
  userId: string,
  sessionId: string,
): Promise<SessionResponse> {
  const [user, keys] = await Promise.all([
    findUser(ctx.db, userId),
    findAccountKeys(ctx.db, userId),
  ])
  if (!user || !keys) throw new Error(`user ${userId} has no keys`)
  return {
    user: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      email: user.email,
      role: user.role,
      canSendMessages: user.canSendMessages,
      canSendAttachments: user.canSendAttachments,
      canCreateLinks: user.canCreateLinks,
      canSendEmail: user.canSendEmail,
      canRequestSecrets: user.canRequestSecrets,
    },
    csrfToken: csrfTokenFor(sessionId),
    keys,
    publicUrl: { url: ctx.config.publicUrl, isSet: ctx.config.publicUrlIsSet },
    ...((await sessionNeedsTwoFactor(ctx.db, sessionId)) ? { mustSetUpTwoFactor: true } : {}),
  }
}

export function clearSessionCookie(ctx: AppContext, reply: FastifyReply): void {
  void reply.clearCookie(sessionCookieName(ctx.config.secureCookies), {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.config.secureCookies,
  })
}

export type { SessionUser }
