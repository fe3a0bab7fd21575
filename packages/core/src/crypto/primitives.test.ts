import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { AES_GCM_IV_BYTES, aesGcmEncrypt, importAesKey, sealBytes } from './aes-gcm.js'
import { randomBytes, toHex, utf8 } from './bytes.js'
import { CryptoError, type CryptoErrorCode } from './crypto-error.js'
import {
  generateEd25519KeyPair,
  importEd25519PrivateKey,
  importEd25519PublicKey,
  importEd25519Seed,
  signEd25519,
  verifyEd25519,
} from './ed25519.js'
import {
  openEnvelope,
  openJsonEnvelope,
  openTextEnvelope,
  readSealedJson,
  sealEnvelope,
} from './envelope.js'
import { deriveAesKey, hkdfSha256, sha256 } from './hkdf.js'
import {
  generateX25519KeyPair,
  importX25519KeyPair,
  importX25519PublicKey,
  x25519SharedSecret,
} from './x25519.js'

async function expectCryptoError(
  promise: Promise<unknown>,
  code: CryptoErrorCode,
  message?: RegExp,
): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(CryptoError)
  expect(error).toMatchObject({ code })
  if (message) expect((error as Error).message).toMatch(message)
}

describe('CryptoError', () => {
  it('carries its code, a message that defaults to the code, and the cause', () => {
    const cause = new Error('tag mismatch')
    const error = new CryptoError('decrypt_failed', undefined, { cause })
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('CryptoError')
    expect(error.message).toBe('decrypt_failed')
    expect(error.cause).toBe(cause)
    expect(new CryptoError('malformed', 'bad shape').message).toBe('bad shape')
  })
})

describe('AES-256-GCM', () => {
  it('refuses a key that is not 32 bytes', async () => {
    for (const length of [16, 31, 33]) {
      await expectCryptoError(importAesKey(randomBytes(length)), 'bad_key', /32 bytes/)
    }
  })

  it('imports a key for only the usages asked for', async () => {
    const key = await importAesKey(randomBytes(32), ['decrypt'])
    expect(key.usages).toEqual(['decrypt'])
    expect(key.extractable).toBe(false)
    await expect(aesGcmEncrypt(key, randomBytes(12), utf8('x'), utf8(''))).rejects.toThrow()
  })

  it('seals with a fresh 96-bit IV each time and appends the 16-byte tag', async () => {
    const key = await importAesKey(randomBytes(32))
    const a = await sealBytes(key, utf8('same'), utf8('aad'))
    const b = await sealBytes(key, utf8('same'), utf8('aad'))
    expect(AES_GCM_IV_BYTES).toBe(12)
    expect(a.iv).toHaveLength(12)
    expect(toHex(a.iv)).not.toBe(toHex(b.iv))
    expect(a.ct).toHaveLength(4 + 16)
  })
})

