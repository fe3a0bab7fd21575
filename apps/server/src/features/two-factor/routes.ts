import {
  BackupCodes,
  FreshProofRequest,
  SecondFactorRequest,
  SessionResponse,
  TotpConfirmRequest,
  TotpSetup,
  TwoFactorOffRequest,
  TwoFactorPolicy,
  TwoFactorStatus,
  UserIdParams,
  WebauthnRegisterRequest,
  WebauthnRegistrationOptions,
} from '@sealpost/core'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../app-context.js'
import { requireAdmin, requireUser, signedInUser } from '../../http/auth.js'
import { AppError } from '../../http/errors.js'
import { tokenHash } from '../../http/tokens.js'
import { finishPasswordProof, requireRecentPassword } from '../account/password-proof.js'
import { auditClient } from '../audit/client.js'
import { recordAuditEvent } from '../audit/queries.js'
import { openSession } from '../auth/sessions.js'
import { findUser } from '../users/queries.js'
import {
  clearTwoFactorRestriction,
  countBackupCodes,
  deleteFactors,
  failSecondFactorLogin,
  findSecondFactorLogin,
  findTotp,
  insertCredential,
  isTwoFactorRequired,
  isTwoFactorRequiredByOrg,
  listCredentials,
  putPendingTotp,
  putRegistrationChallenge,
  replaceBackupCodes,
  setTwoFactorRequired,
  spendBackupCode,
  takeRegistrationChallenge,
  takeSecondFactorLogin,
  takeTotpStep,
  updateCounter,
} from './queries.js'
import { newBackupCodes, newTotpSecret, normalizeBackupCode, totpStep, totpUri } from './totp.js'
import { registrationOptions, verifyAuthentication, verifyRegistration } from './webauthn.js'

/** Wrong second factors one sign-in may try before it must start over with the password. */
const MAX_FAILURES = 5
const REGISTRATION_TTL_MS = 5 * 60_000

const wrongFactor = () =>
  new AppError('invalid_second_factor', 'that code or security key was not accepted')

