import { CSRF_HEADER } from '@sealpost/core'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { findSessionUser, type SessionUser, touchSession } from '../features/auth/queries.js'
import type { AppContext } from '../app-context.js'
import { AppError } from './errors.js'
import { csrfTokenFor, newToken, sameSecret, tokenHash } from './tokens.js'

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | undefined
  }
}

/** Cookie name: `__Host-` needs Secure, so it is used only when served over TLS. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-sealpost' : 'sealpost'
}

/** 256-bit random session token (base64url) and the SHA-256 id under which it is stored. */
export function newSessionToken(): { token: string; id: string } {
  const { token, hash } = newToken()
  return { token, id: hash }
}

export function sessionIdOf(token: string): string {
  return tokenHash(token)
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
/** Update last_seen_at at most this often, so reads do not write on every request. */
const TOUCH_INTERVAL_MS = 60_000

function headerValue(request: FastifyRequest): string | undefined {
  const value = request.headers[CSRF_HEADER]
  return Array.isArray(value) ? value[0] : value
}

/**
 * onRequest hook for /api: every state-changing request must carry the CSRF header,
 * which a cross-site form or fetch without CORS preflight cannot send.
 */
export function requireCsrfHeader(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method)) return
  if (!headerValue(request)) {
    throw new AppError('csrf_required', `missing ${CSRF_HEADER} header`)
  }
}

/** Resolves the session cookie to the signed-in user (or undefined). */
export async function loadSessionUser(ctx: AppContext, request: FastifyRequest): Promise<void> {
  request.user = undefined
  const token = request.cookies[sessionCookieName(ctx.config.secureCookies)]
  if (!token) return
  const now = ctx.clock.now().getTime()
  const user = await findSessionUser(ctx.db, sessionIdOf(token), now, ctx.config.sessionIdleMs)
  if (!user) return
  if (now - user.lastSeenAt > TOUCH_INTERVAL_MS) await touchSession(ctx.db, user.sessionId, now)
  const { lastSeenAt: _lastSeenAt, ...sessionUser } = user
  request.user = sessionUser
}

/**
 * What a sign-in that must set up a second factor may still do: see itself, sign out, prove
 * its password and set the factor up. Matched on the route, not the spelled URL.
 */
function allowsTwoFactorSetup(route: string | undefined): boolean {
  return (
    route === '/api/auth/session' ||
    route === '/api/auth/logout' ||
    route === '/api/account/reauth/start' ||
    route === '/api/account/recovery-code' ||
    (route?.startsWith('/api/account/2fa') ?? false)
  )
}

/** preHandler for routes that need a session; also checks the session's CSRF token. */
export function requireUser(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: (err?: Error) => void,
): void {
  const user = request.user
  if (!user) return done(new AppError('not_signed_in', 'sign in first'))
  if (user.needsTwoFactor && !allowsTwoFactorSetup(request.routeOptions.url)) {
    return done(
      new AppError('two_factor_required', 'your organisation requires two-factor: set it up first'),
    )
  }
  if (!SAFE_METHODS.has(request.method)) {
    if (!sameSecret(headerValue(request) ?? '', csrfTokenFor(user.sessionId))) {
      return done(new AppError('csrf_required', `invalid ${CSRF_HEADER} header`))
    }
  }
  done()
}

export function requireAdmin(
  request: FastifyRequest,
  reply: FastifyReply,
  done: (err?: Error) => void,
): void {
  requireUser(request, reply, (err) => {
    if (err) return done(err)
    if (request.user?.role !== 'admin') {
      return done(new AppError('admin_only', 'administrators only'))
    }
    done()
  })
}

export function signedInUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw new AppError('not_signed_in', 'sign in first')
  return request.user
}
