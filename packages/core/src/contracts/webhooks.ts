import { z } from 'zod'
import { Id, Timestamp } from './common.js'

/**
 * Webhooks (issue 12): endpoints administrators register to be told of audit events as they
 * happen. Deliveries follow the Standard Webhooks convention (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>`) and
 * carry the audit event's fields, never content.
 */

/** Event types one endpoint may subscribe to. */
export const WEBHOOK_EVENTS_MAX = 50

/** The type of the event `Send test event` delivers to one endpoint. */
export const WEBHOOK_TEST_EVENT = 'webhook.test'

/**
 * An audit action (`message.sent`), every action under a prefix (`message.*`), or `*` for all.
 */
export const WebhookEventType = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(
    /^(\*|[a-z0-9_-]+(\.[a-z0-9_-]+)*(\.\*)?)$/,
    'an audit action such as message.sent, a prefix such as message.*, or *',
  )

/** Subscribed event types; `*` anywhere (or none) means every event, stored as an empty list. */
export const WebhookEvents = z
  .array(WebhookEventType)
  .max(WEBHOOK_EVENTS_MAX)
  .transform((events) => (events.includes('*') ? [] : [...new Set(events)]))

/** Where deliveries go: an http(s) URL without credentials; the server checks its addresses. */
export const WebhookUrl = z
  .url({ protocol: /^https?$/, error: 'an http:// or https:// URL' })
  .max(2000)
  .refine((url) => {
    const parsed = new URL(url)
    return parsed.username === '' && parsed.password === ''
  }, 'no user name or password in the URL')

export const WebhookDescription = z.string().trim().max(500)

export const WebhookIdParams = z.object({ id: Id })
export const WebhookDeliveryParams = z.object({ id: Id, deliveryId: Id })

/** An endpoint as administrators see it; its secret is shown once, when it is created. */
export const Webhook = z.object({
  id: Id,
  url: z.string(),
  description: z.string(),
  /** Subscribed event types; empty means every event. */
  events: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type Webhook = z.infer<typeof Webhook>

export const WebhookList = z.object({ webhooks: z.array(Webhook) })
export type WebhookList = z.infer<typeof WebhookList>

export const CreateWebhookRequest = z.strictObject({
  url: WebhookUrl,
  events: WebhookEvents.default([]),
  description: WebhookDescription.default(''),
  enabled: z.boolean().default(true),
})
export type CreateWebhookRequest = z.input<typeof CreateWebhookRequest>

/**
 * The new endpoint and its signing secret: `whsec_` and the base64 of 24 random bytes. The
 * receiver verifies signatures with the bytes the base64 stands for.
 */
export const CreatedWebhook = Webhook.extend({
  secret: z.string().regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/),
})
export type CreatedWebhook = z.infer<typeof CreatedWebhook>

export const UpdateWebhookRequest = z
  .strictObject({
    url: WebhookUrl.optional(),
    events: WebhookEvents.optional(),
    description: WebhookDescription.optional(),
    enabled: z.boolean().optional(),
  })
  .refine(
    (update) => Object.values(update).some((value) => value !== undefined),
    'change something',
  )
export type UpdateWebhookRequest = z.input<typeof UpdateWebhookRequest>

/** pending until a 2xx answer (succeeded) or 24 hours of retries (failed). */
export const WebhookDeliveryStatus = z.enum(['pending', 'succeeded', 'failed'])
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatus>

/** One event on its way to one endpoint, with the outcome of its last attempt. */
export const WebhookDelivery = z.object({
  /** Also the `webhook-id` header: the same on every attempt and on redelivery. */
  id: Id,
  webhookId: Id,
  /** The audit action, or `webhook.test`. */
  type: z.string(),
  status: WebhookDeliveryStatus,
  attempts: z.number().int().min(0),
  /** When the next attempt is due; null once it succeeded or failed. */
  nextAttemptAt: Timestamp.nullable(),
  /** The endpoint's HTTP status on the last attempt; null when it gave none. */
  lastStatusCode: z.number().int().nullable(),
  /** Milliseconds the last attempt took. */
  lastResponseMs: z.number().int().nullable(),
  /** Why the last attempt failed (a status, a timeout, a refused address); null if it did not. */
  lastError: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type WebhookDelivery = z.infer<typeof WebhookDelivery>

export const WebhookDeliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

/** Newest first. */
export const WebhookDeliveryList = z.object({ deliveries: z.array(WebhookDelivery) })
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>
