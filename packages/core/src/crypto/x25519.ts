import { type Bytes, fromBase64Url, toBase64Url } from './bytes.js'
import { CryptoError } from './crypto-error.js'

const X25519 = { name: 'X25519' } as const

/** A fresh X25519 pair whose private half can be exported once, to be wrapped. */
export async function generateX25519KeyPair(): Promise<{ publicKey: Bytes; privateKey: Bytes }> {
  const pair = (await crypto.subtle.generateKey(X25519, true, ['deriveBits'])) as CryptoKeyPair
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey)
  if (!jwk.d || !jwk.x) throw new CryptoError('bad_key', 'X25519 export failed')
  return { publicKey: fromBase64Url(jwk.x), privateKey: fromBase64Url(jwk.d) }
}

export async function importX25519PublicKey(raw: Bytes): Promise<CryptoKey> {
  if (raw.length !== 32) throw new CryptoError('bad_key', 'X25519 public key must be 32 bytes')
  try {
    return await crypto.subtle.importKey('raw', raw, X25519, true, [])
  } catch (cause) {
    throw new CryptoError('bad_key', 'X25519 public key is invalid', { cause })
  }
}

/** Imports a 32-byte X25519 scalar (RFC 7748 §5) as a non-extractable key pair. */
export async function importX25519KeyPair(
  privateKey: Bytes,
  publicKey: Bytes,
): Promise<CryptoKeyPair> {
  if (privateKey.length !== 32) {
    throw new CryptoError('bad_key', 'X25519 private key must be 32 bytes')
  }
  const jwk: JsonWebKey = {
    kty: 'OKP',
    crv: 'X25519',
    d: toBase64Url(privateKey),
    x: toBase64Url(publicKey),
  }
  try {
    const priv = await crypto.subtle.importKey('jwk', jwk, X25519, false, ['deriveBits'])
    return { privateKey: priv, publicKey: await importX25519PublicKey(publicKey) }
  } catch (cause) {
    throw new CryptoError('bad_key', 'X25519 key pair is invalid', { cause })
  }
}

/** The raw X25519 shared secret (RFC 7748 §6.1). */
export async function x25519SharedSecret(
  privateKey: CryptoKey,
  publicKey: CryptoKey,
): Promise<Bytes> {
  const bits = await crypto.subtle.deriveBits(
    { name: 'X25519', public: publicKey },
    privateKey,
    256,
  )
  return new Uint8Array(bits)
}
