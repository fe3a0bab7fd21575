import type { AuditDetails } from '@sealpost/core'

/**
 * What a delivery says: the audit event's fields (never content) in a Standard Webhooks body,
 * `{ type, timestamp, data }`.
 */

/** An audit event as it is recorded, or the test event an administrator sends. */
export type WebhookEvent = {
  id: string
  /** Its place in the audit chain; null for `webhook.test`, which is not audited. */
  seq: number | null
  action: string
  actorId: string | null
  targetId: string | null
  /** Milliseconds since the epoch. */
  at: number
  /** Counts, sizes and settings the audit event carries; never content. */
  details?: AuditDetails | null | undefined
}

/** Whether an endpoint subscribed to `patterns` (empty: everything) wants `action`. */
export function subscribes(patterns: readonly string[], action: string): boolean {
  if (patterns.length === 0) return true
  return patterns.some((pattern) =>
    pattern.endsWith('.*') ? action.startsWith(pattern.slice(0, -1)) : pattern === action,
  )
}

/** The JSON body of a delivery, fixed when it is queued. */
export function deliveryBody(event: WebhookEvent, actorUsername: string | null): string {
  const at = new Date(event.at).toISOString()
  return JSON.stringify({
    type: event.action,
    timestamp: at,
    data: {
      id: event.id,
      seq: event.seq,
      action: event.action,
      actorId: event.actorId,
      actorUsername,
      targetId: event.targetId,
      at,
      ...(event.details ? { details: event.details } : {}),
    },
  })
}
