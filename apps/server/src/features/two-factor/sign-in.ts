import type { SecondFactorRequired, SessionResponse, TwoFactorMethod } from '@sealpost/core'
import type { FastifyReply } from 'fastify'
import type { AppContext } from '../../app-context.js'
import { newToken } from '../../http/tokens.js'
import { openSession } from '../auth/sessions.js'
import {
  countBackupCodes,
  findTotp,
  insertSecondFactorLogin,
  isTwoFactorRequired,
  listCredentials,
} from './queries.js'
import { authenticationOptions } from './webauthn.js'

/** Between the password and the second factor: minutes, like an OPAQUE login. */
export const SECOND_FACTOR_TTL_MS = 5 * 60_000

/**
 * After OPAQUE proved the password: a session at once when the user has no second factor
 * (restricted to setting one up when the organisation requires it), otherwise a one-time
 * token and the methods to answer with. No session exists before the second factor holds.
 */
export async function finishSignIn(
  ctx: AppContext,
  reply: FastifyReply,
  userId: string,
): Promise<SessionResponse | SecondFactorRequired> {
  const [totp, credentials, backupCodes] = await Promise.all([
    findTotp(ctx.db, userId),
    listCredentials(ctx.db, userId),
    countBackupCodes(ctx.db, userId),
  ])
  const methods: TwoFactorMethod[] = []
  if (totp?.enabled === 1) methods.push('totp')
  if (credentials.length > 0) methods.push('webauthn')
  if (methods.length === 0) {
    return openSession(ctx, reply, userId, {
      needsTwoFactor: await isTwoFactorRequired(ctx.db, userId),
    })
  }
  if (backupCodes > 0) methods.push('backup_code')
  const webauthn =
    credentials.length > 0 ? await authenticationOptions(ctx.config.publicUrl, credentials) : null
  const { token, hash } = newToken()
  const now = ctx.clock.now().getTime()
  await insertSecondFactorLogin(ctx.db, {
    tokenHash: hash,
    userId,
    webauthnChallenge: webauthn?.challenge ?? null,
    now,
    expiresAt: now + SECOND_FACTOR_TTL_MS,
  })
  // A plain JSON object on the wire (the contract types it as a record, so OpenAPI has a type).
  return {
    secondFactor: {
      token,
      methods,
      webauthn: webauthn as unknown as Record<string, unknown> | null,
    },
  }
}
