import { describe, expect, it } from 'vitest'
import { isSet, isSwitchKey, parsePolicyText, policyValueText } from './policy-values'

describe('policy values typed by an administrator', () => {
  it('shows allowances and requirements as switches, limits and lists as text', () => {
    expect(isSwitchKey('canCreateLinks')).toBe(true)
    expect(isSwitchKey('requireTwoFactor')).toBe(true)
    expect(isSwitchKey('maxLinkViews')).toBe(false)
    expect(isSwitchKey('defaultExpiry')).toBe(false)
    expect(isSwitchKey('allowedEmailDomains')).toBe(false)
  })

  it('reads a limit, a preset and a list of domains as the CLI does', () => {
    expect(parsePolicyText('maxLinkViews', ' 5 ')).toEqual({
      ok: true,
      update: { maxLinkViews: 5 },
    })
    expect(parsePolicyText('defaultExpiry', '2w')).toEqual({
      ok: true,
      update: { defaultExpiry: '2w' },
    })
    expect(parsePolicyText('allowedEmailDomains', 'Example.org, partner.test')).toEqual({
      ok: true,
      update: { allowedEmailDomains: ['example.org', 'partner.test'] },
    })
  })

  it('gives the schema’s reason for a value the key cannot take', () => {
    expect(parsePolicyText('maxLinkViews', 'many')).toMatchObject({ ok: false })
    expect(parsePolicyText('maxFileMb', '5000')).toMatchObject({ ok: false })
    expect(parsePolicyText('defaultExpiry', 'soon')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('duration') as unknown,
    })
  })

  it('shows a value as the field takes it back', () => {
    expect(policyValueText(['example.org', 'partner.test'])).toBe('example.org, partner.test')
    expect(policyValueText(12)).toBe('12')
    expect(policyValueText(undefined)).toBe('')
  })

  it('tells a set key from one that is inherited', () => {
    expect(isSet({ canCreateLinks: false }, 'canCreateLinks')).toBe(true)
    expect(isSet({ canCreateLinks: false }, 'maxLinkViews')).toBe(false)
  })
})
