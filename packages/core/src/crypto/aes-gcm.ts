import { type Bytes, randomBytes } from './bytes.js'
import { CryptoError } from './crypto-error.js'

const AES_GCM = 'AES-GCM'
/** 96-bit nonces, random per message (NIST SP 800-38D §8.2.2). */
export const AES_GCM_IV_BYTES = 12

/** Imports a raw 256-bit AES-GCM key, non-extractable. */
export async function importAesKey(
  raw: Bytes,
  usages: KeyUsage[] = ['encrypt', 'decrypt'],
): Promise<CryptoKey> {
  if (raw.length !== 32) throw new CryptoError('bad_key', 'AES key must be 32 bytes')
  return crypto.subtle.importKey('raw', raw, AES_GCM, false, usages)
}

/** AES-256-GCM with a caller-given IV; the 16-byte tag is appended to the ciphertext. */
export async function aesGcmEncrypt(
  key: CryptoKey,
  iv: Bytes,
  plaintext: Bytes,
  aad: Bytes,
): Promise<Bytes> {
  const ct = await crypto.subtle.encrypt({ name: AES_GCM, iv, additionalData: aad }, key, plaintext)
  return new Uint8Array(ct)
}

export async function aesGcmDecrypt(
  key: CryptoKey,
  iv: Bytes,
  ciphertext: Bytes,
  aad: Bytes,
): Promise<Bytes> {
  try {
    const pt = await crypto.subtle.decrypt(
      { name: AES_GCM, iv, additionalData: aad },
      key,
      ciphertext,
    )
    return new Uint8Array(pt)
  } catch (cause) {
    throw new CryptoError('decrypt_failed', 'ciphertext or its context was altered', { cause })
  }
}

/** Seals with a fresh random IV. */
export async function sealBytes(
  key: CryptoKey,
  plaintext: Bytes,
  aad: Bytes,
): Promise<{ iv: Bytes; ct: Bytes }> {
  const iv = randomBytes(AES_GCM_IV_BYTES)
  return { iv, ct: await aesGcmEncrypt(key, iv, plaintext, aad) }
}
