import { describe, expect, it } from 'vitest'
import { regionalLocale } from './use-locale'

describe('regionalLocale', () => {
  it('takes the first preferred locale in the interface language', () => {
    expect(regionalLocale('en', ['de-DE', 'en-GB', 'en-US'])).toBe('en-GB')
    expect(regionalLocale('en', ['EN-au'])).toBe('EN-au')
  })

  it('keeps the interface language when no preferred locale is in it', () => {
    expect(regionalLocale('en', ['de-DE', 'fr'])).toBe('en')
    expect(regionalLocale('en', [])).toBe('en')
  })
})
