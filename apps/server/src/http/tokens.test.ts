import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  csrfTokenFor,
  newToken,
  newWebhookSecret,
  proves,
  sameSecret,
  sha256Hex,
  tokenHash,
  webhookSignature,
} from './tokens.js'

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

describe('audit chain hashes', () => {
  it('are the SHA-256 of the text’s UTF-8 in hex', () => {
    // FIPS 180-2 appendix B.1; and a text outside ASCII hashes its UTF-8 bytes.
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
    expect(sha256Hex('é')).toBe(sha256(Buffer.from([0xc3, 0xa9])).digest('hex'))
  })
})

describe('webhook signatures', () => {
  it('match the Standard Webhooks specification’s test vector', () => {
    // Receivers verify with that specification's libraries, so its vector is the contract.
    const signature = webhookSignature('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', {
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: 1614265330,
      body: '{"test": 2432232314}',
    })
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=')
  })

  it('use secrets of 24 random bytes behind whsec_', () => {
    const secret = newWebhookSecret()
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/)
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(24)
    expect(newWebhookSecret()).not.toBe(secret)
  })
})
