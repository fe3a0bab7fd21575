import { type CalendarDateTime, parseDateTime } from '@internationalized/date'
import { toDateTimeLocal } from '../lib/format'

/*
 * The date-time field's value is a local date and time without a zone, "2026-11-27T10:30":
 * what a datetime-local input gave, and what lib/format's expiryToIso reads. The picker works
 * on CalendarDateTime; these turn one into the other.
 */

/** The picker's value for a field value; null for '' or anything that is not a real time. */
export function parseLocalDateTime(value: string): CalendarDateTime | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null
  try {
    return parseDateTime(value)
  } catch {
    // RangeError: a month, day, hour or minute out of range ("2026-02-30").
    return null
  }
}

/** The field value for the picker's value, to the minute; '' for none. */
export function formatLocalDateTime(value: CalendarDateTime | null): string {
  // CalendarDateTime.toString() is "2026-11-27T10:30:00" (ISO 8601, seconds always shown).
  return value ? value.toString().slice(0, 16) : ''
}

/** The picker's value for an instant, in the browser's time zone (for its min and max). */
export function localDateTimeOf(date: Date): CalendarDateTime {
  // toDateTimeLocal always gives a well-formed value.
  return parseLocalDateTime(toDateTimeLocal(date)) as CalendarDateTime
}
