import { type Bytes, toBase64Url } from './bytes.js'
import { CryptoError } from './crypto-error.js'

const ED25519 = { name: 'Ed25519' } as const

/** A fresh Ed25519 pair: raw 32-byte public key and PKCS#8 private key (to be wrapped). */
export async function generateEd25519KeyPair(): Promise<{
  publicKey: Bytes
  privateKeyPkcs8: Bytes
}> {
  const pair = await crypto.subtle.generateKey(ED25519, true, ['sign', 'verify'])
  return {
    publicKey: new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)),
    privateKeyPkcs8: new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey)),
  }
}

export async function importEd25519PrivateKey(pkcs8: Bytes): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey('pkcs8', pkcs8, ED25519, false, ['sign'])
  } catch (cause) {
    throw new CryptoError('bad_key', 'Ed25519 private key is invalid', { cause })
  }
}

/** Imports an RFC 8032 32-byte seed plus public key (used by known-answer tests). */
export async function importEd25519Seed(seed: Bytes, publicKey: Bytes): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey(
      'jwk',
      { kty: 'OKP', crv: 'Ed25519', d: toBase64Url(seed), x: toBase64Url(publicKey) },
      ED25519,
      false,
      ['sign'],
    )
  } catch (cause) {
    throw new CryptoError('bad_key', 'Ed25519 seed is invalid', { cause })
  }
}

export async function importEd25519PublicKey(raw: Bytes): Promise<CryptoKey> {
  if (raw.length !== 32) throw new CryptoError('bad_key', 'Ed25519 public key must be 32 bytes')
  try {
    return await crypto.subtle.importKey('raw', raw, ED25519, true, ['verify'])
  } catch (cause) {
    throw new CryptoError('bad_key', 'Ed25519 public key is invalid', { cause })
  }
}

export async function signEd25519(privateKey: CryptoKey, message: Bytes): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.sign(ED25519, privateKey, message))
}

/** Throws CryptoError('bad_signature') unless `signature` is valid for `message`. */
export async function verifyEd25519(
  publicKey: CryptoKey,
  signature: Bytes,
  message: Bytes,
): Promise<void> {
  let ok: boolean
  try {
    ok = await crypto.subtle.verify(ED25519, publicKey, signature, message)
  } catch (cause) {
    throw new CryptoError('bad_signature', 'signature cannot be checked', { cause })
  }
  if (!ok) throw new CryptoError('bad_signature', 'signature does not verify')
}
