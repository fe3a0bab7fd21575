import { describe, expect, it } from 'vitest'
import {
  CHARACTER_CLASSES,
  DEFAULT_OPTIONS,
  classesIn,
  generatePassword,
  randomBelow,
} from './password-generator'

describe('generatePassword', () => {
  it('has the chosen length, clamped to 12–64', () => {
    expect(generatePassword({ ...DEFAULT_OPTIONS, length: 30 })).toHaveLength(30)
    expect(generatePassword({ ...DEFAULT_OPTIONS, length: 4 })).toHaveLength(12)
    expect(generatePassword({ ...DEFAULT_OPTIONS, length: 500 })).toHaveLength(64)
  })

  it('always holds one of every chosen class, even at the shortest length', () => {
    for (let i = 0; i < 500; i++) {
      const password = generatePassword({ ...DEFAULT_OPTIONS, length: 12 })
      expect(classesIn(password)).toEqual(new Set(['lower', 'upper', 'digits', 'symbols']))
    }
  })

  it('keeps the guarantee when the random source always picks the first letter', () => {
    const password = generatePassword({ ...DEFAULT_OPTIONS, length: 12 }, () => 0)
    expect(classesIn(password)).toEqual(new Set(['lower', 'upper', 'digits', 'symbols']))
  })

  it('uses only the chosen classes', () => {
    for (let i = 0; i < 100; i++) {
      const digitsOnly = generatePassword({
        length: 16,
        lower: false,
        upper: false,
        digits: true,
        symbols: false,
      })
      expect(digitsOnly).toMatch(/^[0-9]{16}$/)
      const letters = generatePassword({ ...DEFAULT_OPTIONS, digits: false, symbols: false })
      expect(classesIn(letters)).toEqual(new Set(['lower', 'upper']))
    }
  })

  it('refuses when no class is chosen', () => {
    expect(() =>
      generatePassword({ length: 20, lower: false, upper: false, digits: false, symbols: false }),
    ).toThrow()
  })

  it('draws from the platform CSPRNG, not Math.random', () => {
    const original = Math.random
    Math.random = () => {
      throw new Error('Math.random used')
    }
    try {
      expect(generatePassword(DEFAULT_OPTIONS)).toHaveLength(DEFAULT_OPTIONS.length)
    } finally {
      Math.random = original
    }
  })

  it('spreads its picks over the whole alphabet', () => {
    const seen = new Set(generatePassword({ ...DEFAULT_OPTIONS, length: 64 }).split(''))
    for (let i = 0; i < 200; i++) {
      for (const c of generatePassword({ ...DEFAULT_OPTIONS, length: 64 })) seen.add(c)
    }
    const alphabet = Object.values(CHARACTER_CLASSES).join('')
    expect(seen.size).toBe(alphabet.length)
  })
})

describe('randomBelow', () => {
  it('stays in range', () => {
    for (let i = 0; i < 1000; i++) {
      const n = randomBelow(7)
      expect(n).toBeGreaterThanOrEqual(0)
      expect(n).toBeLessThan(7)
    }
  })
})
