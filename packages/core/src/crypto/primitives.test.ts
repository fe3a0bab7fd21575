import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  AES_GCM_IV_BYTES,
  aesGcmDecrypt,
  aesGcmEncrypt,
  importAesKey,
  sealBytes,
} from './aes-gcm.js'
import { fromBase64Url, fromHex, randomBytes, toHex, utf8 } from './bytes.js'
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
import { canonicalJson } from './canonical-json.js'
import { deriveAesKey, hkdfSha256, sha256 } from './hkdf.js'
import { hpkeOpen, hpkeSeal } from './hpke.js'
import { deriveLinkKeys, parseLinkUrl } from './link.js'
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

describe('a crypto failure', () => {
  /** The CryptoError `promise` fails with: its message must explain, its cause must survive. */
  async function failure(run: () => Promise<unknown>) {
    const error = await run().then(
      () => undefined,
      (thrown: unknown) => thrown,
    )
    expect(error).toBeInstanceOf(CryptoError)
    return error as CryptoError
  }

  it('says what failed and keeps the underlying error as its cause', async () => {
    const key = await importAesKey(randomBytes(32))
    const other = await generateX25519KeyPair()
    const pair = await importX25519KeyPair(other.privateKey, other.publicKey)
    const sealed = await hpkeSeal(pair.publicKey, utf8('x'), utf8('info'), utf8('aad'))
    const signer = await generateEd25519KeyPair()
    const wrapped: Array<[() => Promise<unknown>, RegExp]> = [
      [() => aesGcmDecrypt(key, randomBytes(12), randomBytes(20), utf8('')), /altered/],
      [() => hpkeOpen(pair, sealed, utf8('other'), utf8('aad')), /HPKE .*altered/],
      [() => importEd25519PrivateKey(randomBytes(48)), /Ed25519 private key is invalid/],
      [() => importEd25519Seed(randomBytes(31), signer.publicKey), /Ed25519 seed is invalid/],
      [() => importX25519KeyPair(randomBytes(32), randomBytes(31)), /X25519 key pair is invalid/],
      [
        () => verifyEd25519(pair.publicKey, new Uint8Array(64), utf8('m')),
        /signature cannot be checked/,
      ],
    ]
    for (const [run, message] of wrapped) {
      const error = await failure(run)
      expect(error.message).toMatch(message)
      expect(error.cause).toBeInstanceOf(Error)
    }
  })

  it('names the check that failed', async () => {
    const verifier = await importEd25519PublicKey((await generateEd25519KeyPair()).publicKey)
    const checks: Array<[() => Promise<unknown>, RegExp]> = [
      [() => verifyEd25519(verifier, new Uint8Array(64), utf8('m')), /^signature does not verify$/],
      [() => deriveLinkKeys(randomBytes(16)), /^a link secret is 32 bytes$/],
      [
        async () => openEnvelope(await importAesKey(randomBytes(32)), { v: 1 }, utf8('')),
        /^envelope is malformed$/,
      ],
      [async () => fromBase64Url('*'), /^not base64url$/],
      [async () => parseLinkUrl('https://x.test/'), /^this is not a Sealpost link$/],
    ]
    for (const [run, message] of checks) {
      expect((await failure(run)).message).toMatch(message)
    }
    expect(() => fromHex('abc')).toThrow(/^not hex$/)
  })
})

describe('Ed25519 from an RFC 8032 seed', () => {
  it('signs the RFC 8032 §7.1 test 1 message with its known signature', async () => {
    const key = await importEd25519Seed(
      fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'),
      fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'),
    )
    expect(key.extractable).toBe(false)
    expect(key.usages).toEqual(['sign'])
    expect(toHex(await signEd25519(key, new Uint8Array()))).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065' +
        '224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    )
  })
})

describe('canonical JSON', () => {
  it('sorts many keys given in any order', () => {
    const keys = Array.from({ length: 60 }, (_, i) => `k${String(i).padStart(2, '0')}`)
    const shuffled = [...keys].sort(
      (a, b) =>
        ((a.charCodeAt(2) * 7 + a.charCodeAt(1)) % 11) -
          ((b.charCodeAt(2) * 7 + b.charCodeAt(1)) % 11) || b.localeCompare(a),
    )
    const value = Object.fromEntries(shuffled.map((k) => [k, 1]))
    expect(canonicalJson(value)).toBe(`{${keys.map((k) => `"${k}":1`).join(',')}}`)
  })
})