describe('HKDF', () => {
  it('derives a different key for each purpose', async () => {
    const ikm = randomBytes(32)
    const a = await deriveAesKey(ikm, 'sealpost/v1/test/a')
    const b = await deriveAesKey(ikm, 'sealpost/v1/test/b')
    const sealed = await sealEnvelope(a, utf8('x'), utf8(''))
    expect(
      await openEnvelope(await deriveAesKey(ikm, 'sealpost/v1/test/a'), sealed, utf8('')),
    ).toEqual(utf8('x'))
    await expectCryptoError(openEnvelope(b, sealed, utf8('')), 'decrypt_failed')
  })

  it('derives keys for only the usages asked for, with an all-zero salt', async () => {
    const ikm = randomBytes(32)
    const key = await deriveAesKey(ikm, 'purpose', ['encrypt'])
    expect(key.usages).toEqual(['encrypt'])
    // RFC 5869 §2.2: no salt is a salt of HashLen zeros; the raw derivation must agree.
    const raw = await hkdfSha256(ikm, new Uint8Array(32), utf8('purpose'), 32)
    const sealed = await sealEnvelope(key, utf8('x'), utf8(''))
    expect(await openEnvelope(await importAesKey(raw), sealed, utf8(''))).toEqual(utf8('x'))
    expect(await hkdfSha256(ikm, new Uint8Array(32), utf8('purpose'), 16)).toHaveLength(16)
  })

  it('hashes with SHA-256', async () => {
    expect(toHex(await sha256(utf8('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
  })
})

describe('Ed25519', () => {
  it('signs with a generated pair and verifies with its 32-byte public key', async () => {
    const pair = await generateEd25519KeyPair()
    expect(pair.publicKey).toHaveLength(32)
    const signer = await importEd25519PrivateKey(pair.privateKeyPkcs8)
    expect(signer.extractable).toBe(false)
    const signature = await signEd25519(signer, utf8('hello'))
    const verifier = await importEd25519PublicKey(pair.publicKey)
    await expect(verifyEd25519(verifier, signature, utf8('hello'))).resolves.toBeUndefined()
    await expectCryptoError(verifyEd25519(verifier, signature, utf8('hellO')), 'bad_signature')
    await expectCryptoError(
      verifyEd25519(verifier, signature.slice(0, 63), utf8('hello')),
      'bad_signature',
    )
  })

  it('refuses keys that are not Ed25519 keys', async () => {
    await expectCryptoError(importEd25519PublicKey(randomBytes(31)), 'bad_key', /32 bytes/)
    await expectCryptoError(importEd25519PrivateKey(randomBytes(48)), 'bad_key')
    await expectCryptoError(importEd25519Seed(randomBytes(31), randomBytes(32)), 'bad_key')
  })
})

describe('X25519', () => {
  it('agrees on one shared secret from either side', async () => {
    const a = await generateX25519KeyPair()
    const b = await generateX25519KeyPair()
    expect(a.publicKey).toHaveLength(32)
    expect(a.privateKey).toHaveLength(32)
    const aPair = await importX25519KeyPair(a.privateKey, a.publicKey)
    const bPair = await importX25519KeyPair(b.privateKey, b.publicKey)
    expect(aPair.privateKey.extractable).toBe(false)
    const ab = await x25519SharedSecret(aPair.privateKey, await importX25519PublicKey(b.publicKey))
    const ba = await x25519SharedSecret(bPair.privateKey, aPair.publicKey)
    expect(ab).toHaveLength(32)
    expect(toHex(ab)).toBe(toHex(ba))
  })

  it('refuses keys that are not 32 bytes', async () => {
    await expectCryptoError(importX25519PublicKey(randomBytes(33)), 'bad_key', /32 bytes/)
    const { publicKey } = await generateX25519KeyPair()
    await expectCryptoError(importX25519KeyPair(randomBytes(31), publicKey), 'bad_key', /32 bytes/)
  })
})

describe('envelope', () => {
  const Shape = z.object({ n: z.number() })

  it('refuses an unknown version before anything else, and a shapeless value as malformed', async () => {
    const key = await importAesKey(randomBytes(32))
    const sealed = await sealEnvelope(key, utf8('x'), utf8(''))
    expect(sealed.v).toBe(1)
    await expectCryptoError(
      openEnvelope(key, { ...sealed, v: 2 }, utf8('')),
      'unsupported_version',
      /version 2/,
    )
    for (const value of [null, 'text', { iv: sealed.iv, ct: sealed.ct }, { ...sealed, ct: 1 }]) {
      await expectCryptoError(openEnvelope(key, value, utf8('')), 'malformed')
    }
  })

  it('opens JSON of the expected shape and text, and names what was wrong otherwise', async () => {
    const key = await importAesKey(randomBytes(32))
    const aad = utf8('aad')
    expect(
      await openJsonEnvelope(
        key,
        await sealEnvelope(key, utf8('{"n":1}'), aad),
        aad,
        Shape,
        'the thing',
      ),
    ).toEqual({ n: 1 })
    expect(
      await openTextEnvelope(key, await sealEnvelope(key, utf8('hi'), aad), aad, 'a note'),
    ).toBe('hi')
    await expectCryptoError(
      openJsonEnvelope(
        key,
        await sealEnvelope(key, utf8('{"n":"1"}'), aad),
        aad,
        Shape,
        'the thing',
      ),
      'malformed',
      /^the thing has the wrong shape$/,
    )
    await expectCryptoError(
      openTextEnvelope(key, await sealEnvelope(key, new Uint8Array([0xff]), aad), aad, 'a note'),
      'malformed',
      /^a note is not UTF-8 text$/,
    )
    expect(() => readSealedJson(utf8('{'), Shape, 'the thing')).toThrow(
      /^the thing is not readable$/,
    )
  })
})
