import {
  REKEY_BODY_BYTES,
  RekeyVaultRequest,
  RekeyVaultResponse,
  VaultHistoryRows,
  VaultIdParams,
} from '@sealpost/core'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppContext } from '../../app-context.js'
import type { Db } from '../../db/database.js'
import { requireAdmin, requireUser, signedInUser } from '../../http/auth.js'
import { AppError } from '../../http/errors.js'
import { auditClient } from '../audit/client.js'
import { type AuditClient, recordAuditEvent } from '../audit/queries.js'
import { verifyStagedFiles } from '../uploads/staged-files.js'
import { deleteBlobs, findMembership, holdsCurrentKey } from '../vault/queries.js'
import { staleKey } from '../vault/routes.js'
import {
  bumpKeyVersion,
  clearDepartures,
  commitReplacementBlob,
  historyIds,
  itemRevisions,
  memberStatuses,
  removeMembers,
  replaceMemberKey,
  resealItem,
  resealRevision,
  vaultFiles,
  vaultHistory,
} from './queries.js'

const notFound = () => new AppError('not_found', 'no such vault')
const changed = (what: string) =>
  new AppError('vault_changed', `${what} changed while the vault was being re-keyed; try again`)

/** True when `listed` names exactly the members of `current`, each once. */
function sameSet(listed: string[], current: Iterable<string>): boolean {
  const want = new Set(current)
  return listed.length === want.size && listed.every((id) => want.has(id))
}

function refuseDuplicates(ids: string[], what: string) {
  if (new Set(ids).size !== ids.length) {
    throw new AppError('invalid_input', `${what} is listed twice`)
  }
}

/**
 * Re-keying a shared vault (issue 13). The administrator's device re-seals everything under a
 * new key and stages the re-sealed files first; one request then swaps it all in one
 * transaction, so an interrupted re-key leaves the vault as it was, under the old key.
 */
