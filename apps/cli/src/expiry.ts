import { expiryPresetMs, type PolicyValues } from '@sealpost/core'
import { UsageError } from './output.js'

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS

/** `1h`, `1d`, `7d`, `30d` — and any whole number of minutes, hours, days or weeks. */
const SHORTHAND = /^(\d+)([mhdw])$/i
const SHORTHAND_MS: Record<string, number> = {
  m: MINUTE_MS,
  h: HOUR_MS,
  d: DAY_MS,
  w: 7 * DAY_MS,
}

/** ISO 8601 duration: PnYnMnWnDTnHnMnS (every part optional; T only before a time part). */
const ISO_DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/i

/** ISO 8601 date and time, optionally with seconds and a UTC offset (local time without one). */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i

function invalid(flag: string, reason: string): UsageError {
  return new UsageError(`${flag}: ${reason}`, 'invalid_input')
}

/** The expiry time `text` (`--expires-in`) after `now`, as an ISO timestamp. */
export function expiresAtAfter(text: string, now: Date): string {
  const flag = '--expires-in'
  const value = text.trim()
  let milliseconds: number
  const shorthand = SHORTHAND.exec(value)
  const iso = ISO_DURATION.exec(value)
  if (shorthand) {
    milliseconds = Number(shorthand[1]) * (SHORTHAND_MS[shorthand[2]?.toLowerCase() ?? ''] ?? 0)
  } else if (iso && value.length > 1) {
    const [, years, months, weeks, days, hours, minutes, seconds] = iso
    if (years !== undefined || months !== undefined) {
      // Their length varies; a message's expiry should not depend on the calendar.
      throw invalid(flag, 'years and months vary in length; give days instead (e.g. P90D)')
    }
    const count = (part: string | undefined) => Number((part ?? '0').replace(',', '.'))
    milliseconds =
      count(weeks) * 7 * DAY_MS +
      count(days) * DAY_MS +
      count(hours) * HOUR_MS +
      count(minutes) * MINUTE_MS +
      count(seconds) * 1000
  } else {
    throw invalid(
      flag,
      `not a duration: ${value} (use 1h, 1d, 7d, 30d or an ISO 8601 duration such as PT90M or P2D)`,
    )
  }
  if (!(milliseconds > 0)) throw invalid(flag, 'the duration must be longer than zero')
  const expiresAt = now.getTime() + milliseconds
  if (!Number.isFinite(expiresAt) || expiresAt > 8.64e15) throw invalid(flag, 'too far away')
  return new Date(expiresAt).toISOString()
}

/** `--expires-at`: an ISO 8601 time in the future, as an ISO timestamp in UTC. */
export function expiresAtFrom(text: string, now: Date): string {
  const flag = '--expires-at'
  const value = text.trim()
  const match = ISO_TIME.exec(value)
  if (!match) {
    throw invalid(
      flag,
      `not an ISO 8601 time: ${value} (e.g. 2030-01-31T17:00 for local time, ` +
        `or 2030-01-31T17:00Z for UTC)`,
    )
  }
  const [, year, month, day, , , , offset] = match
  // Date.parse rolls 30 February over into March; refuse it instead.
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate()
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysInMonth) {
    throw invalid(flag, `no such date: ${value}`)
  }
  // ECMAScript's date format wants "T" and an offset written ±HH:mm.
  let normalized = value.replace(' ', 'T')
  if (offset && /^[+-]\d{4}$/.test(offset)) {
    normalized = normalized.slice(0, -offset.length) + `${offset.slice(0, 3)}:${offset.slice(3)}`
  }
  const time = Date.parse(normalized)
  if (Number.isNaN(time)) throw invalid(flag, `not a valid time: ${value}`)
  if (time <= now.getTime()) throw invalid(flag, `${value} is in the past`)
  return new Date(time).toISOString()
}

/** Refuses an expiry beyond the organisation's maximum before anything is uploaded. */
export function checkExpiryLimit(
  expiresAt: string,
  now: Date,
  maxExpiryDays: number,
  flag: string,
): void {
  if (Date.parse(expiresAt) > now.getTime() + maxExpiryDays * DAY_MS) {
    throw invalid(flag, `more than ${maxExpiryDays} days away (the organisation's maximum)`)
  }
}

/** Days a link lasts when the preset is `never`: a link always expires (DESIGN.md §3). */
const LINK_FALLBACK_DAYS = 7

/**
 * The expiry a user's policy presets when they chose none (defaultExpiry), within their
 * maxExpiryDays; null is never. A link cannot be kept forever, so `never` gives it a week.
 */
export function presetExpiry(
  policy: Pick<PolicyValues, 'defaultExpiry' | 'maxExpiryDays'>,
  now: Date,
  options: { mustExpire?: boolean } = {},
): string | null {
  let ms = expiryPresetMs(policy.defaultExpiry)
  if (ms === null && options.mustExpire) ms = LINK_FALLBACK_DAYS * DAY_MS
  const maxMs = policy.maxExpiryDays > 0 ? policy.maxExpiryDays * DAY_MS : null
  if (maxMs !== null && (ms === null || ms > maxMs)) ms = maxMs
  return ms === null ? null : new Date(now.getTime() + ms).toISOString()
}

/** A reply's preset: the policy's, or the original's remaining time when that is shorter. */
export function replyExpiry(
  preset: string | null,
  originalExpiresAt: string | null,
): string | null {
  if (originalExpiresAt === null) return preset
  if (preset === null) return originalExpiresAt
  return Date.parse(originalExpiresAt) < Date.parse(preset) ? originalExpiresAt : preset
}
