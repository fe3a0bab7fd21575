import type { Webhook, WebhookDelivery } from '@sealpost/core'
import type { Db, Dialect } from '../../db/database.js'
import type { WebhookDeliveriesTable } from '../../db/schema.js'
import { deliveryBody, subscribes, type WebhookEvent } from './events.js'

/** How long deliveries are retried after they are queued (or redelivered). */
export const RETRY_FOR_MS = 24 * 3_600_000

/** Wait before attempt n + 1 after n failed: 30 s, 1 min, 2 min … doubling, at most an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000)
}

const webhookColumns = [
  'id',
  'url',
  'description',
  'events',
  'enabled',
  'created_at',
  'updated_at',
] as const

type WebhookRow = {
  id: string
  url: string
  description: string
  events: string
  enabled: number
  created_at: number
  updated_at: number
}

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events) as string[],
    enabled: row.enabled === 1,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  }
}

/**
 * Queues one delivery of each event to each enabled endpoint that subscribed to it, in the
 * caller's transaction (the events'): both commit or neither. Without endpoints this is one
 * query on a table of a few rows, as it runs on every audited request (sign-ins included).
 */
export async function enqueueWebhookDeliveries(
  trx: Db,
  events: readonly WebhookEvent[],
): Promise<number> {
  const endpoints = await trx
    .selectFrom('webhooks')
    .select(['id', 'events'])
    .where('enabled', '=', 1)
    .execute()
  if (endpoints.length === 0) return 0
  const patterns = endpoints.map((endpoint) => ({
    id: endpoint.id,
    events: JSON.parse(endpoint.events) as string[],
  }))
  const wanted = events.flatMap((event) =>
    patterns
      .filter((endpoint) => subscribes(endpoint.events, event.action))
      .map((endpoint) => ({ event, webhookId: endpoint.id })),
  )
  if (wanted.length === 0) return 0
  const actorIds = [...new Set(wanted.flatMap(({ event }) => event.actorId ?? []))]
  const actors =
    actorIds.length === 0
      ? []
      : await trx
          .selectFrom('users')
          .select(['id', 'username'])
          .where('id', 'in', actorIds)
          .execute()
  const usernames = new Map(actors.map((actor) => [actor.id, actor.username]))
  const rows = wanted.map(({ event, webhookId }) =>
    newDelivery(
      webhookId,
      event.action,
      deliveryBody(event, event.actorId === null ? null : (usernames.get(event.actorId) ?? null)),
      event.at,
    ),
  )
  // Fourteen columns a row: 500 rows stay far below either database's parameter limit.
  for (let start = 0; start < rows.length; start += 500) {
    await trx
      .insertInto('webhook_deliveries')
      .values(rows.slice(start, start + 500))
      .execute()
  }
  return rows.length
}

function newDelivery(webhookId: string, type: string, payload: string, now: number) {
  return {
    id: crypto.randomUUID(),
    webhook_id: webhookId,
    type,
    payload,
    status: 'pending' as const,
    attempts: 0,
    next_attempt_at: now,
    claim: null,
    give_up_at: now + RETRY_FOR_MS,
    last_status_code: null,
    last_response_ms: null,
    last_error: null,
    created_at: now,
    updated_at: now,
  }
}

/** Queues `event` to one endpoint only (Send test event), whatever it subscribed to. */
export async function queueDelivery(
  db: Db,
  webhookId: string,
  event: WebhookEvent,
  actorUsername: string | null,
): Promise<string> {
  const delivery = newDelivery(
    webhookId,
    event.action,
    deliveryBody(event, actorUsername),
    event.at,
  )
  await db.insertInto('webhook_deliveries').values(delivery).execute()
  return delivery.id
}

export async function insertWebhook(
  db: Db,
  webhook: {
    id: string
    url: string
    description: string
    events: string[]
    enabled: boolean
    secret: string
    now: number
  },
): Promise<void> {
  await db
    .insertInto('webhooks')
    .values({
      id: webhook.id,
      url: webhook.url,
      description: webhook.description,
      events: JSON.stringify(webhook.events),
      secret: webhook.secret,
      enabled: webhook.enabled ? 1 : 0,
      created_at: webhook.now,
      updated_at: webhook.now,
    })
    .execute()
}

/** Every endpoint, oldest first, without its secret. */
export async function listWebhooks(db: Db): Promise<Webhook[]> {
  const rows = await db
    .selectFrom('webhooks')
    .select(webhookColumns)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows.map(toWebhook)
}

export async function findWebhook(db: Db, id: string): Promise<Webhook | undefined> {
  const row = await db
    .selectFrom('webhooks')
    .select(webhookColumns)
    .where('id', '=', id)
    .executeTakeFirst()
  return row && toWebhook(row)
}

