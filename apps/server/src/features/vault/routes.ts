import {
  CreateItemsRequest,
  CreateVaultRequest,
  ItemHistory,
  PutItemRequest,
  PutVaultMemberRequest,
  VaultChunkParams,
  VaultIdParams,
  VaultItem,
  VaultItemParams,
  VaultItems,
  VaultList,
  VaultMemberParams,
  VaultMembers,
  VAULT_MAX_DEPTH,
} from '@sealpost/core'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../app-context.js'
import { requireAdmin, requireUser, signedInUser } from '../../http/auth.js'
import { AppError } from '../../http/errors.js'
import { auditClient } from '../audit/client.js'
import { recordAuditEvent } from '../audit/queries.js'
import { activeUserIds } from '../users/queries.js'
import { grantingGroups, lockVault } from '../vault-grants/queries.js'
import { commitStagedBlob, vaultBytesOf } from '../uploads/queries.js'
import { quotaExceeded, verifyStagedFiles } from '../uploads/staged-files.js'
import {
  ancestorIds,
  createSharedVault,
  deleteBlobs,
  deleteSubtree,
  findItem,
  findItemChunk,
  findMembership,
  getItem,
  holdsCurrentKey,
  insertItem,
  insertItems,
  itemBlobIds,
  itemDepths,
  itemExistsAnywhere,
  itemHistory,
  listItems,
  listDepartures,
  listMembers,
  listVaults,
  recordDepartures,
  removeMember,
  subtree,
  takenItemIds,
  updateItem,
  upsertMember,
} from './queries.js'
import type { Db } from '../../db/database.js'

const notFound = () => new AppError('not_found', 'no such vault or item')

/** What a device that opened the vault before its last re-key gets when it writes. */
export const staleKey = () =>
  new AppError('stale_key', 'this vault was re-keyed since you opened it; open it again')

