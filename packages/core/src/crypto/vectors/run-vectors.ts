import { aesGcmDecrypt, aesGcmEncrypt, importAesKey } from '../aes-gcm.js'
import { type Bytes, concatBytes, equalBytes, fromBase64Url, fromHex, toHex } from '../bytes.js'
import { CryptoError, type CryptoErrorCode } from '../crypto-error.js'
import { importEd25519PublicKey, importEd25519Seed, signEd25519, verifyEd25519 } from '../ed25519.js'
import { hkdfSha256 } from '../hkdf.js'
import { hpkeOpen, loadHpkeSuite } from '../hpke.js'
import { importX25519KeyPair, importX25519PublicKey, x25519SharedSecret } from '../x25519.js'
import aesGcm from './aes-256-gcm.json' with { type: 'json' }
import ed25519 from './ed25519.json' with { type: 'json' }
import hkdf from './hkdf-sha256.json' with { type: 'json' }
import hpke from './hpke.json' with { type: 'json' }
import x25519 from './x25519.json' with { type: 'json' }

/** One known-answer check: its name, whether it passed, and why not. */
export type VectorResult = { name: string; ok: boolean; detail?: string }

type Check = { name: string; run: () => Promise<void> }

/**
 * Runs every known-answer vector in this folder through Sealpost's crypto wrappers.
 * Uses WebCrypto only, so the same code runs in Node and in a browser; never throws.
 */
export async function runCryptoVectors(): Promise<VectorResult[]> {
  const checks = [
    ...aesGcmChecks(),
    ...hkdfChecks(),
    ...x25519Checks(),
    ...ed25519Checks(),
    ...hpkeChecks(),
  ]
  const results: VectorResult[] = []
  for (const check of checks) {
    try {
      await check.run()
      results.push({ name: check.name, ok: true })
    } catch (error) {
      results.push({ name: check.name, ok: false, detail: explain(error) })
    }
  }
  return results
}

function aesGcmChecks(): Check[] {
  return aesGcm.cases.flatMap((c) => {
    const name = `AES-256-GCM ${c.name}`
    const expected = concatBytes(fromHex(c.ct), fromHex(c.tag))
    const key = () => importAesKey(fromHex(c.key))
    return [
      {
        name: `${name}: encrypts to ct || tag`,
        run: async () => {
          const ct = await aesGcmEncrypt(await key(), fromHex(c.iv), fromHex(c.pt), fromHex(c.aad))
          expectBytes(ct, expected, 'ct || tag')
        },
      },
      {
        name: `${name}: decrypts ct || tag to the plaintext`,
        run: async () => {
          const pt = await aesGcmDecrypt(await key(), fromHex(c.iv), expected, fromHex(c.aad))
          expectBytes(pt, fromHex(c.pt), 'plaintext')
        },
      },
      {
        name: `${name}: rejects a flipped tag bit`,
        run: async () => {
          const tampered = flipBit(expected, expected.length - 1)
          await expectCryptoError(
            aesGcmDecrypt(await key(), fromHex(c.iv), tampered, fromHex(c.aad)),
            'decrypt_failed',
          )
        },
      },
    ]
  })
}

function hkdfChecks(): Check[] {
  return hkdf.cases.map((c) => ({
    name: `HKDF-SHA-256 ${c.name}: derives the OKM`,
    run: async () => {
      const okm = await hkdfSha256(fromHex(c.ikm), fromHex(c.salt), fromHex(c.info), c.length)
      expectBytes(okm, fromHex(c.okm), 'OKM')
    },
  }))
}

function x25519Checks(): Check[] {
  const { dh } = x25519
  const basePoint = fromHex('09'.padEnd(64, '0'))
  const scalarMult = x25519.scalarMult.map((c) => ({
    name: `X25519 ${c.name}: multiplies the scalar by the u-coordinate`,
    run: async () => {
      const scalar = fromHex(c.scalar)
      const pair = await importX25519KeyPair(scalar, await x25519PublicKeyOf(scalar))
      const out = await x25519SharedSecret(pair.privateKey, await importX25519PublicKey(fromHex(c.u)))
      expectBytes(out, fromHex(c.out), 'output u-coordinate')
    },
  }))
  const parties = [
    { who: 'Alice', priv: dh.alicePrivate, pub: dh.alicePublic, peer: dh.bobPublic },
    { who: 'Bob', priv: dh.bobPrivate, pub: dh.bobPublic, peer: dh.alicePublic },
  ]
  return [
    ...scalarMult,
    ...parties.flatMap((p) => [
      {
        name: `X25519 ${dh.name}: ${p.who}'s public key is X25519(private, 9)`,
        run: async () => {
          const pair = await importX25519KeyPair(fromHex(p.priv), fromHex(p.pub))
          const pub = await x25519SharedSecret(pair.privateKey, await importX25519PublicKey(basePoint))
          expectBytes(pub, fromHex(p.pub), `${p.who}'s public key`)
        },
      },
      {
        name: `X25519 ${dh.name}: ${p.who} derives the shared secret K`,
        run: async () => {
          const pair = await importX25519KeyPair(fromHex(p.priv), fromHex(p.pub))
          const k = await x25519SharedSecret(pair.privateKey, await importX25519PublicKey(fromHex(p.peer)))
          expectBytes(k, fromHex(dh.shared), 'K')
        },
      },
    ]),
  ]
}

