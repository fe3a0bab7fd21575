import {
  PendingVaultGrants,
  PutVaultGroupGrantRequest,
  SealVaultGrantRequest,
  VaultGroupGrants,
  WaitingVaults,
} from '@sealpost/core'
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../app-context.js'
import type { Db } from '../../db/database.js'
import { requireAdmin, requireUser, signedInUser } from '../../http/auth.js'
import { AppError } from '../../http/errors.js'
import { auditClient } from '../audit/client.js'
import { recordAuditEvent } from '../audit/queries.js'
import { groupExists } from '../groups/queries.js'
import { findMembership, holdsCurrentKey } from '../vault/queries.js'
import { staleKey } from '../vault/routes.js'
import {
  deleteGrant,
  listGrants,
  lockVault,
  pendingGrants,
  settleGroupAccess,
  storeGrantedKey,
  upsertGrant,
  waitingVaults,
} from './queries.js'
import { tellOfGrantChange } from './tell.js'

const VaultGroupParams = z.object({ vaultId: z.string().max(64), groupId: z.string().max(64) })
const VaultIdParams = z.object({ vaultId: z.string().max(64) })
const noSuchVault = () => new AppError('not_found', 'no such vault')

/**
 * Shared vaults granted to groups (issue 13). A grant needs no key: the administrator's devices
 * that hold the vault seal it to each member who waits (at once when one is online, else at
 * their next sign-in), and members who leave the group or lose the grant lose the vault at once.
 */
export function vaultGrantRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  /** The shared vault `vaultId` if the caller is a member; 404 otherwise, as for a stranger. */
  async function sharedVaultOf(vaultId: string, userId: string) {
    const member = await findMembership(ctx.db, vaultId, userId)
    if (!member || member.kind !== 'shared') throw noSuchVault()
    return member
  }

  /**
   * Changes a vault's grants under the vault's lock (`change` answers the audit details), then
   * settles who holds it through a group, all in one transaction, and tells whom it concerns.
   */
  async function changeGrant(
    request: FastifyRequest,
    vaultId: string,
    action: 'vault.shared' | 'vault.unshared',
    change: (trx: Db, now: number) => Promise<Record<string, string | boolean>>,
  ) {
    const ended = await ctx.db.transaction().execute(async (trx) => {
      await lockVault(trx, ctx.dialect, vaultId)
      const now = ctx.clock.now().getTime()
      const details = await change(trx, now)
      await recordAuditEvent(trx, {
        actorId: signedInUser(request).id,
        action,
        targetId: vaultId,
        now,
        client: auditClient(request),
        details,
      })
      return settleGroupAccess(trx, ctx.dialect, { vaultIds: [vaultId] }, now)
    })
    await tellOfGrantChange(
      ctx,
      [vaultId],
      ended.map((e) => e.userId),
    )
  }

  return async (app) => {
    app.get(
      '/vaults/:vaultId/groups',
      {
        schema: {
          tags: ['vault'],
          summary:
            'Groups a shared vault is granted to, with members and how many wait for the key',
          params: VaultIdParams,
          response: { 200: VaultGroupGrants },
        },
        preHandler: requireUser,
      },
      async (request) => {
        await sharedVaultOf(request.params.vaultId, signedInUser(request).id)
        return { grants: await listGrants(ctx.db, request.params.vaultId) }
      },
    )

    app.put(
      '/vaults/:vaultId/groups/:groupId',
      {
        schema: {
          tags: ['vault'],
          summary:
            'Grant a shared vault to a group, or change its access (administrators who are members; audited)',
          params: VaultGroupParams,
          body: PutVaultGroupGrantRequest,
          response: { 204: z.null() },
        },
        preHandler: requireAdmin,
      },
      async (request, reply) => {
        const { vaultId, groupId } = request.params
        await sharedVaultOf(vaultId, signedInUser(request).id)
        const { canWrite } = request.body
        await changeGrant(request, vaultId, 'vault.shared', async (trx, now) => {
          if (!(await groupExists(trx, groupId))) {
            throw new AppError('not_found', 'no such group')
          }
          await upsertGrant(trx, { vaultId, groupId, canWrite, now })
          return { groupId, canWrite }
        })
        return reply.status(204).send(null)
      },
    )

    app.delete(
      '/vaults/:vaultId/groups/:groupId',
      {
        schema: {
          tags: ['vault'],
          summary:
            'End a group’s grant: members who had the vault only through it lose it at once (audited)',
          params: VaultGroupParams,
          response: { 204: z.null() },
        },
        preHandler: requireAdmin,
      },
      async (request, reply) => {
        const { vaultId, groupId } = request.params
        await sharedVaultOf(vaultId, signedInUser(request).id)
        await changeGrant(request, vaultId, 'vault.unshared', async (trx) => {
          if (!(await deleteGrant(trx, vaultId, groupId))) {
            throw new AppError('not_found', 'the vault is not granted to that group')
          }
          return { groupId }
        })
        return reply.status(204).send(null)
      },
    )

    app.get(
      '/vault-grants/pending',
      {
        schema: {
          tags: ['vault'],
          summary:
            'Administrators: group members waiting for the key of a vault this administrator holds',
          response: { 200: PendingVaultGrants },
        },
        preHandler: requireAdmin,
      },
      async (request) => ({ pending: await pendingGrants(ctx.db, signedInUser(request).id) }),
    )

    app.post(
      '/vault-grants/seal',
      {
        schema: {
          tags: ['vault'],
          summary:
            'Administrators: store the vault key sealed to a waiting group member (once; a second seal changes nothing)',
          body: SealVaultGrantRequest,
          response: { 204: z.null() },
        },
        preHandler: requireAdmin,
      },
      async (request, reply) => {
        const { vaultId, userId, key, keyVersion } = request.body
        await sharedVaultOf(vaultId, signedInUser(request).id)
        const stored = await ctx.db.transaction().execute(async (trx) => {
          if (!(await holdsCurrentKey(trx, ctx.dialect, vaultId, keyVersion))) throw staleKey()
          const isStored = await storeGrantedKey(trx, ctx.dialect, {
            vaultId,
            userId,
            key: JSON.stringify(key),
          })
          // Who was given a vault key, and by whom: the grant alone gave nobody a key.
          if (isStored) {
            await recordAuditEvent(trx, {
              actorId: signedInUser(request).id,
              action: 'vault.key_sealed',
              targetId: vaultId,
              now: ctx.clock.now().getTime(),
              client: auditClient(request),
              details: { userId },
            })
          }
          return isStored
        })
        if (!stored) throw new AppError('not_found', 'no grant of this vault covers that user')
        await ctx.events.publish([userId], { type: 'vault.grants_changed', id: vaultId })
        return reply.status(204).send(null)
      },
    )

    app.get(
      '/vault-grants/waiting',
      {
        schema: {
          tags: ['vault'],
          summary:
            'Vaults granted to my groups whose key an administrator has not sealed to me yet',
          response: { 200: WaitingVaults },
        },
        preHandler: requireUser,
      },
      async (request) => ({ waiting: await waitingVaults(ctx.db, signedInUser(request).id) }),
    )
  }
}
