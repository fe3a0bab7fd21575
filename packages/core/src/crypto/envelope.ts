import { SealedEnvelope } from '../contracts/auth.js'
import { Base64Url } from '../contracts/common.js'
import { aesGcmDecrypt, sealBytes } from './aes-gcm.js'
import { type Bytes, fromBase64Url, toBase64Url } from './bytes.js'
import { CryptoError } from './crypto-error.js'

/** Seals bytes into a `{ v: 1, iv, ct }` envelope under `key`, bound to `aad`. */
export async function sealEnvelope(
  key: CryptoKey,
  plaintext: Bytes,
  aad: Bytes,
): Promise<SealedEnvelope> {
  const { iv, ct } = await sealBytes(key, plaintext, aad)
  return { v: 1, iv: Base64Url.parse(toBase64Url(iv)), ct: Base64Url.parse(toBase64Url(ct)) }
}

/** Opens an envelope; throws CryptoError on an unknown version, bad shape or failed tag. */
export async function openEnvelope(key: CryptoKey, envelope: unknown, aad: Bytes): Promise<Bytes> {
  if (typeof envelope === 'object' && envelope !== null && 'v' in envelope && envelope.v !== 1) {
    throw new CryptoError('unsupported_version', `envelope version ${String(envelope.v)}`)
  }
  const parsed = SealedEnvelope.safeParse(envelope)
  if (!parsed.success) throw new CryptoError('malformed', 'envelope is malformed')
  return aesGcmDecrypt(key, fromBase64Url(parsed.data.iv), fromBase64Url(parsed.data.ct), aad)
}
