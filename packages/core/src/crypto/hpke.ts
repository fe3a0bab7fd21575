import type { CipherSuite } from '@hpke/core'
import { type Bytes, fromBase64Url } from './bytes.js'
import { CryptoError } from './crypto-error.js'
import { importX25519PublicKey } from './x25519.js'

let suite: Promise<CipherSuite> | undefined

/**
 * RFC 9180 suite: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM; base mode. Loaded on
 * the first seal or open: a web page that opens nothing sealed to its user (the vault page of
 * someone without shared vaults) does not download it (issue 15).
 */
export function loadHpkeSuite(): Promise<CipherSuite> {
  suite ??= import('@hpke/core').then(
    ({ Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 }) =>
      new CipherSuite({
        kem: new DhkemX25519HkdfSha256(),
        kdf: new HkdfSha256(),
        aead: new Aes256Gcm(),
      }),
  )
  return suite
}

export type HpkeSealed = { enc: Bytes; ct: Bytes }

/** A pre-shared key for PSK mode (RFC 9180 §5.1.2): only its holders can seal to the recipient. */
export type HpkePsk = { id: Bytes; key: Bytes }

/** Single-shot HPKE seal to one recipient (RFC 9180 §6.1); PSK mode when `psk` is given. */
export async function hpkeSeal(
  recipientPublicKey: CryptoKey,
  plaintext: Bytes,
  info: Bytes,
  aad: Bytes,
  psk?: HpkePsk,
): Promise<HpkeSealed> {
  const { ct, enc } = await (
    await loadHpkeSuite()
  ).seal({ recipientPublicKey, info, ...(psk ? { psk } : {}) }, plaintext, aad)
  return { enc: new Uint8Array(enc), ct: new Uint8Array(ct) }
}

/** One reader of a key sealed to many: their X25519 public key (base64url) and the seal's AAD. */
export type HpkeReader = { publicKey: string; aad: Bytes }

/**
 * Seals at once: WebCrypto runs each seal's steps on worker threads, so a batch keeps every
 * core busy, while a bound keeps a 1,000-reader message from queueing thousands of operations.
 */
const SEAL_BATCH = 64

/**
 * Seals one plaintext (a content or vault key) to each reader: single-shot HPKE as `hpkeSeal`,
 * `SEAL_BATCH` seals in parallel at a time. Each reader comes back with their own seal, in the
 * order of `readers`; each distinct public key is imported once. Throws CryptoError('bad_key')
 * for a key that does not import.
 */
export async function hpkeSealToEach<R extends HpkeReader>(
  readers: R[],
  plaintext: Bytes,
  info: Bytes,
): Promise<Array<{ reader: R; sealed: HpkeSealed }>> {
  const imported = new Map<string, Promise<CryptoKey>>()
  const publicKeyOf = (publicKey: string) => {
    let key = imported.get(publicKey)
    if (!key) {
      key = importX25519PublicKey(fromBase64Url(publicKey))
      imported.set(publicKey, key)
    }
    return key
  }
  const sealed: Array<{ reader: R; sealed: HpkeSealed }> = []
  for (let start = 0; start < readers.length; start += SEAL_BATCH) {
    const batch = readers.slice(start, start + SEAL_BATCH)
    sealed.push(
      ...(await Promise.all(
        batch.map(async (reader) => ({
          reader,
          sealed: await hpkeSeal(await publicKeyOf(reader.publicKey), plaintext, info, reader.aad),
        })),
      )),
    )
  }
  return sealed
}

export async function hpkeOpen(
  recipientKey: CryptoKeyPair,
  sealed: HpkeSealed,
  info: Bytes,
  aad: Bytes,
  psk?: HpkePsk,
): Promise<Bytes> {
  try {
    const pt = await (
      await loadHpkeSuite()
    ).open({ recipientKey, enc: sealed.enc, info, ...(psk ? { psk } : {}) }, sealed.ct, aad)
    return new Uint8Array(pt)
  } catch (cause) {
    throw new CryptoError('decrypt_failed', 'HPKE ciphertext or its context was altered', { cause })
  }
}
