import { describe, expect, it } from 'vitest'
import { runCryptoVectors } from './vectors/run-vectors.js'

// Run at load time so that each vector becomes its own test.
const results = await runCryptoVectors()

describe('crypto known-answer vectors', () => {
  it('covers every primitive', () => {
    for (const primitive of ['AES-256-GCM', 'HKDF-SHA-256', 'X25519', 'Ed25519', 'HPKE']) {
      expect(results.some((r) => r.name.startsWith(`${primitive} `))).toBe(true)
    }
  })

  for (const { name, ok, detail } of results) {
    it(name, () => {
      expect(ok, detail).toBe(true)
    })
  }
})