/** Changes what is given; false when there is no such endpoint. */
export async function updateWebhook(
  db: Db,
  id: string,
  change: { url?: string; description?: string; events?: string[]; enabled?: boolean },
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('webhooks')
    .set({
      ...(change.url === undefined ? {} : { url: change.url }),
      ...(change.description === undefined ? {} : { description: change.description }),
      ...(change.events === undefined ? {} : { events: JSON.stringify(change.events) }),
      ...(change.enabled === undefined ? {} : { enabled: change.enabled ? 1 : 0 }),
      updated_at: now,
    })
    .where('id', '=', id)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Deletes the endpoint and its deliveries (cascade); false when there is none. */
export async function deleteWebhook(db: Db, id: string): Promise<boolean> {
  await db.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute()
  const result = await db.deleteFrom('webhooks').where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

const deliveryColumns = [
  'id',
  'webhook_id',
  'type',
  'status',
  'attempts',
  'next_attempt_at',
  'last_status_code',
  'last_response_ms',
  'last_error',
  'created_at',
  'updated_at',
] as const

type DeliveryRow = Pick<WebhookDeliveriesTable, (typeof deliveryColumns)[number]>

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    webhookId: row.webhook_id,
    type: row.type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt:
      row.status === 'pending' && row.next_attempt_at !== null
        ? new Date(row.next_attempt_at).toISOString()
        : null,
    lastStatusCode: row.last_status_code,
    lastResponseMs: row.last_response_ms,
    lastError: row.last_error,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  }
}

/** An endpoint's deliveries, newest first. */
export async function listDeliveries(
  db: Db,
  webhookId: string,
  limit: number,
): Promise<WebhookDelivery[]> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select(deliveryColumns)
    .where('webhook_id', '=', webhookId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return rows.map(toDelivery)
}

export async function findDelivery(
  db: Db,
  webhookId: string,
  deliveryId: string,
): Promise<WebhookDelivery | undefined> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .select(deliveryColumns)
    .where('webhook_id', '=', webhookId)
    .where('id', '=', deliveryId)
    .executeTakeFirst()
  return row && toDelivery(row)
}

/**
 * Queues a delivery again with the same id (receivers deduplicate on `webhook-id`) for another
 * 24 hours of attempts. An attempt under way loses its claim: its outcome is not recorded.
 */
export async function redeliver(
  db: Db,
  webhookId: string,
  deliveryId: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      claim: null,
      give_up_at: now + RETRY_FOR_MS,
      updated_at: now,
    })
    .where('webhook_id', '=', webhookId)
    .where('id', '=', deliveryId)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** A claimed delivery: what to send, where, and the claim its outcome must carry. */
export type ClaimedDelivery = {
  id: string
  webhookId: string
  type: string
  payload: string
  attempts: number
  giveUpAt: number
  claim: string
  url: string
  secret: string
}

/**
 * Takes up to `limit` due deliveries of enabled endpoints and leases them until `now + leaseMs`
 * by moving `next_attempt_at` there: no other worker takes them meanwhile, and should this
 * process die, they are due again when the lease ends. On PostgreSQL the rows are picked
 * `FOR UPDATE SKIP LOCKED`, so concurrent claims in other processes neither wait nor overlap;
 * SQLite runs one write at a time.
 */
export async function claimDueDeliveries(
  db: Db,
  dialect: Dialect,
  options: { now: number; leaseMs: number; limit: number },
): Promise<ClaimedDelivery[]> {
  const { now, leaseMs, limit } = options
  const claim = crypto.randomUUID()
  const due = db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .select('webhook_deliveries.id')
    .where('webhook_deliveries.status', '=', 'pending')
    .where('webhook_deliveries.next_attempt_at', '<=', now)
    .where('webhooks.enabled', '=', 1)
    .orderBy('webhook_deliveries.next_attempt_at')
    .limit(limit)
    .$if(dialect === 'postgres', (query) => query.forUpdate('webhook_deliveries').skipLocked())
  const claimed = await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      claim,
      attempts: eb('attempts', '+', 1),
      next_attempt_at: now + leaseMs,
      updated_at: now,
    }))
    .where('id', 'in', due)
    .returning(['id', 'webhook_id', 'type', 'payload', 'attempts', 'give_up_at'])
    .execute()
  if (claimed.length === 0) return []
  const endpoints = await db
    .selectFrom('webhooks')
    .select(['id', 'url', 'secret'])
    .where('id', 'in', [...new Set(claimed.map((row) => row.webhook_id))])
    .execute()
  const byId = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint]))
  return claimed.flatMap((row) => {
    const endpoint = byId.get(row.webhook_id)
    // Deleted since the claim: its deliveries went with it.
    if (!endpoint) return []
    return [
      {
        id: row.id,
        webhookId: row.webhook_id,
        type: row.type,
        payload: row.payload,
        attempts: row.attempts,
        giveUpAt: row.give_up_at,
        claim,
        url: endpoint.url,
        secret: endpoint.secret,
      },
    ]
  })
}

export type AttemptOutcome = {
  ok: boolean
  statusCode: number | null
  responseMs: number
  error: string | null
}

/**
 * Records an attempt's outcome if the delivery is still under this claim: succeeded, pending
 * again after the backoff, or failed once the next attempt would be past its 24 hours.
 */
export async function recordAttempt(
  db: Db,
  delivery: Pick<ClaimedDelivery, 'id' | 'claim' | 'attempts' | 'giveUpAt'>,
  outcome: AttemptOutcome,
  now: number,
): Promise<'succeeded' | 'pending' | 'failed' | 'stale'> {
  const next = now + backoffMs(delivery.attempts)
  const status = outcome.ok ? 'succeeded' : next > delivery.giveUpAt ? 'failed' : 'pending'
  const result = await db
    .updateTable('webhook_deliveries')
    .set({
      status,
      next_attempt_at: status === 'pending' ? next : null,
      claim: null,
      last_status_code: outcome.statusCode,
      last_response_ms: outcome.responseMs,
      last_error: outcome.error,
      updated_at: now,
    })
    .where('id', '=', delivery.id)
    .where('claim', '=', delivery.claim)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0 ? status : 'stale'
}
