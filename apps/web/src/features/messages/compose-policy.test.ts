import { type PolicyValues, policyCatalogue, policyKeys } from '@sealpost/core'
import { describe, expect, it } from 'vitest'
import { toDateTimeLocal } from '../../lib/format'
import {
  type ComposeRules,
  addressOutside,
  composeRules,
  expiryChoices,
  presetExpiry,
  presetLinkExpiry,
} from './compose-policy'

const now = new Date('2026-11-25T12:00:00.000Z')
const HOUR = 3_600_000
const DAY = 24 * HOUR
const limits = { maxFileBytes: 1, maxMessageBytes: 1, maxExpiryDays: 3650 }
/** The catalogue's defaults: what a user gets when nobody set anything. */
const defaults = Object.fromEntries(
  policyKeys.map((key) => [key, policyCatalogue[key].default]),
) as PolicyValues

function rules(policy: Partial<PolicyValues> = {}, maxExpiryDays?: number): ComposeRules {
  const values = { ...defaults, ...policy }
  return composeRules(
    { ...limits, maxExpiryDays: maxExpiryDays ?? (values.maxExpiryDays || 3650) },
    values,
  )
}
const inHours = (hours: number) => new Date(now.getTime() + hours * HOUR).toISOString()

describe('composeRules', () => {
  it('reads 0 as no limit: never allowed, the largest view count', () => {
    expect(rules()).toMatchObject({ mustExpire: false, maxLinkViews: 100, defaultExpiry: '7d' })
    expect(rules({ maxExpiryDays: 14, maxLinkViews: 3 })).toMatchObject({
      mustExpire: true,
      maxExpiryDays: 14,
      maxLinkViews: 3,
    })
  })
})

describe('expiryChoices', () => {
  it('offers never unless everything must expire, and no quick pick beyond the maximum', () => {
    expect(expiryChoices(rules())).toEqual(['none', '1h', '1d', '7d', '30d', 'custom'])
    expect(expiryChoices(rules({ maxExpiryDays: 7 }))).toEqual(['1h', '1d', '7d', 'custom'])
    expect(expiryChoices(rules({ maxExpiryDays: 1 }))).toEqual(['1h', '1d', 'custom'])
  })
})

describe('presetExpiry', () => {
  it('presets the policy’s defaultExpiry: the organisation default is 7 days', () => {
    expect(presetExpiry(rules(), now)).toEqual({ expiry: '7d', customExpiry: '' })
    expect(presetExpiry(rules({ defaultExpiry: '1w' }), now)).toEqual({
      expiry: '7d',
      customExpiry: '',
    })
    expect(presetExpiry(rules({ defaultExpiry: '24h' }), now).expiry).toBe('1d')
    expect(presetExpiry(rules({ defaultExpiry: 'never' }), now)).toEqual({
      expiry: 'none',
      customExpiry: '',
    })
  })

  it('presets a duration that is no quick pick as that date and time', () => {
    expect(presetExpiry(rules({ defaultExpiry: '12h' }), now)).toEqual({
      expiry: 'custom',
      customExpiry: toDateTimeLocal(new Date(inHours(12))),
    })
  })

  it('keeps the preset within the maximum, and never becomes the maximum when it must expire', () => {
    expect(presetExpiry(rules({ defaultExpiry: '30d', maxExpiryDays: 7 }), now).expiry).toBe('7d')
    expect(presetExpiry(rules({ defaultExpiry: 'never', maxExpiryDays: 1 }), now).expiry).toBe('1d')
    expect(presetExpiry(rules({ defaultExpiry: '2w', maxExpiryDays: 10 }), now)).toEqual({
      expiry: 'custom',
      customExpiry: toDateTimeLocal(new Date(now.getTime() + 10 * DAY)),
    })
  })

  it('presets a reply to the original’s remaining time when that is shorter', () => {
    // The original expires in 5 hours, sooner than the policy's 7 days.
    expect(presetExpiry(rules(), now, inHours(5))).toEqual({
      expiry: 'custom',
      customExpiry: toDateTimeLocal(new Date(inHours(5))),
    })
    // The original lasts 30 days: the policy's 7 days is shorter and stays.
    expect(presetExpiry(rules(), now, inHours(30 * 24)).expiry).toBe('7d')
    // An original that never expires changes nothing; one that expires bounds a never.
    expect(presetExpiry(rules(), now, null).expiry).toBe('7d')
    expect(presetExpiry(rules({ defaultExpiry: 'never' }), now, inHours(24)).expiry).toBe('1d')
  })
})

describe('presetLinkExpiry', () => {
  it('takes the longest choice that does not outlast the preset', () => {
    expect(presetLinkExpiry(rules(), now)).toBe('7d')
    expect(presetLinkExpiry(rules({ defaultExpiry: '1d' }), now)).toBe('1d')
    expect(presetLinkExpiry(rules({ defaultExpiry: '2w' }), now)).toBe('7d')
    expect(presetLinkExpiry(rules({ defaultExpiry: '30m' }), now)).toBe('1h')
  })

  it('gives a never preset a week, within the maximum', () => {
    expect(presetLinkExpiry(rules({ defaultExpiry: 'never' }), now)).toBe('7d')
    expect(presetLinkExpiry(rules({ defaultExpiry: 'never', maxExpiryDays: 3 }), now)).toBe('max')
    expect(presetLinkExpiry(rules({ defaultExpiry: 'never', maxExpiryDays: 1 }), now)).toBe('1d')
  })

  it('follows a shorter original, as a reply by link to an answer does', () => {
    expect(presetLinkExpiry(rules(), now, inHours(30))).toBe('1d')
  })
})

describe('addressOutside', () => {
  it('finds the first address whose exact domain is not allowed; no domains allow any', () => {
    expect(addressOutside(['a@x.org'], [])).toBeUndefined()
    expect(
      addressOutside(['a@example.org', 'b@Partner.Test'], ['example.org', 'partner.test']),
    ).toBeUndefined()
    expect(addressOutside(['a@example.org', 'b@evil.example.org'], ['example.org'])).toBe(
      'b@evil.example.org',
    )
  })
})