function ed25519Checks(): Check[] {
  return ed25519.cases.flatMap((c) => {
    const name = `Ed25519 ${c.name}`
    const message = fromHex(c.message)
    const signature = fromHex(c.signature)
    const publicKey = () => importEd25519PublicKey(fromHex(c.publicKey))
    return [
      {
        name: `${name}: signs to the published signature`,
        run: async () => {
          const key = await importEd25519Seed(fromHex(c.secretKey), fromHex(c.publicKey))
          expectBytes(await signEd25519(key, message), signature, 'signature')
        },
      },
      {
        name: `${name}: verifies the published signature`,
        run: async () => verifyEd25519(await publicKey(), signature, message),
      },
      {
        name: `${name}: rejects the signature with one bit flipped`,
        run: async () =>
          expectCryptoError(
            verifyEd25519(await publicKey(), flipBit(signature, 0), message),
            'bad_signature',
          ),
      },
    ]
  })
}

function hpkeChecks(): Check[] {
  return hpke.vectors.flatMap((v) => {
    const [first] = v.encryptions
    if (!first) {
      return [{ name: `HPKE ${v.name}`, run: () => Promise.reject(new Error('no encryptions')) }]
    }
    const enc = fromHex(v.enc)
    const info = fromHex(v.info)
    const aad = fromHex(first.aad)
    const ct = fromHex(first.ct)
    const recipient = () => importX25519KeyPair(fromHex(v.skRm), fromHex(v.pkRm))
    const rejects = (what: string, sealed: Bytes, withInfo: Bytes, withAad: Bytes): Check => ({
      name: `HPKE ${v.name}: rejects the sequence-0 ciphertext with ${what}`,
      run: async () =>
        expectCryptoError(
          hpkeOpen(await recipient(), { enc, ct: sealed }, withInfo, withAad),
          'decrypt_failed',
        ),
    })
    return [
      {
        name: `HPKE ${v.name}: suite ids match the vector`,
        run: async () => {
          const hpkeSuite = await loadHpkeSuite()
          const ids = [hpkeSuite.kem.id, hpkeSuite.kdf.id, hpkeSuite.aead.id]
          const want = [v.kem_id, v.kdf_id, v.aead_id]
          if (v.mode !== 0 || ids.join() !== want.join()) {
            throw new Error(`suite ${ids.join()} mode 0, vector ${want.join()} mode ${v.mode}`)
          }
        },
      },
      {
        name: `HPKE ${v.name}: DeriveKeyPair(ikmR) gives pkRm`,
        run: async () => {
          const { kem } = await loadHpkeSuite()
          const pair = await kem.deriveKeyPair(fromHex(v.ikmR))
          const pk = new Uint8Array(await kem.serializePublicKey(pair.publicKey))
          expectBytes(pk, fromHex(v.pkRm), 'pkRm')
        },
      },
      {
        name: `HPKE ${v.name}: opens the sequence-0 ciphertext single-shot`,
        run: async () => {
          const pt = await hpkeOpen(await recipient(), { enc, ct }, info, aad)
          expectBytes(pt, fromHex(first.pt), 'plaintext')
        },
      },
      {
        name: `HPKE ${v.name}: opens every listed encryption in sequence`,
        run: async () => {
          const context = await (await loadHpkeSuite()).createRecipientContext({
            recipientKey: await recipient(),
            enc,
            info,
          })
          for (const [seq, e] of v.encryptions.entries()) {
            const pt = new Uint8Array(await context.open(fromHex(e.ct), fromHex(e.aad)))
            expectBytes(pt, fromHex(e.pt), `plaintext ${seq}`)
          }
        },
      },
      rejects('a flipped ciphertext bit', flipBit(ct, 0), info, aad),
      rejects('a changed aad', ct, info, flipBit(aad, aad.length - 1)),
      rejects('a changed info', ct, flipBit(info, 0), aad),
    ]
  })
}

// RFC 7748 §5.2 gives no public key for its scalars, and WebCrypto's JWK import insists on the
// matching `x`, so the public half comes from importing the scalar as PKCS#8 (RFC 8410 §7)
// and reading `x` back, which Node and browsers both support.
const X25519_PKCS8_PREFIX = fromHex('302e020100300506032b656e04220420')

async function x25519PublicKeyOf(scalar: Bytes): Promise<Bytes> {
  const key = await crypto.subtle.importKey(
    'pkcs8',
    concatBytes(X25519_PKCS8_PREFIX, scalar),
    { name: 'X25519' },
    true,
    ['deriveBits'],
  )
  const { x } = await crypto.subtle.exportKey('jwk', key)
  if (!x) throw new Error('X25519 JWK export has no x')
  return fromBase64Url(x)
}

function expectBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  if (!equalBytes(actual, expected)) {
    throw new Error(`${what}: got ${toHex(actual)}, want ${toHex(expected)}`)
  }
}

async function expectCryptoError(promise: Promise<unknown>, code: CryptoErrorCode): Promise<void> {
  try {
    await promise
  } catch (error) {
    if (error instanceof CryptoError && error.code === code) return
    throw new Error(`threw ${explain(error)}, want CryptoError(${code})`)
  }
  throw new Error(`did not throw, want CryptoError(${code})`)
}

function flipBit(bytes: Bytes, index: number): Bytes {
  const copy = bytes.slice()
  copy[index] = (copy[index] ?? 0) ^ 0x01
  return copy
}

function explain(error: unknown): string {
  if (error instanceof CryptoError) return `CryptoError(${error.code}): ${error.message}`
  if (error instanceof Error) return `${error.name}: ${error.message}`
  return String(error)
}
