import { CalendarDateTime } from '@internationalized/date'
import { describe, expect, it } from 'vitest'
import { expiryToIso } from '../lib/format'
import { formatLocalDateTime, localDateTimeOf, parseLocalDateTime } from './local-date-time'

describe('parseLocalDateTime', () => {
  it('reads a local date and time to the minute', () => {
    expect(parseLocalDateTime('2026-12-24T18:30')).toEqual(
      new CalendarDateTime(2026, 12, 24, 18, 30),
    )
  })

  it('gives null for no value or one that is not a real time', () => {
    expect(parseLocalDateTime('')).toBeNull()
    expect(parseLocalDateTime('tomorrow')).toBeNull()
    expect(parseLocalDateTime('2026-02-30T10:30')).toBeNull()
    expect(parseLocalDateTime('2026-12-24T24:00')).toBeNull()
    expect(parseLocalDateTime('2026-12-24T18:30:00Z')).toBeNull()
  })
})

describe('formatLocalDateTime', () => {
  it('writes the value the form keeps, without seconds', () => {
    expect(formatLocalDateTime(new CalendarDateTime(2026, 1, 2, 3, 4))).toBe('2026-01-02T03:04')
    expect(formatLocalDateTime(null)).toBe('')
  })

  it('round-trips through parseLocalDateTime', () => {
    const value = '2027-06-30T23:59'
    expect(formatLocalDateTime(parseLocalDateTime(value))).toBe(value)
  })

  it('gives what expiryToIso reads as the same local time', () => {
    const picked = new CalendarDateTime(2026, 12, 24, 18, 30)
    expect(expiryToIso('custom', formatLocalDateTime(picked), new Date())).toBe(
      new Date(2026, 11, 24, 18, 30).toISOString(),
    )
  })
})

describe('localDateTimeOf', () => {
  it('gives the local date and time of an instant, to the minute', () => {
    const at = new Date(2026, 10, 25, 9, 7, 42)
    expect(localDateTimeOf(at)).toEqual(new CalendarDateTime(2026, 11, 25, 9, 7))
  })
})
