import { WEBHOOK_EVENTS_MAX, type WebhookDelivery, WebhookEventType } from '@sealpost/core'

/*
 * What the Webhooks page works out without React: the events field, the server's refusals
 * and how often to ask for deliveries. Pure functions, tested beside this file.
 */

export type ParsedEvents =
  | { ok: true; events: string[] }
  | { ok: false; problem: 'empty' | 'tooMany' }
  | { ok: false; problem: 'invalid'; invalid: string[] }

/**
 * The "Only these events" field: audit actions (`message.sent`), prefixes (`message.*`) or `*`,
 * separated by commas or lines, checked with the server's own `WebhookEventType`. Spaces do not
 * separate: "message sent" is a mistyped action, not the actions `message` and `sent`.
 */
export function parseEvents(text: string): ParsedEvents {
  const words = [
    ...new Set(
      text
        .split(/[,\n]/)
        .map((word) => word.trim())
        .filter((word) => word !== ''),
    ),
  ]
  if (words.length === 0) return { ok: false, problem: 'empty' }
  const invalid = words.filter((word) => !WebhookEventType.safeParse(word).success)
  if (invalid.length > 0) return { ok: false, problem: 'invalid', invalid }
  if (words.length > WEBHOOK_EVENTS_MAX) return { ok: false, problem: 'tooMany' }
  return { ok: true, events: words }
}

export type WebhookField = 'url' | 'events' | 'description'
const FIELDS: readonly string[] = ['url', 'events', 'description'] satisfies WebhookField[]

/**
 * The fields an `invalid_input` answer names, each with the server's reason: the server writes
 * `url: 169.254.169.254 is a link-local or metadata address` for a refused address and
 * `events.0: …; url: …` (`;`-separated, a list's index after a dot) for what its schema refused.
 * The first reason for a field wins; parts naming no field are left to the form's alert.
 */
export function serverFieldErrors(message: string): Partial<Record<WebhookField, string>> {
  const found: Partial<Record<WebhookField, string>> = {}
  for (const part of message.split('; ')) {
    const match = /^([a-z]+)(?:\.\d+)?: (.+)$/s.exec(part.trim())
    const [, field, reason] = match ?? []
    if (field === undefined || reason === undefined || !FIELDS.includes(field)) continue
    found[field as WebhookField] ??= reason
  }
  return found
}

/** Polling while a delivery waits: at least a second apart, at most half a minute. */
export const POLL_MIN_MS = 1_000
export const POLL_MAX_MS = 30_000
/**
 * How long after a pending delivery changed an attempt may still be under way: the server gives
 * up on an endpoint after 10 s. While an attempt is under way, `nextAttemptAt` is the end of the
 * worker's one-minute claim, not when the outcome comes, so it is no guide then.
 */
export const UNDER_WAY_MS = 15_000

/**
 * How long until the deliveries are worth asking for again, or false when none is pending:
 * every second while an attempt may be under way, then shortly after the soonest retry is due,
 * so a test event's outcome shows within about a second and an endpoint retrying hourly is not
 * asked every second.
 */
export function deliveriesPollMs(
  deliveries: readonly Pick<WebhookDelivery, 'status' | 'nextAttemptAt' | 'updatedAt'>[],
  now: number,
): number | false {
  const due = deliveries
    .filter((delivery) => delivery.status === 'pending')
    .map((delivery) => {
      if (now - Date.parse(delivery.updatedAt) < UNDER_WAY_MS) return now
      return delivery.nextAttemptAt ? Date.parse(delivery.nextAttemptAt) : now
    })
  if (due.length === 0) return false
  const wait = Math.min(...due) - now + POLL_MIN_MS
  return Math.min(POLL_MAX_MS, Math.max(POLL_MIN_MS, wait))
}
