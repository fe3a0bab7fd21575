import { auditClient } from '../audit/client.js'
import { opaqueServer } from '@sealpost/core'
import type { FastifyRequest } from 'fastify'
import type { AppContext } from '../../app-context.js'
import { AppError, parseClientMessage } from '../../http/errors.js'
import { findLoginUser, insertPendingLogin, takePendingLogin } from '../auth/queries.js'
import type { SessionUser } from '../auth/sessions.js'
import { sessionCreatedAt } from './queries.js'

/** A started proof must be finished within this time, like a sign-in. */
const PROOF_TTL_MS = 2 * 60_000

const wrongPassword = () => new AppError('invalid_credentials', 'the current password is wrong')

/**
 * Starts an OPAQUE login for the signed-in user inside another flow (change password, turning
 * two-factor off): the password is proven without opening a new session. Counts against the
 * sign-in limits, so a stolen session cannot guess the password any faster than a sign-in.
 */
export async function startPasswordProof(
  ctx: AppContext,
  request: FastifyRequest,
  user: SessionUser,
  startLoginRequest: string,
): Promise<{ loginId: string; loginResponse: string }> {
  await ctx.loginLimiter.attempt(user.username, request.ip)
  const row = await findLoginUser(ctx.db, user.username)
  if (!row?.opaque_record || row.id !== user.id) throw wrongPassword()
  const { serverLoginState, loginResponse } = parseClientMessage(request.log, 'login request', () =>
    opaqueServer.startLogin({
      serverSetup: ctx.opaqueServerSetup,
      userIdentifier: user.username,
      registrationRecord: row.opaque_record,
      startLoginRequest,
    }),
  )
  const loginId = crypto.randomUUID()
  const now = ctx.clock.now().getTime()
  await insertPendingLogin(ctx.db, {
    id: loginId,
    username: user.username,
    client: auditClient(request),
    userId: user.id,
    serverState: serverLoginState,
    expiresAt: now + PROOF_TTL_MS,
    now,
    purpose: 'password_proof',
  })
  return { loginId, loginResponse }
}

/**
 * Finishes a proof: the login must have been started for this very user and the client must
 * have known the password. A proof is spent whether or not it holds.
 */
export async function finishPasswordProof(
  ctx: AppContext,
  request: FastifyRequest,
  user: SessionUser,
  proof: { loginId: string; finishLoginRequest: string },
): Promise<void> {
  const pending = await takePendingLogin(
    ctx.db,
    { id: proof.loginId, purpose: 'password_proof' },
    ctx.clock.now().getTime(),
  )
  if (!pending || pending.user_id !== user.id) throw wrongPassword()
  try {
    opaqueServer.finishLogin({
      serverLoginState: pending.server_state,
      finishLoginRequest: proof.finishLoginRequest,
    })
  } catch {
    throw wrongPassword()
  }
  await ctx.loginLimiter.succeeded(user.username, request.ip)
}

/**
 * A session this young counts as proof of the password (setup and invite offer a recovery
 * code right after the password was chosen, the CLI acts right after `sealpost login`, a
 * required second factor is set up right after sign-in). Older sessions prove it again.
 */
const FRESH_SESSION_MS = 10 * 60_000

/** Passes for a sign-in minutes old or a valid `proof`; otherwise 403 or 401. */
export async function requireRecentPassword(
  ctx: AppContext,
  request: FastifyRequest,
  user: SessionUser,
  proof: { loginId: string; finishLoginRequest: string } | undefined,
  what: string,
): Promise<void> {
  if (proof) return finishPasswordProof(ctx, request, user, proof)
  const signedInAt = (await sessionCreatedAt(ctx.db, user.sessionId)) ?? 0
  if (ctx.clock.now().getTime() - signedInAt > FRESH_SESSION_MS) {
    throw new AppError('forbidden', `confirm your password to ${what} (or sign in again)`)
  }
}
