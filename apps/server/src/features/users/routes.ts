import {
  Directory,
  InviteLookupRequest,
  InviteLookupResponse,
  InviteRegisterFinishRequest,
  InviteRegisterStartRequest,
  InviteRequest,
  InviteResponse,
  opaqueServer,
  OrgSettings,
  RegistrationStartResponse,
  SessionResponse,
  UpdateOrgSettings,
  UpdateUserRequest,
  UserIdParams,
  UserList,
  UserResponse,
  type User,
} from '@sealpost/core'
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppContext } from '../../app-context.js'
import { requireAdmin, requireUser, signedInUser } from '../../http/auth.js'
import { AppError, parseClientMessage } from '../../http/errors.js'
import { appOrigin } from '../../http/origin.js'
import { newToken, tokenHash } from '../../http/tokens.js'
import { deleteUserSessions } from '../auth/queries.js'
import { auditClient } from '../audit/client.js'
import { recordAuditEvent } from '../audit/queries.js'
import { openSession } from '../auth/sessions.js'
import { isTwoFactorRequired } from '../two-factor/queries.js'
import { savePolicies, userScope } from '../policies/queries.js'
import {
  activateAccount,
  countActiveAdmins,
  lockAdministrators,
  deleteInvites,
  findInvite,
  findUser,
  findUserByUsername,
  getOrgSettings,
  hasPassword,
  insertUser,
  listDirectory,
  listUsers,
  replaceInvite,
  saveOrgSettings,
  updateUser,
} from './queries.js'

const INVITE_TTL_MS = 7 * 24 * 3_600_000

const notFound = () => new AppError('not_found', 'no such user')
const badInvite = () =>
  new AppError(
    'invalid_invite',
    'this invite link has expired or was already used; ask for a new one',
  )