export function vaultRekeyRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const limits = {
    maxFileBytes: ctx.config.maxFileBytes,
    maxMessageBytes: ctx.config.maxMessageBytes,
  }

  async function swap(
    trx: Db,
    vaultId: string,
    adminId: string,
    body: RekeyVaultRequest,
    client: AuditClient,
  ) {
    const member = await findMembership(trx, vaultId, adminId)
    if (!member) throw notFound()
    if (member.kind !== 'shared') {
      throw new AppError('invalid_input', 'a user vault is sealed under its owner’s account key')
    }
    // Locks the vault's row (PostgreSQL) until commit: item, member and grant writes take the
    // same lock, so none of them passes the checks below unseen.
    if (!(await holdsCurrentKey(trx, ctx.dialect, vaultId, body.keyVersion))) throw staleKey()

    refuseDuplicates(
      body.items.map((i) => i.id),
      'an item',
    )
    refuseDuplicates(
      body.history.map((h) => h.id),
      'a revision',
    )
    refuseDuplicates(
      body.members.map((m) => m.userId),
      'a member',
    )
    const files = body.items.flatMap((i) => i.files)
    refuseDuplicates(
      files.flatMap((f) => [f.oldBlobId, f.newBlobId]),
      'a file',
    )

    const revisions = await itemRevisions(trx, vaultId)
    if (
      !sameSet(
        body.items.map((i) => i.id),
        revisions.keys(),
      ) ||
      body.items.some((i) => revisions.get(i.id) !== i.revision)
    ) {
      throw changed('an item')
    }
    if (
      !sameSet(
        body.history.map((h) => h.id),
        await historyIds(trx, vaultId),
      )
    ) {
      throw changed('an item’s history')
    }
    const statuses = await memberStatuses(trx, vaultId)
    const active = [...statuses].filter(([, isActive]) => isActive).map(([id]) => id)
    const inactive = [...statuses].filter(([, isActive]) => !isActive).map(([id]) => id)
    if (
      !sameSet(
        body.members.map((m) => m.userId),
        active,
      )
    ) {
      throw changed('the vault’s members')
    }
    const stored = await vaultFiles(trx, vaultId)
    for (const item of body.items) {
      const own = [...stored.values()].filter((f) => f.itemId === item.id).map((f) => f.id)
      if (
        !sameSet(
          item.files.map((f) => f.oldBlobId),
          own,
        )
      ) {
        throw new AppError('invalid_input', 'an item’s files do not match its stored files')
      }
      for (const file of item.files) {
        const old = stored.get(file.oldBlobId)
        if (old?.size !== file.size || old.chunkCount !== file.chunkCount) {
          throw new AppError('invalid_input', 'a re-sealed file differs in size from its original')
        }
        await verifyStagedFiles(
          trx,
          adminId,
          [{ blobId: file.newBlobId, size: file.size, chunkCount: file.chunkCount }],
          limits,
        )
      }
    }

    // Every statement below must change exactly its row: a miss means a write the vault's
    // lock did not hold off (a group change ending a membership), and the whole swap stops.
    if (
      !(await bumpKeyVersion(trx, { id: vaultId, name: body.name, fromVersion: body.keyVersion }))
    ) {
      throw staleKey()
    }
    for (const item of body.items) {
      if (!(await resealItem(trx, { vaultId, ...item }))) throw changed('an item')
    }
    for (const entry of body.history) {
      if (!(await resealRevision(trx, entry))) throw changed('an item’s history')
    }
    for (const m of body.members) {
      if (!(await replaceMemberKey(trx, { vaultId, userId: m.userId, key: m.key }))) {
        throw changed('the vault’s members')
      }
    }
    // A member whose account is not active cannot be sealed to (the directory has no key for
    // them); their access ends with the old key. Re-enabled, they are shared with again.
    await removeMembers(trx, vaultId, inactive)
    // Nobody who left holds the new key: the vault no longer needs re-keying.
    await clearDepartures(trx, vaultId)
    for (const file of files) {
      const old = stored.get(file.oldBlobId)
      if (!old) throw changed('a file')
      await commitReplacementBlob(trx, { old, newBlobId: file.newBlobId, stagedBy: adminId })
    }
    await deleteBlobs(
      trx,
      files.map((f) => f.oldBlobId),
    )
    const result = {
      keyVersion: body.keyVersion + 1,
      items: body.items.length,
      revisions: body.history.length,
      files: files.length,
      members: body.members.length,
      dropped: inactive.length,
    }
    await recordAuditEvent(trx, {
      actorId: adminId,
      action: 'vault.rekeyed',
      targetId: vaultId,
      now: ctx.clock.now().getTime(),
      client,
      details: result,
    })
    return result
  }

  return async (app) => {
    app.get(
      '/vaults/:vaultId/history',
      {
        schema: {
          tags: ['vault'],
          summary: 'Every stored revision of every item of a vault (sealed), for re-keying',
          params: VaultIdParams,
          response: { 200: VaultHistoryRows },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const { vaultId } = request.params
        if (!(await findMembership(ctx.db, vaultId, signedInUser(request).id))) throw notFound()
        return { entries: await vaultHistory(ctx.db, vaultId) }
      },
    )

    app.post(
      '/vaults/:vaultId/rekey',
      {
        schema: {
          tags: ['vault'],
          summary:
            'Administrators who are members: swap the vault’s key, every sealed item, revision and file, and every member’s key, in one transaction',
          params: VaultIdParams,
          body: RekeyVaultRequest,
          response: { 200: RekeyVaultResponse },
        },
        // Sealed payloads only: files come through the staged-upload route beforehand.
        bodyLimit: REKEY_BODY_BYTES,
        preHandler: requireAdmin,
      },
      async (request) => {
        const admin = signedInUser(request)
        const { vaultId } = request.params
        const result = await ctx.db
          .transaction()
          .execute((trx) => swap(trx, vaultId, admin.id, request.body, auditClient(request)))
        // Members' clients list their vaults again and so pick up the new key.
        const members = await memberStatuses(ctx.db, vaultId)
        await ctx.events.publish([...members.keys()], { type: 'vault.grants_changed', id: vaultId })
        return result
      },
    )
  }
}
