import { describe, expect, it } from 'vitest'
import {
  expiryPresetMs,
  parsePolicyAssignment,
  policyCatalogue,
  policyKeys,
  resolvePolicy,
} from './policies.js'

describe('policy resolution', () => {
  it('takes the user’s value over the groups’, the groups’ over the organisation’s', () => {
    const policy = resolvePolicy({
      org: { canCreateLinks: false, maxLinkViews: 5, maxFileMb: 10 },
      groups: [{ name: 'ops', settings: { maxLinkViews: 8 } }],
      user: { maxFileMb: 2 },
    })
    expect(policy.canCreateLinks).toEqual({ value: false, source: 'org' })
    expect(policy.maxLinkViews).toEqual({ value: 8, source: 'group:ops' })
    expect(policy.maxFileMb).toEqual({ value: 2, source: 'user' })
    expect(policy.canSendEmail).toEqual({ value: true, source: 'default' })
  })

  it('lets the most generous of two disagreeing groups win, whatever their order', () => {
    const groups = [
      {
        name: 'contractors',
        settings: {
          canCreateLinks: false,
          maxLinkViews: 3,
          requireLinkPassphrase: true,
          defaultExpiry: '1d',
          allowedEmailDomains: ['partner.test'],
        },
      },
      {
        name: 'ops',
        settings: {
          canCreateLinks: true,
          maxLinkViews: 0,
          requireLinkPassphrase: false,
          defaultExpiry: '2w',
          allowedEmailDomains: ['example.org'],
        },
      },
    ]
    for (const order of [groups, [...groups].reverse()]) {
      const policy = resolvePolicy({ org: { canCreateLinks: false }, groups: order })
      expect(policy.canCreateLinks).toEqual({ value: true, source: 'group:ops' })
      // 0 is no maximum: the most generous limit.
      expect(policy.maxLinkViews).toEqual({ value: 0, source: 'group:ops' })
      expect(policy.requireLinkPassphrase).toEqual({ value: false, source: 'group:ops' })
      expect(policy.defaultExpiry).toEqual({ value: '2w', source: 'group:ops' })
      expect([...policy.allowedEmailDomains.value].sort()).toEqual(['example.org', 'partner.test'])
    }
  })

  it('has a default that its own schema accepts for every key', () => {
    for (const key of policyKeys) {
      const definition = policyCatalogue[key]
      expect(definition.schema.safeParse(definition.default).success, key).toBe(true)
    }
  })
})

describe('KEY=VALUE', () => {
  it('reads booleans, numbers, durations and lists through the key’s schema', () => {
    expect(parsePolicyAssignment('canCreateLinks=false')).toEqual({
      ok: true,
      key: 'canCreateLinks',
      value: false,
    })
    expect(parsePolicyAssignment('maxLinkViews=5')).toMatchObject({ value: 5 })
    expect(parsePolicyAssignment('defaultExpiry=7d')).toMatchObject({ value: '7d' })
    expect(parsePolicyAssignment('allowedEmailDomains=Example.org, partner.test')).toMatchObject({
      value: ['example.org', 'partner.test'],
    })
    expect(parsePolicyAssignment('allowedEmailDomains=')).toMatchObject({ value: [] })
  })

  it('names the key in every error', () => {
    for (const text of [
      'canCreateLinks=maybe',
      'maxLinkViews=101',
      'maxLinkViews=many',
      'defaultExpiry=7 days',
      'allowedEmailDomains=example.org,not a domain',
    ]) {
      const parsed = parsePolicyAssignment(text)
      expect(parsed.ok, text).toBe(false)
      expect(!parsed.ok && parsed.error).toMatch(new RegExp(`^${text.split('=')[0]}: `))
    }
    expect(parsePolicyAssignment('canFly=true')).toMatchObject({ ok: false })
    expect(parsePolicyAssignment('canCreateLinks')).toMatchObject({ ok: false })
  })

  it('turns a preset into milliseconds, never into null', () => {
    expect(expiryPresetMs('90m')).toBe(90 * 60_000)
    expect(expiryPresetMs('2w')).toBe(14 * 24 * 3_600_000)
    expect(expiryPresetMs('never')).toBeNull()
  })
})
