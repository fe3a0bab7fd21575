import { describe, expect, test } from 'vitest'
import { checkExpiryLimit, expiresAtAfter, expiresAtFrom } from './expiry.js'
import { UsageError } from './output.js'

const now = new Date('2030-01-15T12:00:00.000Z')
const after = (milliseconds: number) => new Date(now.getTime() + milliseconds).toISOString()
const HOUR = 3_600_000

describe('expiresAtAfter', () => {
  test.each([
    ['1h', HOUR],
    ['1d', 24 * HOUR],
    ['7d', 7 * 24 * HOUR],
    ['30d', 30 * 24 * HOUR],
    ['90m', 1.5 * HOUR],
    ['2w', 14 * 24 * HOUR],
    ['PT90M', 1.5 * HOUR],
    ['P2D', 48 * HOUR],
    ['p1dt12h', 36 * HOUR],
    ['P1W', 7 * 24 * HOUR],
    ['PT0.5S', 500],
    ['PT1,5S', 1500],
  ])('reads %s', (text, milliseconds) => {
    expect(expiresAtAfter(text, now)).toBe(after(milliseconds))
  })

  test.each(['', 'P', 'PT', 'P1', 'PT5', '1y', 'soon', '-1h', 'P1DT', 'T1H', '1.5h'])(
    'refuses %j',
    (text) => {
      expect(() => expiresAtAfter(text, now)).toThrow(UsageError)
    },
  )

  test('refuses zero', () => {
    expect(() => expiresAtAfter('0h', now)).toThrow(/longer than zero/)
    expect(() => expiresAtAfter('PT0S', now)).toThrow(/longer than zero/)
  })

  test('refuses years and months, whose length varies', () => {
    expect(() => expiresAtAfter('P1M', now)).toThrow(/give days instead/)
    expect(() => expiresAtAfter('P1Y', now)).toThrow(/give days instead/)
  })
})

describe('expiresAtFrom', () => {
  test.each([
    ['2030-01-16T08:30Z', '2030-01-16T08:30:00.000Z'],
    ['2030-01-16T08:30:15.250Z', '2030-01-16T08:30:15.250Z'],
    ['2030-01-16T10:30+02:00', '2030-01-16T08:30:00.000Z'],
    ['2030-01-16T10:30+0200', '2030-01-16T08:30:00.000Z'],
    ['2030-01-16 08:30Z', '2030-01-16T08:30:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(expiresAtFrom(text, now)).toBe(iso)
  })

  test('reads a time without an offset as local time', () => {
    expect(expiresAtFrom('2030-01-16T08:30', now)).toBe(new Date(2030, 0, 16, 8, 30).toISOString())
  })

  test.each([
    '2030-02-30T10:00Z',
    '2030-13-01T10:00Z',
    '2030-01-16',
    'tomorrow',
    '2030-01-16T25:00Z',
  ])('refuses %j', (text) => {
    expect(() => expiresAtFrom(text, now)).toThrow(UsageError)
  })

  test('refuses the past and the present', () => {
    expect(() => expiresAtFrom('2030-01-15T11:59Z', now)).toThrow(/is in the past/)
    expect(() => expiresAtFrom('2030-01-15T12:00Z', now)).toThrow(/is in the past/)
  })
})

describe('checkExpiryLimit', () => {
  test('allows up to the maximum and refuses beyond it', () => {
    expect(() => checkExpiryLimit(after(365 * 24 * HOUR), now, 365, '--expires-in')).not.toThrow()
    expect(() => checkExpiryLimit(after(365 * 24 * HOUR + 1), now, 365, '--expires-in')).toThrow(
      /more than 365 days away/,
    )
  })
})
