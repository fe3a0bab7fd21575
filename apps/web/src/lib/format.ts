/*
 * Times, expiry and sizes as the messages view shows them. Pure functions over a given `now`
 * and locale, so they are tested without a clock.
 */

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** "now", "5 minutes ago", "3 hours ago", "yesterday", "4 days ago"; older: the date. */
export function relativeTime(iso: string, now: Date, locale: string): string {
  const then = new Date(iso)
  const ms = now.getTime() - then.getTime()
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  if (ms < MINUTE) return format.format(0, 'second')
  if (ms < HOUR) return format.format(-Math.floor(ms / MINUTE), 'minute')
  if (ms < DAY) return format.format(-Math.floor(ms / HOUR), 'hour')
  if (ms < 7 * DAY) return format.format(-Math.floor(ms / DAY), 'day')
  const sameYear = then.getFullYear() === now.getFullYear()
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: sameYear ? undefined : 'numeric',
  }).format(then)
}

/** The exact local time, for hover and focus: "Nov 25, 2026, 10:30 AM". */
export function exactTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  )
}

export type Expiry = {
  /** "in 2 days", "in 5 hours", "in 30 minutes". */
  inWords: string
  /** Under 24 hours left: shown in amber. */
  isSoon: boolean
}

/** How long until a message deletes itself. */
export function expiryIn(expiresAt: string, now: Date, locale: string): Expiry {
  const ms = Math.max(0, Date.parse(expiresAt) - now.getTime())
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'always' })
  const isSoon = ms < DAY
  if (ms < HOUR) {
    return { inWords: format.format(Math.max(1, Math.ceil(ms / MINUTE)), 'minute'), isSoon }
  }
  if (ms < DAY) {
    return { inWords: format.format(Math.min(23, Math.round(ms / HOUR)), 'hour'), isSoon }
  }
  return { inWords: format.format(Math.round(ms / DAY), 'day'), isSoon }
}

export const EXPIRY_CHOICES = ['none', '1h', '1d', '7d', '30d', 'custom'] as const
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]

const QUICK_PICKS: Record<Exclude<ExpiryChoice, 'none' | 'custom'>, number> = {
  '1h': HOUR,
  '1d': DAY,
  '7d': 7 * DAY,
  '30d': 30 * DAY,
}

/**
 * The expiry to seal into the message, or null for none. `custom` is the value of the
 * date-time field (ui/date-time-field: "2026-11-27T10:30", local time); an empty or
 * unreadable one gives undefined.
 */
export function expiryToIso(
  choice: ExpiryChoice,
  custom: string,
  now: Date,
): string | null | undefined {
  if (choice === 'none') return null
  if (choice === 'custom') {
    // Without a zone, a date-time string is read as local time (ECMA-262 Date.parse).
    const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(custom) ? new Date(custom) : null
    return at && !Number.isNaN(at.getTime()) ? at.toISOString() : undefined
  }
  return new Date(now.getTime() + QUICK_PICKS[choice]).toISOString()
}

export type ExpiryProblem = 'missing' | 'past' | 'tooFar'

/** Why an expiry cannot be sent (S4: the past is refused; so is more than the maximum). */
export function expiryProblem(
  iso: string | null | undefined,
  now: Date,
  maxExpiryDays: number,
): ExpiryProblem | undefined {
  if (iso === null) return undefined
  if (iso === undefined) return 'missing'
  const at = Date.parse(iso)
  if (at <= now.getTime()) return 'past'
  if (at > now.getTime() + maxExpiryDays * DAY) return 'tooFar'
  return undefined
}

/** The date-time field's value ("2026-11-27T10:30", local time) for an instant. */
export function toDateTimeLocal(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  )
}

const SIZE_UNITS = ['kilobyte', 'megabyte', 'gigabyte'] as const

/** "12 bytes", "3.4 KB", "25 MB" (powers of 1024, as file managers show them). */
export function formatBytes(bytes: number, locale: string): string {
  if (bytes < 1024) {
    return new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: 'byte',
      unitDisplay: 'long',
    }).format(bytes)
  }
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: SIZE_UNITS[unit],
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 ? 1 : 0,
  }).format(value)
}
