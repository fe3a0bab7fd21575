import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core'
import { type Bytes } from './bytes.js'
import { CryptoError } from './crypto-error.js'

/** RFC 9180 suite: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM; base mode. */
export const hpkeSuite = new CipherSuite({
  kem: new DhkemX25519HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes256Gcm(),
})

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
  const { ct, enc } = await hpkeSuite.seal(
    { recipientPublicKey, info, ...(psk ? { psk } : {}) },
    plaintext,
    aad,
  )
  return { enc: new Uint8Array(enc), ct: new Uint8Array(ct) }
}

export async function hpkeOpen(
  recipientKey: CryptoKeyPair,
  sealed: HpkeSealed,
  info: Bytes,
  aad: Bytes,
  psk?: HpkePsk,
): Promise<Bytes> {
  try {
    const pt = await hpkeSuite.open(
      { recipientKey, enc: sealed.enc, info, ...(psk ? { psk } : {}) },
      sealed.ct,
      aad,
    )
    return new Uint8Array(pt)
  } catch (cause) {
    throw new CryptoError('decrypt_failed', 'HPKE ciphertext or its context was altered', { cause })
  }
}
