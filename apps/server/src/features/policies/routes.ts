import {
  EffectivePolicy,
  OrgPolicyResponse,
  PolicySettings,
  resolvePolicy,
  UserIdParams,
  UserPolicyResponse,
  PolicyUpdate,
} from '@sealpost/core'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppContext } from '../../app-context.js'
import { requireAdmin, requireUser, signedInUser } from '../../http/auth.js'
import { AppError } from '../../http/errors.js'
import { auditClient } from '../audit/client.js'
import { recordAuditEvent } from '../audit/queries.js'
import { findUser } from '../users/queries.js'
import {
  effectivePolicy,
  ORG_SCOPE,
  orgPolicySettings,
  savePolicies,
  userPolicySettings,
  userScope,
} from './queries.js'

const notFound = () => new AppError('not_found', 'no such user')

/** Policies (issue 13): the organisation's values, a user's overrides, everyone's own policy. */
export function policyRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  async function orgPolicy() {
    const settings = await orgPolicySettings(ctx.db)
    return { settings, effective: resolvePolicy({ org: settings }) }
  }

  async function userPolicy(userId: string) {
    const [overrides, effective] = await Promise.all([
      userPolicySettings(ctx.db, userId),
      effectivePolicy(ctx.db, userId),
    ])
    return { userId, overrides, effective }
  }

  return async (app) => {
    app.get(
      '/admin/policy',
      {
        schema: {
          tags: ['policies'],
          summary: 'The organisation’s policy values, and what a user without overrides gets',
          response: { 200: OrgPolicyResponse },
        },
        preHandler: requireAdmin,
      },
      async () => orgPolicy(),
    )

    app.put(
      '/admin/policy',
      {
        schema: {
          tags: ['policies'],
          summary: 'Set some of the organisation’s policy values; keys not given stay (audited)',
          body: PolicySettings,
          response: { 200: OrgPolicyResponse },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const now = ctx.clock.now().getTime()
        await ctx.db.transaction().execute(async (trx) => {
          await savePolicies(trx, ORG_SCOPE, request.body, now)
          await recordAuditEvent(trx, {
            client: auditClient(request),
            actorId: signedInUser(request).id,
            action: 'policy.updated',
            targetId: null,
            now,
          })
        })
        return orgPolicy()
      },
    )

    app.get(
      '/admin/users/:id/policy',
      {
        schema: {
          tags: ['policies'],
          summary: 'A user’s overrides and effective policy, each value with its source',
          params: UserIdParams,
          response: { 200: UserPolicyResponse },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        if (!(await findUser(ctx.db, request.params.id))) throw notFound()
        return userPolicy(request.params.id)
      },
    )

    app.put(
      '/admin/users/:id/policy',
      {
        schema: {
          tags: ['policies'],
          summary:
            'Set a user’s overrides: a value overrides the key for this user, null removes the override (audited)',
          params: UserIdParams,
          body: PolicyUpdate,
          response: { 200: UserPolicyResponse },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const userId = request.params.id
        const now = ctx.clock.now().getTime()
        await ctx.db.transaction().execute(async (trx) => {
          if (!(await findUser(trx, userId))) throw notFound()
          await savePolicies(trx, userScope(userId), request.body, now)
          await recordAuditEvent(trx, {
            client: auditClient(request),
            actorId: signedInUser(request).id,
            action: 'policy.updated',
            targetId: userId,
            now,
          })
        })
        // Their open tabs fetch the session again and follow the new policy.
        await ctx.events.publish([userId], { type: 'account.changed', id: userId })
        return userPolicy(userId)
      },
    )

    app.get(
      '/account/policy',
      {
        schema: {
          tags: ['account'],
          summary:
            'My effective policy, each value with its source: what to offer, explain or preset (defaultExpiry)',
          response: { 200: EffectivePolicy },
        },
        preHandler: requireUser,
      },
      async (request) => effectivePolicy(ctx.db, signedInUser(request).id),
    )
  }
}
