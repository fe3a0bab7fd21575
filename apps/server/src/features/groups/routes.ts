import {
  CreateGroupRequest,
  GroupDetail,
  GroupIdParams,
  GroupList,
  GroupMembersUpdate,
  GroupPolicyResponse,
  RenameGroupRequest,
  PolicyUpdate,
} from '@sealpost/core'
import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppContext } from '../../app-context.js'
import type { Db } from '../../db/database.js'
import { requireAdmin, requireUser, signedInUser } from '../../http/auth.js'
import { AppError } from '../../http/errors.js'
import { auditClient } from '../audit/client.js'
import { recordAuditEvent } from '../audit/queries.js'
import { groupPolicySettings, savePolicies } from '../policies/queries.js'
import {
  changeMembers,
  deleteGroup,
  findGroup,
  groupExists,
  groupScope,
  insertGroup,
  listGroups,
  memberIds,
  renameGroup,
  unknownUserIds,
} from './queries.js'
import { grantedVaultIds, settleGroupAccess } from '../vault-grants/queries.js'
import { tellOfGrantChange } from '../vault-grants/tell.js'

const notFound = () => new AppError('not_found', 'no such group')
const nameTaken = (name: string) =>
  new AppError('group_exists', `a group named ${name} exists (names ignore case)`)

/**
 * Groups (issue 13): administrators create, rename and delete them and manage their members
 * and policy values; every member of the organisation lists them and their active members,
 * which is what a message to a group is sealed to.
 */
