import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { csrfTokenFor, newToken, proves, sameSecret, tokenHash } from './tokens.js'

const sha256 = (data: string | Buffer) => createHash('sha256').update(data)

describe('bearer tokens', () => {
  it('are 256 random bits in base64url, stored as their SHA-256 in hex', () => {
    const { token, hash } = newToken()
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(token, 'base64url')).toHaveLength(32)
    expect(hash).toBe(sha256(token).digest('hex'))
    expect(tokenHash(token)).toBe(hash)
    expect(newToken().token).not.toBe(token)
  })
})

describe('CSRF tokens', () => {
  it('are fixed for a session and differ between sessions', () => {
    const a = tokenHash(newToken().token)
    const b = tokenHash(newToken().token)
    expect(csrfTokenFor(a)).toBe(csrfTokenFor(a))
    expect(csrfTokenFor(a)).not.toBe(csrfTokenFor(b))
    expect(csrfTokenFor(a)).toMatch(/^[A-Za-z0-9_-]{43}$/)
    // Not the session id's own hash: knowing one gives nothing about the other.
    expect(csrfTokenFor(a)).not.toBe(sha256(a).digest('base64url'))
  })
})

describe('secret comparison', () => {
  it('is true only for the same text', () => {
    expect(sameSecret('abc', 'abc')).toBe(true)
    expect(sameSecret('', '')).toBe(true)
    expect(sameSecret('abc', 'abd')).toBe(false)
    expect(sameSecret('abc', 'abcd')).toBe(false)
    expect(sameSecret('', 'a')).toBe(false)
  })
})

describe('proofs', () => {
  const proof = Buffer.alloc(32, 7).toString('base64url')
  const verifier = sha256(Buffer.alloc(32, 7)).digest('base64url')

  it('hold when the SHA-256 of the proof is the stored verifier', () => {
    expect(proves(proof, verifier)).toBe(true)
  })

  it('fail for another proof, no proof, or a verifier of another length', () => {
    expect(proves(Buffer.alloc(32, 8).toString('base64url'), verifier)).toBe(false)
    expect(proves(undefined, verifier)).toBe(false)
    expect(proves(proof, verifier.slice(0, 20))).toBe(false)
    expect(proves(proof, '')).toBe(false)
  })
})
