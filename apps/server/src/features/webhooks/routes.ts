import {
  CreatedWebhook,
  CreateWebhookRequest,
  UpdateWebhookRequest,
  Webhook,
  WEBHOOK_TEST_EVENT,
  WebhookDeliveriesQuery,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookDeliveryParams,
  WebhookIdParams,
  WebhookList,
} from '@sealpost/core'
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { AppContext } from '../../app-context.js'
import type { Db } from '../../db/database.js'
import { requireAdmin, signedInUser } from '../../http/auth.js'
import { AppError } from '../../http/errors.js'
import { newWebhookSecret } from '../../http/tokens.js'
import { auditClient } from '../audit/client.js'
import { recordAuditEvent } from '../audit/queries.js'
import { resolveTarget } from './addresses.js'
import {
  deleteWebhook,
  findDelivery,
  findWebhook,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  queueDelivery,
  redeliver,
  updateWebhook,
} from './queries.js'

const notFound = () => new AppError('not_found', 'no such webhook')
// Deliveries of a disabled endpoint wait until it is enabled again.
const disabled = () =>
  new AppError('webhook_disabled', 'the webhook is disabled: enable it to send events to it')

/**
 * Webhooks (issue 12) under /api/admin/webhooks, administrators only: endpoints told of audit
 * events, their deliveries, a test event and redelivery. Changes to endpoints are audited.
 */
export function webhookRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const audit = (db: Db, request: FastifyRequest, action: string, webhookId: string) =>
    recordAuditEvent(db, {
      client: auditClient(request),
      actorId: signedInUser(request).id,
      action,
      targetId: webhookId,
      now: ctx.clock.now().getTime(),
    })

  /** Refuses a URL whose host is, or resolves to, an address webhooks may not reach. */
  async function checkUrl(url: string): Promise<void> {
    const target = await resolveTarget(new URL(url), ctx.config.webhooksAllowPrivate)
    if (!target.ok) throw new AppError('invalid_input', `url: ${target.reason}`)
  }

  async function delivery(id: string, deliveryId: string): Promise<WebhookDelivery> {
    const found = await findDelivery(ctx.db, id, deliveryId)
    if (!found) throw new AppError('not_found', 'no such delivery')
    return found
  }

  async function existing(id: string): Promise<Webhook> {
    const webhook = await findWebhook(ctx.db, id)
    if (!webhook) throw notFound()
    return webhook
  }

  return async (app) => {
    app.get(
      '/admin/webhooks',
      {
        schema: {
          tags: ['webhooks'],
          summary: 'Every webhook endpoint, without its signing secret',
          response: { 200: WebhookList },
        },
        preHandler: requireAdmin,
      },
      async () => ({ webhooks: await listWebhooks(ctx.db) }),
    )

    app.post(
      '/admin/webhooks',
      {
        schema: {
          tags: ['webhooks'],
          summary:
            'Register an endpoint; the answer holds its signing secret, shown this once (audited)',
          body: CreateWebhookRequest,
          response: { 200: CreatedWebhook },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const { url, events, description, enabled } = request.body
        await checkUrl(url)
        const id = crypto.randomUUID()
        const secret = newWebhookSecret()
        await ctx.db.transaction().execute(async (trx) => {
          const now = ctx.clock.now().getTime()
          await insertWebhook(trx, { id, url, events, description, enabled, secret, now })
          await audit(trx, request, 'webhook.created', id)
        })
        return { ...(await existing(id)), secret }
      },
    )

    app.patch(
      '/admin/webhooks/:id',
      {
        schema: {
          tags: ['webhooks'],
          summary:
            'Change an endpoint’s URL, events or description, or enable or disable it (audited)',
          params: WebhookIdParams,
          body: UpdateWebhookRequest,
          response: { 200: Webhook },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const { id } = request.params
        if (request.body.url !== undefined) await checkUrl(request.body.url)
        await ctx.db.transaction().execute(async (trx) => {
          const updated = await updateWebhook(trx, id, request.body, ctx.clock.now().getTime())
          if (!updated) throw notFound()
          await audit(trx, request, 'webhook.updated', id)
        })
        return existing(id)
      },
    )

    app.delete(
      '/admin/webhooks/:id',
      {
        schema: {
          tags: ['webhooks'],
          summary: 'Delete an endpoint and its deliveries, sent or not (audited)',
          params: WebhookIdParams,
          response: { 204: z.null() },
        },
        preHandler: requireAdmin,
      },
      async (request, reply) => {
        const { id } = request.params
        await ctx.db.transaction().execute(async (trx) => {
          if (!(await deleteWebhook(trx, id))) throw notFound()
          await audit(trx, request, 'webhook.deleted', id)
        })
        return reply.status(204).send(null)
      },
    )

    app.get(
      '/admin/webhooks/:id/deliveries',
      {
        schema: {
          tags: ['webhooks'],
          summary:
            'An endpoint’s deliveries, newest first: status, attempts, last status code and response time',
          params: WebhookIdParams,
          querystring: WebhookDeliveriesQuery,
          response: { 200: WebhookDeliveryList },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const { id } = request.params
        await existing(id)
        return { deliveries: await listDeliveries(ctx.db, id, request.query.limit) }
      },
    )

    app.post(
      '/admin/webhooks/:id/test',
      {
        schema: {
          tags: ['webhooks'],
          summary: `Queue a ${WEBHOOK_TEST_EVENT} event to this endpoint only`,
          params: WebhookIdParams,
          response: { 200: WebhookDelivery },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const { id } = request.params
        if (!(await existing(id)).enabled) throw disabled()
        const user = signedInUser(request)
        const deliveryId = await queueDelivery(
          ctx.db,
          id,
          {
            id: crypto.randomUUID(),
            seq: null,
            action: WEBHOOK_TEST_EVENT,
            actorId: user.id,
            targetId: id,
            at: ctx.clock.now().getTime(),
          },
          user.username,
        )
        ctx.webhookWakeup.wake()
        return delivery(id, deliveryId)
      },
    )

    app.post(
      '/admin/webhooks/:id/deliveries/:deliveryId/redeliver',
      {
        schema: {
          tags: ['webhooks'],
          summary: 'Send a delivery again, with the same webhook-id, retrying for another 24 hours',
          params: WebhookDeliveryParams,
          response: { 200: WebhookDelivery },
        },
        preHandler: requireAdmin,
      },
      async (request) => {
        const { id, deliveryId } = request.params
        const now = ctx.clock.now().getTime()
        if (!(await redeliver(ctx.db, id, deliveryId, now))) {
          throw new AppError('not_found', 'no such delivery')
        }
        ctx.webhookWakeup.wake()
        return delivery(id, deliveryId)
      },
    )
  }
}
