import { ApiError, CryptoError } from '@sealpost/core'
import { describe, expect, it } from 'vitest'
import {
  addAddresses,
  linkExpiryChoices,
  linkExpiryToIso,
  linkFailure,
  linkFromLocation,
  splitAddresses,
} from './link-options'

const now = new Date('2026-11-25T12:00:00.000Z')
const DAY = 86_400_000
const ID = 'AAAAAAAAAAAAAAAAAAAAAA'
const SECRET = 'B'.repeat(43)

describe('linkExpiryChoices', () => {
  it('offers every quick pick under a 30-day maximum or more', () => {
    expect(linkExpiryChoices(30)).toEqual(['1h', '1d', '7d', '30d'])
    expect(linkExpiryChoices(365)).toEqual(['1h', '1d', '7d', '30d'])
  })

  it('drops picks beyond the maximum and offers the maximum itself', () => {
    expect(linkExpiryChoices(14)).toEqual(['1h', '1d', '7d', 'max'])
    expect(linkExpiryChoices(7)).toEqual(['1h', '1d', '7d'])
    expect(linkExpiryChoices(3)).toEqual(['1h', '1d', 'max'])
    expect(linkExpiryChoices(1)).toEqual(['1h', '1d'])
  })
})

describe('linkExpiryToIso', () => {
  it('adds the chosen time', () => {
    expect(linkExpiryToIso('1h', now, 30)).toBe('2026-11-25T13:00:00.000Z')
    expect(linkExpiryToIso('7d', now, 30)).toBe('2026-12-02T12:00:00.000Z')
  })

  it('stays five minutes short of the organisation maximum', () => {
    expect(linkExpiryToIso('30d', now, 30)).toBe(
      new Date(now.getTime() + 30 * DAY - 300_000).toISOString(),
    )
    expect(linkExpiryToIso('max', now, 14)).toBe(
      new Date(now.getTime() + 14 * DAY - 300_000).toISOString(),
    )
  })
})

describe('linkFromLocation', () => {
  it('joins origin, path and fragment into the link', () => {
    expect(linkFromLocation('https://vault.example.org', `/s/${ID}`, `#${SECRET}`)).toBe(
      `https://vault.example.org/s/${ID}#${SECRET}`,
    )
  })

  it('refuses a link without its secret or with a damaged one', () => {
    expect(linkFromLocation('https://vault.example.org', `/s/${ID}`, '')).toBeNull()
    expect(linkFromLocation('https://vault.example.org', `/s/${ID}`, '#short')).toBeNull()
    expect(linkFromLocation('https://vault.example.org', '/s/short', `#${SECRET}`)).toBeNull()
  })
})

describe('linkFailure', () => {
  it('tells apart only a proven missing or wrong passphrase, too many attempts and an unreachable server', () => {
    expect(linkFailure(new ApiError(404, 'not_available', 'x'))).toBe('not_available')
    expect(linkFailure(new ApiError(400, 'invalid_input', 'x'))).toBe('not_available')
    expect(linkFailure(new CryptoError('malformed', 'x'))).toBe('not_available')
    expect(linkFailure(new ApiError(403, 'wrong_passphrase', 'x', { triesLeft: 3 }))).toBe(
      'wrong_passphrase',
    )
    expect(linkFailure(new ApiError(403, 'passphrase_needed', 'x'))).toBe('passphrase_needed')
    expect(linkFailure(new ApiError(429, 'rate_limited', 'x'))).toBe('rate_limited')
    expect(linkFailure(new ApiError(0, 'network', 'x'))).toBe('failed')
    expect(linkFailure(new ApiError(500, 'internal', 'x'))).toBe('failed')
  })
})

describe('splitAddresses', () => {
  it('splits by commas, semicolons and spaces and sorts out what is not an address', () => {
    expect(splitAddresses('a@example.com, b@example.org;c@x.io  nope <d@example.net>')).toEqual({
      valid: ['a@example.com', 'b@example.org', 'c@x.io', 'd@example.net'],
      invalid: ['nope'],
    })
    expect(splitAddresses('  ')).toEqual({ valid: [], invalid: [] })
  })
})

describe('addAddresses', () => {
  it('adds each address once, whatever its case', () => {
    expect(addAddresses(['a@example.com'], ['A@example.com', 'b@example.com'])).toEqual([
      'a@example.com',
      'b@example.com',
    ])
  })
})