/** Two-factor sign-in (DESIGN.md §3): set-up under /api/account/2fa, the sign-in step, policy. */
export function twoFactorRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  /** Ten new backup codes for the user, stored hashed; answered once. */
  async function issueBackupCodes(userId: string): Promise<string[]> {
    const codes = newBackupCodes()
    await replaceBackupCodes(
      ctx.db,
      userId,
      codes.map((code) => tokenHash(normalizeBackupCode(code))),
    )
    return codes
  }

  return async (app) => {
    app.get(
      '/account/2fa',
      {
        schema: {
          tags: ['account'],
          summary: 'Your second factors and whether the organisation requires one',
          response: { 200: TwoFactorStatus },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const [totp, credentials, backupCodesLeft, required] = await Promise.all([
          findTotp(ctx.db, user.id),
          listCredentials(ctx.db, user.id),
          countBackupCodes(ctx.db, user.id),
          isTwoFactorRequired(ctx.db, user.id),
        ])
        return {
          totp: totp?.enabled === 1,
          backupCodesLeft,
          webauthn: credentials.map((c) => ({
            id: c.id,
            name: c.name,
            createdAt: new Date(c.createdAt).toISOString(),
          })),
          required,
        }
      },
    )

    app.post(
      '/account/2fa/totp',
      {
        schema: {
          tags: ['account'],
          summary:
            'Start TOTP: a new secret and otpauth:// URI; on once confirmed with a code (needs a recent sign-in or password proof)',
          body: FreshProofRequest,
          response: { 200: TotpSetup },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        await requireRecentPassword(ctx, request, user, request.body.proof, 'set up two-factor')
        if ((await findTotp(ctx.db, user.id))?.enabled === 1) {
          throw new AppError('forbidden', 'TOTP is on already; turn two-factor off first')
        }
        const secret = newTotpSecret()
        await putPendingTotp(ctx.db, user.id, secret, ctx.clock.now().getTime())
        return { secret, uri: totpUri(secret, user.username) }
      },
    )

    app.post(
      '/account/2fa/totp/confirm',
      {
        schema: {
          tags: ['account'],
          summary: 'Turn TOTP on with a current code; answers 10 one-time backup codes, once',
          body: TotpConfirmRequest,
          response: { 200: BackupCodes },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const now = ctx.clock.now().getTime()
        const totp = await findTotp(ctx.db, user.id)
        if (!totp || totp.enabled === 1) {
          throw new AppError('invalid_input', 'start TOTP set-up first')
        }
        const step = totpStep(totp.secret, request.body.code, now)
        if (step === undefined || !(await takeTotpStep(ctx.db, user.id, step, true))) {
          throw wrongFactor()
        }
        const backupCodes = await issueBackupCodes(user.id)
        await clearTwoFactorRestriction(ctx.db, user.id)
        await recordAuditEvent(ctx.db, {
          client: auditClient(request),
          actorId: user.id,
          action: 'two_factor.totp_on',
          targetId: user.id,
          now,
        })
        return { backupCodes }
      },
    )

    app.post(
      '/account/2fa/webauthn/options',
      {
        schema: {
          tags: ['account'],
          summary:
            'Register a security key or passkey, step 1: creation options (needs a recent sign-in or password proof)',
          body: FreshProofRequest,
          response: { 200: WebauthnRegistrationOptions },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        await requireRecentPassword(ctx, request, user, request.body.proof, 'add a security key')
        const options = await registrationOptions({
          publicUrl: ctx.config.publicUrl,
          userId: user.id,
          username: user.username,
          displayName: user.displayName,
          existing: await listCredentials(ctx.db, user.id),
        })
        await putRegistrationChallenge(
          ctx.db,
          user.sessionId,
          options.challenge,
          ctx.clock.now().getTime() + REGISTRATION_TTL_MS,
        )
        return { options: options as unknown as Record<string, unknown> }
      },
    )

    app.post(
      '/account/2fa/webauthn',
      {
        schema: {
          tags: ['account'],
          summary:
            'Register a security key or passkey, step 2: the browser’s answer; the first factor also answers backup codes',
          body: WebauthnRegisterRequest,
          response: { 200: BackupCodes },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const now = ctx.clock.now().getTime()
        const challenge = await takeRegistrationChallenge(ctx.db, user.sessionId, now)
        const credential =
          challenge &&
          (await verifyRegistration({
            publicUrl: ctx.config.publicUrl,
            challenge,
            response: request.body.response,
          }))
        if (!credential) throw wrongFactor()
        const hadFactor =
          (await findTotp(ctx.db, user.id))?.enabled === 1 ||
          (await listCredentials(ctx.db, user.id)).length > 0
        await insertCredential(ctx.db, user.id, { ...credential, name: request.body.name }, now)
        const backupCodes = hadFactor ? [] : await issueBackupCodes(user.id)
        await clearTwoFactorRestriction(ctx.db, user.id)
        await recordAuditEvent(ctx.db, {
          client: auditClient(request),
          actorId: user.id,
          action: 'two_factor.webauthn_added',
          targetId: user.id,
          now,
        })
        return { backupCodes }
      },
    )

    app.post(
      '/account/2fa/off',
      {
        schema: {
          tags: ['account'],
          summary: 'Turn two-factor off (every factor and backup code); needs the password',
          body: TwoFactorOffRequest,
          response: { 204: z.null() },
        },
        preHandler: requireUser,
      },
      async (request, reply) => {
        const user = signedInUser(request)
        await finishPasswordProof(ctx, request, user, request.body.proof)
        if (await isTwoFactorRequired(ctx.db, user.id)) {
          throw new AppError(
            'forbidden',
            'policy requireTwoFactor: your organisation requires two-factor',
          )
        }
        const now = ctx.clock.now().getTime()
        await ctx.db.transaction().execute(async (trx) => {
          await deleteFactors(trx, user.id)
          await recordAuditEvent(trx, {
            client: auditClient(request),
            actorId: user.id,
            action: 'two_factor.off',
            targetId: user.id,
            now,
          })
        })
        return reply.status(204).send(null)
      },
    )

    app.post(
      '/auth/login/second-factor',
      {
        schema: {
          tags: ['auth'],
          summary:
            'Sign-in, second factor: a TOTP code, a backup code or a WebAuthn assertion; opens the session',
          body: SecondFactorRequest,
          response: { 200: SessionResponse },
        },
      },
      async (request, reply) => {
        const body = request.body
        const now = ctx.clock.now().getTime()
        const hash = tokenHash(body.token)
        const login = await findSecondFactorLogin(ctx.db, hash, now)
        // No password step behind it (or it expired, or was used up): nothing to check.
        if (!login) throw new AppError('invalid_credentials', 'sign in with your password again')
        await ctx.loginLimiter.attempt(login.username, request.ip)
        let accepted = false
        if (body.totp !== undefined) {
          const totp = await findTotp(ctx.db, login.userId)
          const step = totp?.enabled === 1 ? totpStep(totp.secret, body.totp, now) : undefined
          accepted = step !== undefined && (await takeTotpStep(ctx.db, login.userId, step, false))
        } else if (body.backupCode !== undefined) {
          accepted = await spendBackupCode(
            ctx.db,
            login.userId,
            tokenHash(normalizeBackupCode(body.backupCode)),
          )
        } else if (body.webauthn !== undefined && login.webauthnChallenge) {
          const verified = await verifyAuthentication({
            publicUrl: ctx.config.publicUrl,
            challenge: login.webauthnChallenge,
            response: body.webauthn,
            credentials: await listCredentials(ctx.db, login.userId),
          })
          if (verified) await updateCounter(ctx.db, verified.id, verified.counter)
          accepted = verified !== undefined
        }
        if (!accepted) {
          await failSecondFactorLogin(ctx.db, hash, MAX_FAILURES)
          throw wrongFactor()
        }
        // The token works once, even for two answers racing each other.
        if (!(await takeSecondFactorLogin(ctx.db, hash))) {
          throw new AppError('invalid_credentials', 'sign in with your password again')
        }
        await ctx.loginLimiter.succeeded(login.username, request.ip)
        return openSession(ctx, reply, login.userId)
      },
    )

    app.get(
      '/admin/two-factor',
      {
        schema: {
          tags: ['users'],
          summary: 'Whether everyone must use two-factor',
          response: { 200: TwoFactorPolicy },
        },
        preHandler: requireAdmin,
      },
      async () => ({ required: await isTwoFactorRequiredByOrg(ctx.db) }),
    )

    app.put(
      '/admin/two-factor',
      {
        schema: {
          tags: ['users'],
          summary:
            'Require two-factor for everyone: users without it set it up right after their next sign-in (audited)',
          body: TwoFactorPolicy,
          response: { 200: TwoFactorPolicy },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        await setTwoFactorRequired(ctx.db, request.body.required, ctx.clock.now().getTime())
        await recordAuditEvent(ctx.db, {
          client: auditClient(request),
          actorId: signedInUser(request).id,
          action: request.body.required ? 'two_factor.required' : 'two_factor.optional',
          targetId: null,
          now: ctx.clock.now().getTime(),
        })
        return { required: request.body.required }
      },
    )

    app.delete(
      '/admin/users/:id/two-factor',
      {
        schema: {
          tags: ['users'],
          summary: 'Remove every second factor of a user who lost theirs (audited)',
          params: UserIdParams,
          response: { 204: z.null() },
        },
        preHandler: requireAdmin,
      },
      async (request, reply) => {
        const now = ctx.clock.now().getTime()
        await ctx.db.transaction().execute(async (trx) => {
          const target = await findUser(trx, request.params.id)
          if (!target) throw new AppError('not_found', 'no such user')
          await deleteFactors(trx, target.id)
          await recordAuditEvent(trx, {
            client: auditClient(request),
            actorId: signedInUser(request).id,
            action: 'two_factor.removed_by_admin',
            targetId: target.id,
            now,
          })
        })
        return reply.status(204).send(null)
      },
    )
  }
}
