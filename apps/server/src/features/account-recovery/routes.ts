import {
  CreateResetRequest,
  CreateResetResponse,
  EnableRecoveryRequest,
  Escrow,
  opaqueServer,
  PutEscrowRequest,
  PutShareRequest,
  RecoveryOverview,
  RecoveryPolicy,
  RecoveryShare,
  ResetFinishRequest,
  ResetStartRequest,
  ResetStartResponse,
  UserIdParams,
  verifyRecoveryKey,
} from '@sealpost/core'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../app-context.js'
import { requireAdmin, requireUser, signedInUser } from '../../http/auth.js'
import { AppError, parseClientMessage } from '../../http/errors.js'
import { proves } from '../../http/tokens.js'
import { deleteSessionsExcept, replacePassword } from '../account/queries.js'
import { auditClient } from '../audit/client.js'
import { recordAuditEvent } from '../audit/queries.js'
import { findAccountKeys, findUser } from '../users/queries.js'
import {
  findEscrow,
  findRecoveryKey,
  findReset,
  findShare,
  insertRecoveryKey,
  listEnrolled,
  putEscrow,
  putShare,
  replaceReset,
  spendReset,
} from './queries.js'

/** A reset link works for a day, like an invite works for a week. */
const RESET_TTL_MS = 24 * 3_600_000

const noSuchUser = () => new AppError('not_found', 'no such user')
/** One answer for a wrong, used, expired or replaced reset link. */
const notAvailable = () =>
  new AppError('not_available', 'this reset link has expired, was used, or is wrong')

