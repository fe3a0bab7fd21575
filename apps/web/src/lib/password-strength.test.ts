import { describe, expect, it } from 'vitest'
import { isAtLeast, passwordStrength } from './password-strength'

describe('passwordStrength', () => {
  it('calls an empty password empty', () => {
    expect(passwordStrength('')).toBe('empty')
  })

  it('rates twelve random lowercase letters fair', () => {
    expect(passwordStrength('kqzmfwpxtrvb')).toBe('fair')
  })

  it('rates eleven random lowercase letters weak', () => {
    expect(passwordStrength('kqzmfwpxtrv')).toBe('weak')
  })

  it('rates a shorter mix of classes as equivalent to fair or better', () => {
    expect(isAtLeast(passwordStrength('Tr0ub4d&r3'), 'fair')).toBe(true)
  })

  it('rates anything under eight characters weak', () => {
    expect(passwordStrength('Ab1!xY9')).toBe('weak')
  })

  it('rates repeats and runs weak', () => {
    expect(passwordStrength('aaaaaaaaaaaaaaaa')).toBe('weak')
    expect(passwordStrength('abcdefghijklmnop')).toBe('weak')
    expect(passwordStrength('1234567890123456')).toBe('weak')
  })

  it('rates common passwords weak', () => {
    expect(passwordStrength('Password1234')).toBe('weak')
    expect(passwordStrength('qwertyqwerty')).toBe('weak')
  })

  it("rates a password built from the user's own names weak", () => {
    expect(passwordStrength('alice.example2', ['alice', 'Alice Example'])).toBe('weak')
  })

  it('rates a four-word passphrase strong', () => {
    expect(passwordStrength('correct horse battery staple')).toBe('strong')
  })
})