export function vaultRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const limits = {
    maxFileBytes: ctx.config.maxFileBytes,
    maxMessageBytes: ctx.config.maxMessageBytes,
  }

  /** The caller's membership; 404 when they are not a member (never 403 for someone else's vault). */
  async function membership(db: Db, vaultId: string, userId: string, write: boolean) {
    const member = await findMembership(db, vaultId, userId)
    if (!member) throw notFound()
    if (write && member.canWrite !== 1) {
      throw new AppError('forbidden', 'you can only read this vault')
    }
    return member
  }

  const tooDeep = () =>
    new AppError('invalid_input', `items nest at most ${VAULT_MAX_DEPTH} levels deep`)

  /** Folders hold folders and entries; entries hold sub-entries only. */
  function checkKinds(parentKind: 'folder' | 'entry', kind: 'folder' | 'entry') {
    if (parentKind === 'entry' && kind === 'folder') {
      throw new AppError('invalid_input', 'a folder cannot be inside an entry')
    }
  }

  /** Checks where one item goes: an existing parent, not inside itself, not too deep. */
  async function checkParent(
    db: Db,
    vaultId: string,
    item: { id: string; kind: 'folder' | 'entry'; parentId: string | null; exists: boolean },
  ) {
    if (item.parentId === null) return
    const parent = await findItem(db, vaultId, item.parentId)
    if (!parent) throw new AppError('invalid_input', 'the parent is not in this vault')
    checkKinds(parent.kind, item.kind)
    const chain = await ancestorIds(db, vaultId, item.parentId, VAULT_MAX_DEPTH + 1)
    if (chain.includes(item.id)) {
      throw new AppError('invalid_input', 'an item cannot be moved inside itself')
    }
    const below = item.exists
      ? Math.max(...(await subtree(db, vaultId, item.id)).map((r) => r.depth))
      : 0
    if (chain.length + 1 + below > VAULT_MAX_DEPTH) throw tooDeep()
  }

  /**
   * Checks a batch of new items in memory: new ids cannot form a cycle, so only the parents
   * outside the batch are looked up (in one query per 500) for their kind and depth.
   */
  async function checkNewItems(db: Db, vaultId: string, items: CreateItemsRequest['items']) {
    const ids = items.map((i) => i.id)
    if (new Set(ids).size !== ids.length) {
      throw new AppError('invalid_input', 'an item is listed twice')
    }
    if ((await takenItemIds(db, ids)).length > 0) {
      throw new AppError('item_exists', 'an item with this id exists')
    }
    const inBatch = new Set(ids)
    const outside = [
      ...new Set(
        items.flatMap((i) => (i.parentId && !inBatch.has(i.parentId) ? [i.parentId] : [])),
      ),
    ]
    const placed = await itemDepths(db, vaultId, outside, VAULT_MAX_DEPTH + 1)
    for (const item of items) {
      let depth = 1
      if (item.parentId !== null) {
        const parent = placed.get(item.parentId)
        if (!parent) {
          throw new AppError(
            'invalid_input',
            'a parent is not in this vault or comes after its child',
          )
        }
        checkKinds(parent.kind, item.kind)
        depth = parent.depth + 1
      }
      if (depth > VAULT_MAX_DEPTH) throw tooDeep()
      placed.set(item.id, { kind: item.kind, depth })
    }
  }

  /** Commits newly staged files and drops files no longer listed. */
  async function syncFiles(
    trx: Db,
    itemId: string,
    ownerId: string,
    files: z.infer<typeof PutItemRequest>['files'],
    now: number,
  ) {
    const existing = new Set(await itemBlobIds(trx, itemId))
    const fresh = files.filter((f) => !existing.has(f.blobId))
    const adding = await verifyStagedFiles(trx, ownerId, fresh, limits)
    if (adding > 0 && (await vaultBytesOf(trx, ownerId)) + adding > ctx.config.userQuotaBytes) {
      throw quotaExceeded(ctx.config.userQuotaBytes)
    }
    for (const file of fresh) {
      await commitStagedBlob(trx, { ...file, ownerId, messageId: null, linkId: null, itemId, now })
    }
    const keep = new Set(files.map((f) => f.blobId))
    await deleteBlobs(
      trx,
      [...existing].filter((id) => !keep.has(id)),
    )
  }

  return async (app) => {
    app.get(
      '/vaults',
      {
        schema: {
          tags: ['vault'],
          summary: 'Vaults I belong to, with my wrapped key for each',
          response: { 200: VaultList },
        },
        preHandler: requireUser,
      },
      async (request) => ({ vaults: await listVaults(ctx.db, signedInUser(request).id) }),
    )

    app.post(
      '/vaults',
      {
        schema: {
          tags: ['vault'],
          summary: 'Create a shared vault (administrators)',
          body: CreateVaultRequest,
          response: { 200: z.object({ id: z.uuid() }) },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const user = signedInUser(request)
        const body = request.body
        if (await findMembership(ctx.db, body.id, user.id)) return { id: body.id }
        await ctx.db.transaction().execute((trx) =>
          createSharedVault(trx, {
            id: body.id,
            name: body.name,
            creatorId: user.id,
            key: body.key,
            now: ctx.clock.now().getTime(),
          }),
        )
        return { id: body.id }
      },
    )

    app.get(
      '/vaults/:vaultId/members',
      {
        schema: {
          tags: ['vault'],
          summary: 'Members of a vault',
          params: VaultIdParams,
          response: { 200: VaultMembers },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const { vaultId } = request.params
        await membership(ctx.db, vaultId, signedInUser(request).id, false)
        const [members, departed] = await Promise.all([
          listMembers(ctx.db, vaultId),
          listDepartures(ctx.db, vaultId),
        ])
        return { members, departed }
      },
    )

    app.put(
      '/vaults/:vaultId/members/:userId',
      {
        schema: {
          tags: ['vault'],
          summary:
            'Add a member to a shared vault or change their access (administrators who hold the key)',
          params: VaultMemberParams,
          body: PutVaultMemberRequest,
          response: { 204: z.null() },
        },
        preHandler: requireAdmin,
      },
      async (request, reply) => {
        const { vaultId, userId } = request.params
        const member = await membership(ctx.db, vaultId, signedInUser(request).id, false)
        if (member.kind !== 'shared') {
          throw new AppError('invalid_input', 'a user vault cannot be shared')
        }
        if ((await activeUserIds(ctx.db, [userId])).size !== 1) {
          throw new AppError('not_found', 'no such user')
        }
        await ctx.db.transaction().execute(async (trx) => {
          if (!(await holdsCurrentKey(trx, ctx.dialect, vaultId, request.body.keyVersion))) {
            throw staleKey()
          }
          await upsertMember(trx, { vaultId, userId, ...request.body })
          await recordAuditEvent(trx, {
            actorId: signedInUser(request).id,
            action: 'vault.shared',
            targetId: vaultId,
            now: ctx.clock.now().getTime(),
            client: auditClient(request),
            details: { userId, canWrite: request.body.canWrite },
          })
        })
        return reply.status(204).send(null)
      },
    )

    app.delete(
      '/vaults/:vaultId/members/:userId',
      {
        schema: {
          tags: ['vault'],
          summary: 'Remove a member (their access ends at once; keys are not rotated)',
          params: VaultMemberParams,
          response: { 204: z.null() },
        },
        preHandler: requireAdmin,
      },
      async (request, reply) => {
        const { vaultId, userId } = request.params
        const member = await membership(ctx.db, vaultId, signedInUser(request).id, false)
        if (member.kind !== 'shared') {
          throw new AppError('invalid_input', 'a user vault has no other members')
        }
        await ctx.db.transaction().execute(async (trx) => {
          // Under the vault's lock, as grants change: a grant made meanwhile is seen here.
          await lockVault(trx, ctx.dialect, vaultId)
          const groups = await grantingGroups(trx, vaultId, userId)
          if (groups.length > 0) {
            throw new AppError(
              'granted_by_group',
              `they have this vault through ${groups.join(', ')}: remove them from the group or end its grant`,
            )
          }
          if ((await removeMember(trx, vaultId, userId)) === 0) {
            throw new AppError('not_found', 'no such member')
          }
          await recordDepartures(trx, [{ vaultId, userId }], ctx.clock.now().getTime())
          await recordAuditEvent(trx, {
            actorId: signedInUser(request).id,
            action: 'vault.unshared',
            targetId: vaultId,
            now: ctx.clock.now().getTime(),
            client: auditClient(request),
            details: { userId },
          })
        })
        return reply.status(204).send(null)
      },
    )

    app.get(
      '/vaults/:vaultId/items',
      {
        schema: {
          tags: ['vault'],
          summary: 'Every item of a vault (sealed), to build the tree',
          params: VaultIdParams,
          response: { 200: VaultItems },
        },
        preHandler: requireUser,
      },
      async (request) => {
        await membership(ctx.db, request.params.vaultId, signedInUser(request).id, false)
        return { items: await listItems(ctx.db, request.params.vaultId) }
      },
    )

    app.put(
      '/vaults/:vaultId/items/:itemId',
      {
        schema: {
          tags: ['vault'],
          summary:
            'Create (baseRevision 0) or change an item; keeps its history; a stale baseRevision answers 409',
          params: VaultItemParams,
          body: PutItemRequest,
          response: { 200: VaultItem },
        },
        bodyLimit: 2 * 1024 * 1024,
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const { vaultId, itemId } = request.params
        const body = request.body
        const now = ctx.clock.now().getTime()
        await ctx.db.transaction().execute(async (trx) => {
          await membership(trx, vaultId, user.id, true)
          if (!(await holdsCurrentKey(trx, ctx.dialect, vaultId, body.keyVersion))) {
            throw staleKey()
          }
          const current = await findItem(trx, vaultId, itemId)
          if (!current && body.baseRevision !== 0) throw notFound()
          if (!current && (await itemExistsAnywhere(trx, itemId))) throw notFound()
          if (current && current.kind !== body.kind) {
            throw new AppError('invalid_input', 'an item cannot change kind')
          }
          const moved = current !== undefined && current.parent_id !== body.parentId
          if (!current || moved) {
            await checkParent(trx, vaultId, {
              id: itemId,
              kind: body.kind,
              parentId: body.parentId,
              exists: current !== undefined,
            })
          }
          if (current) {
            const ok = await updateItem(trx, {
              id: itemId,
              vaultId,
              parentId: body.parentId,
              payload: body.payload,
              baseRevision: body.baseRevision,
              actorId: user.id,
              moved,
              now,
            })
            if (!ok) {
              throw new AppError('stale_revision', 'someone changed this item meanwhile; reload it')
            }
          } else {
            await insertItem(trx, {
              id: itemId,
              vaultId,
              parentId: body.parentId,
              kind: body.kind,
              payload: body.payload,
              actorId: user.id,
              now,
            })
          }
          await syncFiles(trx, itemId, user.id, body.files, now)
        })
        const item = await getItem(ctx.db, vaultId, itemId)
        if (!item) throw notFound()
        return item
      },
    )

    app.post(
      '/vaults/:vaultId/items',
      {
        schema: {
          tags: ['vault'],
          summary:
            'Create many items in one transaction (Save in vault); parents come before children',
          params: VaultIdParams,
          body: CreateItemsRequest,
          response: { 200: z.object({ created: z.number().int() }) },
        },
        bodyLimit: 32 * 1024 * 1024,
        preHandler: requireUser,
      },
      async (request) => {
        const user = signedInUser(request)
        const { vaultId } = request.params
        const now = ctx.clock.now().getTime()
        await ctx.db.transaction().execute(async (trx) => {
          await membership(trx, vaultId, user.id, true)
          if (!(await holdsCurrentKey(trx, ctx.dialect, vaultId, request.body.keyVersion))) {
            throw staleKey()
          }
          const items = request.body.items
          await checkNewItems(trx, vaultId, items)
          await insertItems(
            trx,
            items.map((item) => ({ ...item, vaultId, actorId: user.id, now })),
          )
          for (const item of items) {
            if (item.files.length > 0) await syncFiles(trx, item.id, user.id, item.files, now)
          }
        })
        return { created: request.body.items.length }
      },
    )

    app.delete(
      '/vaults/:vaultId/items/:itemId',
      {
        schema: {
          tags: ['vault'],
          summary: 'Delete an item with everything below it',
          params: VaultItemParams,
          response: { 200: z.object({ deleted: z.number().int() }) },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const { vaultId, itemId } = request.params
        const deleted = await ctx.db.transaction().execute(async (trx) => {
          await membership(trx, vaultId, signedInUser(request).id, true)
          // Under the vault's lock like every other item write: a re-key in flight sees the
          // deletion whole, or finishes before it (deleting needs no key).
          await lockVault(trx, ctx.dialect, vaultId)
          if (!(await findItem(trx, vaultId, itemId))) throw notFound()
          return deleteSubtree(trx, vaultId, itemId)
        })
        return { deleted }
      },
    )

    app.get(
      '/vaults/:vaultId/items/:itemId/history',
      {
        schema: {
          tags: ['vault'],
          summary: 'Who changed the item, when, and its earlier sealed revisions',
          params: VaultItemParams,
          response: { 200: ItemHistory },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const { vaultId, itemId } = request.params
        await membership(ctx.db, vaultId, signedInUser(request).id, false)
        if (!(await findItem(ctx.db, vaultId, itemId))) throw notFound()
        return { entries: await itemHistory(ctx.db, itemId) }
      },
    )

    app.get(
      '/vaults/:vaultId/items/:itemId/files/:blobId/chunks/:index',
      {
        schema: {
          tags: ['vault'],
          summary: 'One sealed chunk of an item file',
          params: VaultChunkParams,
        },
        preHandler: requireUser,
      },
      async (request, reply) => {
        const { vaultId, itemId, blobId, index } = request.params
        await membership(ctx.db, vaultId, signedInUser(request).id, false)
        if (!(await findItem(ctx.db, vaultId, itemId))) throw notFound()
        const chunk = await findItemChunk(ctx.db, itemId, blobId, index)
        if (!chunk) throw notFound()
        return reply
          .header('content-type', 'application/octet-stream')
          .header('cache-control', 'private, no-store')
          .send(Buffer.from(chunk.bytes))
      },
    )
  }
}