export function groupRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  /** Records what an administrator did to a group, in the caller's transaction. */
  const audit = (db: Db, request: FastifyRequest, action: string, groupId: string) =>
    recordAuditEvent(db, {
      client: auditClient(request),
      actorId: signedInUser(request).id,
      action,
      targetId: groupId,
      now: ctx.clock.now().getTime(),
    })

  /** Whose effective policy just changed: their open tabs fetch the session again. */
  const tellMembers = (userIds: string[]) =>
    Promise.all(userIds.map((id) => ctx.events.publish([id], { type: 'account.changed', id })))

  async function adminGroup(id: string): Promise<GroupDetail> {
    const group = await findGroup(ctx.db, id, { activeOnly: false })
    if (!group) throw notFound()
    return group
  }

  return async (app) => {
    app.get(
      '/groups',
      {
        schema: {
          tags: ['groups'],
          summary: 'Every group with its number of active members',
          response: { 200: GroupList },
        },
        preHandler: requireUser,
      },
      async () => ({ groups: await listGroups(ctx.db) }),
    )

    app.get(
      '/groups/:id',
      {
        schema: {
          tags: ['groups'],
          summary: 'A group’s active members: whom a message to the group is sealed to',
          params: GroupIdParams,
          response: { 200: GroupDetail },
        },
        preHandler: requireUser,
      },
      async (request) => {
        const group = await findGroup(ctx.db, request.params.id, { activeOnly: true })
        if (!group) throw notFound()
        return group
      },
    )

    app.get(
      '/admin/groups/:id',
      {
        schema: {
          tags: ['groups'],
          summary: 'A group with every member, invited and disabled ones included',
          params: GroupIdParams,
          response: { 200: GroupDetail },
        },
        preHandler: requireAdmin,
      },
      async (request) => adminGroup(request.params.id),
    )

    app.post(
      '/admin/groups',
      {
        schema: {
          tags: ['groups'],
          summary: 'Create a group (audited)',
          body: CreateGroupRequest,
          response: { 200: GroupDetail },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const id = crypto.randomUUID()
        const { name } = request.body
        await ctx.db.transaction().execute(async (trx) => {
          const created = await insertGroup(trx, { id, name, now: ctx.clock.now().getTime() })
          if (!created) throw nameTaken(name)
          await audit(trx, request, 'group.created', id)
        })
        return adminGroup(id)
      },
    )

    app.patch(
      '/admin/groups/:id',
      {
        schema: {
          tags: ['groups'],
          summary: 'Rename a group (audited)',
          params: GroupIdParams,
          body: RenameGroupRequest,
          response: { 200: GroupDetail },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const { id } = request.params
        const { name } = request.body
        await ctx.db.transaction().execute(async (trx) => {
          const outcome = await renameGroup(trx, id, name)
          if (outcome === 'missing') throw notFound()
          if (outcome === 'taken') throw nameTaken(name)
          await audit(trx, request, 'group.renamed', id)
        })
        // Policy sources name the group.
        await tellMembers(await memberIds(ctx.db, id))
        return adminGroup(id)
      },
    )

    app.delete(
      '/admin/groups/:id',
      {
        schema: {
          tags: ['groups'],
          summary: 'Delete a group, its memberships and its policy values (audited)',
          params: GroupIdParams,
          response: { 204: z.null() },
        },
        preHandler: requireAdmin,
      },
      async (request, reply) => {
        const { id } = request.params
        const { members, vaults } = await ctx.db.transaction().execute(async (trx) => {
          const granted = await grantedVaultIds(trx, id)
          const deleted = await deleteGroup(trx, id)
          if (!deleted) throw notFound()
          await audit(trx, request, 'group.deleted', id)
          // Its grants went with it: so does the access they alone gave.
          await settleGroupAccess(trx, ctx.dialect, { userIds: deleted }, ctx.clock.now().getTime())
          return { members: deleted, vaults: granted }
        })
        await tellMembers(members)
        await tellOfGrantChange(ctx, vaults, members)
        return reply.status(204).send(null)
      },
    )

    app.post(
      '/admin/groups/:id/members',
      {
        schema: {
          tags: ['groups'],
          summary: `Add and remove members by user id, up to 1,000 of each (audited)`,
          params: GroupIdParams,
          body: GroupMembersUpdate,
          response: { 200: GroupDetail },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const { id } = request.params
        const { add, remove } = request.body
        const vaults = await ctx.db.transaction().execute(async (trx) => {
          if (!(await groupExists(trx, id))) throw notFound()
          const unknown = await unknownUserIds(trx, add)
          if (unknown.length > 0) {
            throw new AppError('invalid_input', `add: no user with id ${unknown.join(', ')}`)
          }
          await changeMembers(trx, id, { add, remove, now: ctx.clock.now().getTime() })
          await audit(trx, request, 'group.members_changed', id)
          // Leaving the group ends the vaults it alone gave, in the same transaction.
          await settleGroupAccess(
            trx,
            ctx.dialect,
            { userIds: [...add, ...remove] },
            ctx.clock.now().getTime(),
          )
          return grantedVaultIds(trx, id)
        })
        const changed = [...new Set([...add, ...remove])]
        await tellMembers(changed)
        await tellOfGrantChange(ctx, vaults, changed)
        return adminGroup(id)
      },
    )

    app.get(
      '/admin/groups/:id/policy',
      {
        schema: {
          tags: ['policies'],
          summary: 'The policy values set for a group',
          params: GroupIdParams,
          response: { 200: GroupPolicyResponse },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const { id } = request.params
        if (!(await groupExists(ctx.db, id))) throw notFound()
        return { groupId: id, settings: await groupPolicySettings(ctx.db, id) }
      },
    )

    app.put(
      '/admin/groups/:id/policy',
      {
        schema: {
          tags: ['policies'],
          summary:
            'Set a group’s policy values: a value sets the key for the group, null removes it (audited)',
          params: GroupIdParams,
          body: PolicyUpdate,
          response: { 200: GroupPolicyResponse },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const { id } = request.params
        const members = await ctx.db.transaction().execute(async (trx) => {
          if (!(await groupExists(trx, id))) throw notFound()
          await savePolicies(trx, groupScope(id), request.body, ctx.clock.now().getTime())
          await audit(trx, request, 'policy.updated', id)
          return memberIds(trx, id)
        })
        await tellMembers(members)
        return { groupId: id, settings: await groupPolicySettings(ctx.db, id) }
      },
    )
  }
}
