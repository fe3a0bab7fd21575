import { Base64Url, type SealedEnvelope } from '../contracts/common.js'
import { type Bytes, randomBytes, toBase64Url, utf8 } from './bytes.js'
import { CryptoError } from './crypto-error.js'
import { openEnvelope, sealEnvelope } from './envelope.js'
import { deriveAesKey, hkdfSha256, sha256 } from './hkdf.js'

/** 160 random bits: written as 32 Crockford base32 characters in 8 groups of 4. */
export const RECOVERY_CODE_BYTES = 20
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const WRAP_INFO = 'sealpost/v1/recovery-code/wrap'
const PROOF_INFO = 'sealpost/v1/recovery-code/proof'

/** A new recovery code, e.g. `7K2M-…` (8 groups of 4); shown once, never sent anywhere. */
export function generateRecoveryCode(): string {
  const bytes = randomBytes(RECOVERY_CODE_BYTES)
  try {
    return formatRecoveryCode(bytes)
  } finally {
    bytes.fill(0)
  }
}

function formatRecoveryCode(bytes: Bytes): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  return (out.match(/.{4}/g) ?? []).join('-')
}

/**
 * The code's bytes from what a person typed: case, spaces and dashes do not matter, and the
 * look-alikes O, I and L read as 0, 1 and 1 (Crockford). Anything else is CryptoError.
 */
export function parseRecoveryCode(text: string): Bytes {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
  if (clean.length !== (RECOVERY_CODE_BYTES * 8) / 5) {
    throw new CryptoError('malformed', 'a recovery code has 32 characters')
  }
  const out = new Uint8Array(RECOVERY_CODE_BYTES)
  let bits = 0
  let value = 0
  let index = 0
  for (const character of clean) {
    const digit = ALPHABET.indexOf(character)
    if (digit < 0) throw new CryptoError('malformed', 'not a recovery code')
    value = ((value << 5) | digit) & 0xffff
    bits += 5
    if (bits >= 8) {
      out[index++] = (value >>> (bits - 8)) & 0xff
      bits -= 8
    }
  }
  return out
}

function recoveryAad(username: string): Bytes {
  return utf8(`sealpost/v1/recovery-account-key/${username}`)
}

/**
 * What the recovery code derives (HKDF-SHA-256, RFC 5869): the key that wraps the account key,
 * and an access proof the server checks against its SHA-256 (`verifier`) before it hands
 * out the wrapped key.
 */
export async function deriveRecoveryCode(code: string): Promise<{
  wrapKey: CryptoKey
  proof: Base64Url
  verifier: Base64Url
}> {
  const ikm = parseRecoveryCode(code)
  try {
    const proofBytes = await hkdfSha256(ikm, new Uint8Array(32), utf8(PROOF_INFO), 32)
    return {
      wrapKey: await deriveAesKey(ikm, WRAP_INFO),
      proof: Base64Url.parse(toBase64Url(proofBytes)),
      verifier: Base64Url.parse(toBase64Url(await sha256(proofBytes))),
    }
  } finally {
    ikm.fill(0)
  }
}

/** Wraps the raw account key under a recovery code (AAD: purpose and username). */
export async function sealAccountKeyForRecovery(
  code: string,
  username: string,
  accountKeyRaw: Bytes,
): Promise<{ verifier: Base64Url; wrappedAccountKey: SealedEnvelope }> {
  const { wrapKey, verifier } = await deriveRecoveryCode(code)
  return {
    verifier,
    wrappedAccountKey: await sealEnvelope(wrapKey, accountKeyRaw, recoveryAad(username)),
  }
}

/** The raw account key from its recovery wrap; CryptoError for a wrong code or altered wrap. */
export async function openAccountKeyWithRecoveryCode(
  code: string,
  username: string,
  wrappedAccountKey: unknown,
): Promise<Bytes> {
  const { wrapKey } = await deriveRecoveryCode(code)
  return openEnvelope(wrapKey, wrappedAccountKey, recoveryAad(username))
}
