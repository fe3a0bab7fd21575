import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import type { AppContext } from '../../app-context.js'
import { webhookSignature } from '../../http/tokens.js'
import { resolveTarget } from './addresses.js'
import {
  type AttemptOutcome,
  type ClaimedDelivery,
  claimDueDeliveries,
  recordAttempt,
} from './queries.js'

/** An attempt that has no answer after this long failed (the next one follows the backoff). */
export const ATTEMPT_TIMEOUT_MS = 10_000
/** How long a claim holds its deliveries: well beyond an attempt, so none is sent twice at once. */
export const LEASE_MS = 60_000
/** Deliveries one worker claims at a time. */
const BATCH = 10
/** Endpoints' answers are read this far and no further. */
const MAX_RESPONSE_BYTES = 64 * 1024

export type WebhookLog = {
  info(obj: unknown, msg: string): void
  error(obj: unknown, msg: string): void
}

const quiet: WebhookLog = { info: () => undefined, error: () => undefined }

export type DeliverResult = { succeeded: number; retrying: number; failed: number }

/**
 * Sends every delivery due now, a batch at a time, until none is due; returns what became of
 * them. The worker calls it on a timer; tests call it after moving the clock.
 */
export async function deliverDue(
  ctx: AppContext,
  options: { log?: WebhookLog; timeoutMs?: number } = {},
): Promise<DeliverResult> {
  const log = options.log ?? quiet
  const timeoutMs = options.timeoutMs ?? ATTEMPT_TIMEOUT_MS
  const result: DeliverResult = { succeeded: 0, retrying: 0, failed: 0 }
  for (;;) {
    const claimed = await claimDueDeliveries(ctx.db, ctx.dialect, {
      now: ctx.clock.now().getTime(),
      leaseMs: LEASE_MS,
      limit: BATCH,
    })
    if (claimed.length === 0) return result
    const outcomes = await Promise.all(
      claimed.map((delivery) => attempt(ctx, delivery, log, timeoutMs)),
    )
    for (const outcome of outcomes) {
      if (outcome === 'succeeded') result.succeeded += 1
      else if (outcome === 'pending') result.retrying += 1
      else if (outcome === 'failed') result.failed += 1
    }
  }
}

async function attempt(
  ctx: AppContext,
  delivery: ClaimedDelivery,
  log: WebhookLog,
  timeoutMs: number,
): Promise<'succeeded' | 'pending' | 'failed' | 'stale'> {
  const timestamp = Math.floor(ctx.clock.now().getTime() / 1000)
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Sealpost-Webhooks/1',
    'webhook-id': delivery.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': webhookSignature(delivery.secret, {
      id: delivery.id,
      timestamp,
      body: delivery.payload,
    }),
  }
  const started = performance.now()
  const answer = await post(delivery.url, delivery.payload, headers, {
    allowPrivate: ctx.config.webhooksAllowPrivate,
    timeoutMs,
  })
  const outcome: AttemptOutcome = { ...answer, responseMs: Math.round(performance.now() - started) }
  const status = await recordAttempt(ctx.db, delivery, outcome, ctx.clock.now().getTime())
  log.info(
    {
      webhookId: delivery.webhookId,
      deliveryId: delivery.id,
      type: delivery.type,
      attempt: delivery.attempts,
      statusCode: outcome.statusCode,
      responseMs: outcome.responseMs,
      error: outcome.error,
      status,
    },
    'webhook delivery attempt',
  )
  return status
}

/**
 * POSTs `body` to `url` on the address its name resolves to now, if that address is allowed;
 * follows no redirect (a 3xx is a failure) and gives up after `timeoutMs`.
 */
async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { allowPrivate: boolean; timeoutMs: number },
): Promise<Omit<AttemptOutcome, 'responseMs'>> {
  const { allowPrivate, timeoutMs } = options
  const target = new URL(url)
  const resolved = await resolveTarget(target, allowPrivate)
  if (!resolved.ok) return { ok: false, statusCode: null, error: `refused: ${resolved.reason}` }
  const { address, family } = resolved.target
  // Connect to the address just checked: resolving again could answer differently.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }])
    else callback(null, address, family)
  }
  return new Promise((resolve) => {
    const client = target.protocol === 'https:' ? https : http
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        agent: false,
      },
      (response) => {
        const statusCode = response.statusCode ?? 0
        let read = 0
        response.on('data', (chunk: Buffer) => {
          read += chunk.length
          if (read > MAX_RESPONSE_BYTES) response.destroy()
        })
        const done = () => {
          clearTimeout(timer)
          const ok = statusCode >= 200 && statusCode < 300
          let error: string | null = null
          if (!ok) {
            error =
              statusCode >= 300 && statusCode < 400
                ? `HTTP ${statusCode} (redirects are not followed)`
                : `HTTP ${statusCode}`
          }
          resolve({ ok, statusCode, error })
        }
        response.on('end', done)
        response.on('close', done)
      },
    )
    const timer = setTimeout(
      () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    )
    request.on('error', (error) => {
      clearTimeout(timer)
      resolve({ ok: false, statusCode: null, error: error.message })
    })
    request.end(body)
  })
}

/** Wakes the worker of this process at once (a test event, a redelivery) instead of on its timer. */
export type WebhookWakeup = { wake(): void; onWake(listener: () => void): () => void }

export function createWebhookWakeup(): WebhookWakeup {
  const listeners = new Set<() => void>()
  return {
    wake: () => {
      for (const listener of listeners) listener()
    },
    onWake: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/** How often an idle worker looks for due deliveries. */
const POLL_MS = 2_000

/**
 * Delivers due webhooks every POLL_MS, and at once when woken, until stopped; stopping waits for
 * the attempts under way. Every server process runs one: claims keep them from overlapping.
 */
export function startWebhookWorker(ctx: AppContext, log: WebhookLog): () => Promise<void> {
  let stopped = false
  let again = false
  let running: Promise<void> | undefined
  let timer: NodeJS.Timeout | undefined
  const schedule = () => {
    if (stopped) return
    timer = setTimeout(run, POLL_MS)
  }
  const run = () => {
    if (stopped) return
    if (running) {
      again = true
      return
    }
    clearTimeout(timer)
    running = deliverDue(ctx, { log })
      .then(
        () => undefined,
        (error: unknown) => log.error({ err: error }, 'webhook deliveries failed'),
      )
      .finally(() => {
        running = undefined
        if (again) {
          again = false
          run()
        } else schedule()
      })
  }
  const unsubscribe = ctx.webhookWakeup.onWake(run)
  schedule()
  return async () => {
    stopped = true
    clearTimeout(timer)
    unsubscribe()
    await running
  }
}
