import { type Bytes, utf8 } from './bytes.js'
import { importAesKey } from './aes-gcm.js'

/** HKDF-SHA-256 (RFC 5869); returns `length` bytes. */
export async function hkdfSha256(
  ikm: Bytes,
  salt: Bytes,
  info: Bytes,
  length: number,
): Promise<Bytes> {
  const base = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits'])
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt, info },
    base,
    length * 8,
  )
  return new Uint8Array(bits)
}

/** Derives a non-extractable AES-256-GCM key for one purpose (`info` names it). */
export async function deriveAesKey(
  ikm: Bytes,
  info: string,
  usages: KeyUsage[] = ['encrypt', 'decrypt'],
): Promise<CryptoKey> {
  const raw = await hkdfSha256(ikm, new Uint8Array(32), utf8(info), 32)
  return importAesKey(raw, usages)
}

export async function sha256(data: Bytes): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data))
}