/** Admin routes under /api/admin; invite acceptance and the directory under /api. */
export function userRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  async function issueInvite(user: User, adminId: string, request: FastifyRequest) {
    const { token, hash } = newToken()
    const now = ctx.clock.now().getTime()
    const expiresAt = now + INVITE_TTL_MS
    await replaceInvite(ctx.db, {
      tokenHash: hash,
      userId: user.id,
      createdBy: adminId,
      now,
      expiresAt,
    })
    await recordAuditEvent(ctx.db, {
      client: auditClient(request),
      actorId: adminId,
      action: 'user.invited',
      targetId: user.id,
      now,
    })
    // The token rides in the fragment, so it never reaches server or proxy logs.
    return {
      user,
      inviteUrl: `${appOrigin(ctx.config, request)}/invite#${token}`,
      expiresAt: new Date(expiresAt).toISOString(),
    }
  }

  return async (app) => {
    app.get(
      '/admin/users',
      {
        schema: {
          tags: ['users'],
          summary: 'All users (administrators only)',
          response: { 200: UserList },
        },
        preHandler: requireAdmin,
      },
      async () => ({ users: await listUsers(ctx.db) }),
    )

    app.post(
      '/admin/users',
      {
        schema: {
          tags: ['users'],
          summary: 'Invite a user: returns a one-time link valid for 7 days',
          body: InviteRequest,
          response: { 200: InviteResponse },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const admin = signedInUser(request)
        const { username, email, displayName } = request.body
        if (await findUserByUsername(ctx.db, username)) {
          throw new AppError('username_taken', `the username ${username} is taken`)
        }
        const id = crypto.randomUUID()
        await insertUser(ctx.db, {
          id,
          username,
          displayName: displayName ?? username,
          email,
          role: 'member',
          status: 'invited',
          now: ctx.clock.now().getTime(),
        })
        const user = await findUser(ctx.db, id)
        if (!user) throw new Error('invited user vanished')
        return issueInvite(user, admin.id, request)
      },
    )

    app.post(
      '/admin/users/:id/invite',
      {
        schema: {
          tags: ['users'],
          summary:
            'A new invite link for a user who has not accepted yet (the old link stops working)',
          params: UserIdParams,
          response: { 200: InviteResponse },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const user = await findUser(ctx.db, request.params.id)
        if (!user) throw notFound()
        if (user.status !== 'invited') {
          throw new AppError('invalid_input', 'this user has already accepted their invite')
        }
        return issueInvite(user, signedInUser(request).id, request)
      },
    )

    app.patch(
      '/admin/users/:id',
      {
        schema: {
          tags: ['users'],
          summary:
            'Change role, permissions, or disable/enable (disabling ends their sessions at once)',
          params: UserIdParams,
          body: UpdateUserRequest,
          response: { 200: UserResponse },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const admin = signedInUser(request)
        const changes = request.body
        const now = ctx.clock.now().getTime()
        await ctx.db.transaction().execute(async (trx) => {
          await lockAdministrators(trx, ctx.dialect)
          const user = await findUser(trx, request.params.id)
          if (!user) throw notFound()
          const losesAdmin =
            user.role === 'admin' &&
            user.status === 'active' &&
            (changes.role === 'member' || changes.status === 'disabled')
          if (losesAdmin && (await countActiveAdmins(trx)) <= 1) {
            throw new AppError(
              'last_administrator',
              'the organisation needs at least one active administrator',
            )
          }
          // Enabling someone who never chose a password puts them back to "invited".
          const status =
            changes.status === 'active' && !(await hasPassword(trx, user.id))
              ? 'invited'
              : changes.status
          await updateUser(trx, user.id, { role: changes.role, status }, now)
          // The permission switches are this user's overrides of the matching policy keys.
          await savePolicies(
            trx,
            userScope(user.id),
            {
              canSendMessages: changes.canSendMessages,
              canSendAttachments: changes.canSendAttachments,
              canCreateLinks: changes.canCreateLinks,
              canRequestSecrets: changes.canRequestSecrets,
            },
            now,
          )
          if (changes.status === 'disabled') {
            await deleteUserSessions(trx, user.id)
            await deleteInvites(trx, user.id)
          }
          // What changed, as given: a role, a status, the permission switches.
          const changed = Object.entries(changes).filter(([, value]) => value !== undefined)
          await recordAuditEvent(trx, {
            client: auditClient(request),
            actorId: admin.id,
            action: changes.status === 'disabled' ? 'user.disabled' : 'user.updated',
            targetId: user.id,
            now,
            details: Object.fromEntries(changed),
          })
        })
        if (changes.status === 'disabled') {
          await ctx.events.publish([request.params.id], { type: 'sessions.ended' })
        } else {
          // Their open tabs fetch the session again: compose follows the new permissions.
          await ctx.events.publish([request.params.id], {
            type: 'account.changed',
            id: request.params.id,
          })
        }
        const user = await findUser(ctx.db, request.params.id)
        if (!user) throw notFound()
        return { user }
      },
    )

    app.get(
      '/admin/settings',
      {
        schema: {
          tags: ['users'],
          summary: 'Organisation defaults for new users',
          response: { 200: OrgSettings },
        },
        preHandler: requireAdmin,
      },
      async () => getOrgSettings(ctx.db),
    )

    app.put(
      '/admin/settings',
      {
        schema: {
          tags: ['users'],
          summary: 'Change organisation defaults for new users',
          body: UpdateOrgSettings,
          response: { 200: OrgSettings },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const now = ctx.clock.now().getTime()
        await ctx.db.transaction().execute(async (trx) => {
          await saveOrgSettings(trx, request.body, now)
          await recordAuditEvent(trx, {
            client: auditClient(request),
            actorId: signedInUser(request).id,
            action: 'settings.updated',
            targetId: null,
            now,
          })
        })
        return getOrgSettings(ctx.db)
      },
    )

    app.get(
      '/users',
      {
        schema: {
          tags: ['users'],
          summary: 'Active users and their public keys (for choosing recipients)',
          response: { 200: Directory },
        },
        preHandler: requireUser,
      },
      async () => ({ users: await listDirectory(ctx.db) }),
    )

    app.post(
      '/invites/lookup',
      {
        schema: {
          tags: ['invites'],
          summary: 'Who an invite link is for',
          body: InviteLookupRequest,
          response: { 200: InviteLookupResponse },
        },
      },
      async (request) => {
        const invite = await findInvite(
          ctx.db,
          tokenHash(request.body.token),
          ctx.clock.now().getTime(),
        )
        if (!invite) throw badInvite()
        return {
          username: invite.username,
          displayName: invite.displayName,
          email: invite.email,
          expiresAt: new Date(invite.expiresAt).toISOString(),
        }
      },
    )

    app.post(
      '/invites/register/start',
      {
        schema: {
          tags: ['invites'],
          summary: 'Accept an invite, step 1: OPAQUE registration response',
          body: InviteRegisterStartRequest,
          response: { 200: RegistrationStartResponse },
        },
      },
      async (request) => {
        const invite = await findInvite(
          ctx.db,
          tokenHash(request.body.token),
          ctx.clock.now().getTime(),
        )
        if (!invite) throw badInvite()
        return {
          registrationResponse: parseClientMessage(request.log, 'registration request', () =>
            opaqueServer.createRegistrationResponse({
              serverSetup: ctx.opaqueServerSetup,
              userIdentifier: invite.username,
              registrationRequest: request.body.registrationRequest,
            }),
          ),
        }
      },
    )

    app.post(
      '/invites/register/finish',
      {
        schema: {
          tags: ['invites'],
          summary: 'Accept an invite, step 2: store the OPAQUE record and wrapped keys, sign in',
          body: InviteRegisterFinishRequest,
          response: { 200: SessionResponse },
        },
      },
      async (request, reply) => {
        const now = ctx.clock.now().getTime()
        const body = request.body
        const userId = await ctx.db.transaction().execute(async (trx) => {
          const invite = await findInvite(trx, tokenHash(body.token), now)
          if (!invite) throw badInvite()
          // Deleting the invite first makes the link single-use even under a race.
          if ((await deleteInvites(trx, invite.userId)) === 0) throw badInvite()
          await activateAccount(trx, {
            userId: invite.userId,
            displayName: body.displayName,
            opaqueRecord: body.registrationRecord,
            keys: body.keys,
            now,
          })
          await recordAuditEvent(trx, {
            client: auditClient(request),
            actorId: invite.userId,
            action: 'invite.accepted',
            targetId: invite.userId,
            now,
          })
          return invite.userId
        })
        return openSession(ctx, reply, userId, {
          needsTwoFactor: await isTwoFactorRequired(ctx.db, userId),
        })
      },
    )
  }
}