/** Administrator-assisted recovery (DESIGN.md §3): policy, escrow, reset links. */
export function accountRecoveryRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/account/recovery-enrollment',
      {
        schema: {
          tags: ['account'],
          summary:
            'Whether administrators can recover accounts, with the key to escrow to, and whether you are enrolled',
          response: { 200: RecoveryPolicy },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const key = await findRecoveryKey(ctx.db)
        const enrolled = key ? Boolean(await findEscrow(ctx.db, user.id, key.keyId)) : false
        return { key: key ?? null, enrolled }
      },
    )

    app.put(
      '/account/escrow',
      {
        schema: {
          tags: ['account'],
          summary: 'Enrol: your account key HPKE-sealed to the organisation recovery key',
          body: PutEscrowRequest,
          response: { 204: z.null() },
        },
        preHandler: requireUser,
      },
      async (request, reply) => {
        const user = signedInUser(request)
        const key = await findRecoveryKey(ctx.db)
        if (!key || key.keyId !== request.body.keyId) {
          throw new AppError('invalid_input', 'account recovery is off or its key changed')
        }
        const now = ctx.clock.now().getTime()
        await putEscrow(ctx.db, { userId: user.id, keyId: key.keyId, box: request.body.box, now })
        await recordAuditEvent(ctx.db, {
          client: auditClient(request),
          actorId: user.id,
          action: 'account_recovery.enrolled',
          targetId: user.id,
          now,
        })
        return reply.status(204).send(null)
      },
    )

    app.get(
      '/recovery/share',
      {
        schema: {
          tags: ['account'],
          summary:
            'Your sealed copy of the recovery private key (administrators; 404 for anyone else)',
          response: { 200: RecoveryShare },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const key = await findRecoveryKey(ctx.db)
        const share = user.role === 'admin' ? await findShare(ctx.db, user.id) : undefined
        if (!key || !share || share.keyId !== key.keyId) {
          throw new AppError('not_found', 'no recovery key share')
        }
        return share
      },
    )

    app.get(
      '/admin/recovery',
      {
        schema: {
          tags: ['users'],
          summary: 'Account recovery: the key, and who is enrolled',
          response: { 200: RecoveryOverview },
        },
        preHandler: requireAdmin,
      },
      async () => {
        const key = await findRecoveryKey(ctx.db)
        return {
          key: key ?? null,
          enrolledUserIds: key ? await listEnrolled(ctx.db, key.keyId) : [],
        }
      },
    )

    app.post(
      '/admin/recovery',
      {
        schema: {
          tags: ['users'],
          summary:
            'Turn account recovery on: the recovery public key and its private key sealed to every administrator (audited)',
          body: EnableRecoveryRequest,
          response: { 200: RecoveryOverview },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const admin = signedInUser(request)
        const body = request.body
        const now = ctx.clock.now().getTime()
        // Users' clients refuse a key whose signature fails; refuse to store one in the first place.
        const keys = await findAccountKeys(ctx.db, admin.id)
        try {
          if (!keys) throw new Error('no account keys')
          await verifyRecoveryKey(body, keys.ed25519PublicKey)
        } catch {
          throw new AppError(
            'invalid_input',
            'the recovery key’s signature does not verify with your signing key',
          )
        }
        await ctx.db.transaction().execute(async (trx) => {
          for (const share of body.shares) {
            const target = await findUser(trx, share.userId)
            if (target?.role !== 'admin') {
              throw new AppError('invalid_input', 'recovery key shares are for administrators only')
            }
          }
          if (!body.shares.some((share) => share.userId === admin.id)) {
            throw new AppError('invalid_input', 'include a share for yourself')
          }
          const created = await insertRecoveryKey(trx, {
            keyId: body.keyId,
            publicKey: body.publicKey,
            signature: body.signature,
            createdBy: admin.id,
            now,
          })
          if (!created) throw new AppError('forbidden', 'account recovery is on already')
          for (const share of body.shares) {
            await putShare(trx, share.userId, body.keyId, share.box)
          }
          await recordAuditEvent(trx, {
            client: auditClient(request),
            actorId: admin.id,
            action: 'account_recovery.enabled',
            targetId: null,
            now,
          })
        })
        return {
          key: {
            keyId: body.keyId,
            publicKey: body.publicKey,
            signerId: admin.id,
            signature: body.signature,
          },
          enrolledUserIds: [],
        }
      },
    )

    app.put(
      '/admin/recovery/shares/:id',
      {
        schema: {
          tags: ['users'],
          summary:
            'Give an administrator the recovery private key, sealed to them by your client (after promoting them)',
          params: UserIdParams,
          body: PutShareRequest,
          response: { 204: z.null() },
        },
        preHandler: requireAdmin,
      },
      async (request, reply) => {
        const key = await findRecoveryKey(ctx.db)
        const target = await findUser(ctx.db, request.params.id)
        if (!target) throw noSuchUser()
        if (!key || target.role !== 'admin') {
          throw new AppError('invalid_input', 'only administrators get the recovery key')
        }
        await putShare(ctx.db, target.id, key.keyId, request.body.box)
        await recordAuditEvent(ctx.db, {
          client: auditClient(request),
          actorId: signedInUser(request).id,
          action: 'account_recovery.shared',
          targetId: target.id,
          now: ctx.clock.now().getTime(),
        })
        return reply.status(204).send(null)
      },
    )

    app.get(
      '/admin/users/:id/escrow',
      {
        schema: {
          tags: ['users'],
          summary: 'A user’s escrowed account key (sealed; administrators only, 404 otherwise)',
          params: UserIdParams,
          response: { 200: Escrow },
        },
        preHandler: requireUser,
      },
      async (request) => {
        // Escrows are nobody's business but an administrator's: 404 for members, not 403.
        if (signedInUser(request).role !== 'admin') throw noSuchUser()
        const key = await findRecoveryKey(ctx.db)
        const escrow = key ? await findEscrow(ctx.db, request.params.id, key.keyId) : undefined
        if (!escrow) {
          const target = await findUser(ctx.db, request.params.id)
          if (!target) throw noSuchUser()
          throw new AppError(
            'not_enrolled',
            `${target.username} is not enrolled in account recovery, so their password cannot be reset`,
          )
        }
        return escrow
      },
    )

    app.post(
      '/admin/users/:id/reset',
      {
        schema: {
          tags: ['users'],
          summary:
            'Create a one-time reset link (24 h) for an enrolled user: the account key sealed under its secret (audited)',
          params: UserIdParams,
          body: CreateResetRequest,
          response: { 200: CreateResetResponse },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const admin = signedInUser(request)
        const target = await findUser(ctx.db, request.params.id)
        if (!target) throw noSuchUser()
        const key = await findRecoveryKey(ctx.db)
        if (!key || !(await findEscrow(ctx.db, target.id, key.keyId))) {
          throw new AppError(
            'not_enrolled',
            `${target.username} is not enrolled in account recovery, so their password cannot be reset`,
          )
        }
        const now = ctx.clock.now().getTime()
        const expiresAt = now + RESET_TTL_MS
        await replaceReset(ctx.db, {
          id: request.body.resetId,
          userId: target.id,
          verifier: request.body.verifier,
          wrappedAccountKey: request.body.wrappedAccountKey,
          createdBy: admin.id,
          now,
          expiresAt,
        })
        await recordAuditEvent(ctx.db, {
          client: auditClient(request),
          actorId: admin.id,
          action: 'account_recovery.reset_link',
          targetId: target.id,
          now,
        })
        return { expiresAt: new Date(expiresAt).toISOString() }
      },
    )

    app.post(
      '/reset/start',
      {
        schema: {
          tags: ['account'],
          summary:
            'Reset link, step 1: its proof fetches the sealed account key (rate-limited; one answer for any bad link)',
          body: ResetStartRequest,
          response: { 200: ResetStartResponse },
        },
      },
      async (request) => {
        const { resetId, proof } = request.body
        await ctx.recoveryLimiter.attempt(`reset:${resetId}`, request.ip)
        const reset = await findReset(ctx.db, resetId, ctx.clock.now().getTime())
        if (!reset || !proves(proof, reset.verifier)) throw notAvailable()
        await ctx.recoveryLimiter.succeeded(`reset:${resetId}`, request.ip)
        return {
          userId: reset.userId,
          username: reset.username,
          keys: reset.keys,
          wrappedAccountKey: reset.wrappedAccountKey,
          registrationResponse: parseClientMessage(request.log, 'registration request', () =>
            opaqueServer.createRegistrationResponse({
              serverSetup: ctx.opaqueServerSetup,
              userIdentifier: reset.username,
              registrationRequest: request.body.registrationRequest,
            }),
          ),
        }
      },
    )

    app.post(
      '/reset/finish',
      {
        schema: {
          tags: ['account'],
          summary:
            'Reset link, step 2: the new password’s record and wrap; the link is spent and every session ends (audited)',
          body: ResetFinishRequest,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        const body = request.body
        const now = ctx.clock.now().getTime()
        await ctx.recoveryLimiter.attempt(`reset:${body.resetId}`, request.ip)
        const done = await ctx.db.transaction().execute(async (trx) => {
          const reset = await findReset(trx, body.resetId, now)
          if (!reset || !proves(body.proof, reset.verifier)) throw notAvailable()
          // Deleting first makes the link single-use even when two finishes race.
          if (!(await spendReset(trx, body.resetId))) throw notAvailable()
          await replacePassword(trx, {
            userId: reset.userId,
            opaqueRecord: body.registrationRecord,
            wrappedAccountKey: body.wrappedAccountKey,
            now,
          })
          await recordAuditEvent(trx, {
            client: auditClient(request),
            actorId: reset.userId,
            action: 'account_recovery.reset',
            targetId: reset.userId,
            now,
          })
          return {
            userId: reset.userId,
            ended: await deleteSessionsExcept(trx, reset.userId, null),
          }
        })
        await ctx.recoveryLimiter.succeeded(`reset:${body.resetId}`, request.ip)
        if (done.ended.length > 0) {
          await ctx.events.publish([done.userId], {
            type: 'sessions.ended',
            sessionIds: done.ended,
          })
        }
        return reply.status(204).send(null)
      },
    )
  }
}
