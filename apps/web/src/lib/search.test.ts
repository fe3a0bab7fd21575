import { describe, expect, it } from 'vitest'
import { foldForSearch, holdsAllWords } from './search'

describe('holdsAllWords', () => {
  it('finds every word in any order, ignoring case and accents', () => {
    expect(holdsAllWords('vpn ADA', 'Ada Admin — Berlin VPN')).toBe(true)
    expect(holdsAllWords('resume', 'Résumé')).toBe(true)
  })

  it('needs every word, not one of them', () => {
    expect(holdsAllWords('vpn paris', 'Ada Admin — Berlin VPN')).toBe(false)
  })

  it('matches nothing for a blank query', () => {
    expect(holdsAllWords('  ', 'anything')).toBe(false)
  })

  it('folds accents away', () => {
    expect(foldForSearch('Crème Brûlée')).toBe('creme brulee')
  })
})
