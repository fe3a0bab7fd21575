import { describe, expect, it } from 'vitest'
import {
  expiryIn,
  expiryProblem,
  expiryToIso,
  formatBytes,
  relativeTime,
  toDateTimeLocal,
} from './format'

const now = new Date('2026-11-25T12:00:00.000Z')
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString()
const ahead = (ms: number) => new Date(now.getTime() + ms).toISOString()
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

describe('relativeTime', () => {
  it('says "now" for the last minute', () => {
    expect(relativeTime(ago(20_000), now, 'en')).toBe('now')
  })

  it('counts minutes, hours and days', () => {
    expect(relativeTime(ago(5 * MINUTE), now, 'en')).toBe('5 minutes ago')
    expect(relativeTime(ago(3 * HOUR + 10 * MINUTE), now, 'en')).toBe('3 hours ago')
    expect(relativeTime(ago(DAY + HOUR), now, 'en')).toBe('yesterday')
    expect(relativeTime(ago(4 * DAY), now, 'en')).toBe('4 days ago')
  })

  it('shows the date after a week, with the year only when it differs', () => {
    expect(relativeTime('2026-11-01T12:00:00.000Z', now, 'en')).toBe('Nov 1')
    expect(relativeTime('2025-11-01T12:00:00.000Z', now, 'en')).toBe('Nov 1, 2025')
  })
})

describe('expiryIn', () => {
  it('says days and is not soon for more than a day', () => {
    expect(expiryIn(ahead(2 * DAY), now, 'en')).toEqual({ inWords: 'in 2 days', isSoon: false })
    expect(expiryIn(ahead(DAY + 13 * HOUR), now, 'en')).toEqual({
      inWords: 'in 2 days',
      isSoon: false,
    })
  })

  it('turns soon under 24 hours', () => {
    expect(expiryIn(ahead(5 * HOUR), now, 'en')).toEqual({ inWords: 'in 5 hours', isSoon: true })
    expect(expiryIn(ahead(23 * HOUR + 50 * MINUTE), now, 'en').inWords).toBe('in 23 hours')
    expect(expiryIn(ahead(30 * MINUTE), now, 'en')).toEqual({
      inWords: 'in 30 minutes',
      isSoon: true,
    })
  })

  it('never says less than a minute', () => {
    expect(expiryIn(ahead(5_000), now, 'en').inWords).toBe('in 1 minute')
    expect(expiryIn(ago(5_000), now, 'en').inWords).toBe('in 1 minute')
  })
})

describe('expiryToIso', () => {
  it('gives null for no expiry', () => {
    expect(expiryToIso('none', '', now)).toBeNull()
  })

  it('adds the quick picks to now', () => {
    expect(expiryToIso('1h', '', now)).toBe('2026-11-25T13:00:00.000Z')
    expect(expiryToIso('1d', '', now)).toBe('2026-11-26T12:00:00.000Z')
    expect(expiryToIso('7d', '', now)).toBe('2026-12-02T12:00:00.000Z')
    expect(expiryToIso('30d', '', now)).toBe('2026-12-25T12:00:00.000Z')
  })

  it('reads a custom date-time as local time', () => {
    const local = new Date(2026, 11, 24, 18, 30)
    expect(expiryToIso('custom', '2026-12-24T18:30', now)).toBe(local.toISOString())
    expect(expiryToIso('custom', toDateTimeLocal(local), now)).toBe(local.toISOString())
  })

  it('gives undefined for an empty or malformed custom date-time', () => {
    expect(expiryToIso('custom', '', now)).toBeUndefined()
    expect(expiryToIso('custom', 'tomorrow', now)).toBeUndefined()
    expect(expiryToIso('custom', '2026-13-45T99:99', now)).toBeUndefined()
  })
})

describe('expiryProblem', () => {
  it('accepts no expiry and times within the maximum', () => {
    expect(expiryProblem(null, now, 365)).toBeUndefined()
    expect(expiryProblem(ahead(HOUR), now, 365)).toBeUndefined()
    expect(expiryProblem(ahead(365 * DAY), now, 365)).toBeUndefined()
  })

  it('refuses a missing, past or too distant time', () => {
    expect(expiryProblem(undefined, now, 365)).toBe('missing')
    expect(expiryProblem(now.toISOString(), now, 365)).toBe('past')
    expect(expiryProblem(ago(MINUTE), now, 365)).toBe('past')
    expect(expiryProblem(ahead(365 * DAY + MINUTE), now, 365)).toBe('tooFar')
    expect(expiryProblem(ahead(30 * DAY), now, 7)).toBe('tooFar')
  })
})

describe('formatBytes', () => {
  it('uses bytes, then KB, MB and GB in powers of 1024', () => {
    expect(formatBytes(0, 'en')).toBe('0 bytes')
    expect(formatBytes(1, 'en')).toBe('1 byte')
    expect(formatBytes(1023, 'en')).toBe('1,023 bytes')
    expect(formatBytes(1536, 'en')).toBe('1.5 kB')
    expect(formatBytes(25 * 1024 * 1024, 'en')).toBe('25 MB')
    expect(formatBytes(3 * 1024 ** 3, 'en')).toBe('3 GB')
  })
})
