import type { z } from 'zod'
import { Base64Url, SealedEnvelope } from '../contracts/common.js'
import { aesGcmDecrypt, sealBytes } from './aes-gcm.js'
import { type Bytes, fromBase64Url, fromUtf8, toBase64Url } from './bytes.js'
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

/**
 * Reads authentic plaintext as UTF-8 text. Authentic is not well-formed: a sender's bad bytes
 * are CryptoError('malformed') too, never a TypeError (STYLE.md rule 8).
 */
export function readSealedText(plaintext: Bytes, what: string): string {
  try {
    return fromUtf8(plaintext)
  } catch (cause) {
    throw new CryptoError('malformed', `${what} is not UTF-8 text`, { cause })
  }
}

/** Reads authentic plaintext as JSON of `schema`; anything else is CryptoError('malformed'). */
export function readSealedJson<T>(plaintext: Bytes, schema: z.ZodType<T>, what: string): T {
  const text = readSealedText(plaintext, what)
  let parsed: z.ZodSafeParseResult<T>
  try {
    parsed = schema.safeParse(JSON.parse(text))
  } catch (cause) {
    // Not JSON (SyntaxError), or nested too deep to check (RangeError).
    throw new CryptoError('malformed', `${what} is not readable`, { cause })
  }
  if (!parsed.success) throw new CryptoError('malformed', `${what} has the wrong shape`)
  return parsed.data
}

/** Opens an envelope holding JSON and checks its shape; every failure is a CryptoError. */
export async function openJsonEnvelope<T>(
  key: CryptoKey,
  envelope: unknown,
  aad: Bytes,
  schema: z.ZodType<T>,
  what: string,
): Promise<T> {
  return readSealedJson(await openEnvelope(key, envelope, aad), schema, what)
}

/** Opens an envelope holding UTF-8 text; every failure is a CryptoError. */
export async function openTextEnvelope(
  key: CryptoKey,
  envelope: unknown,
  aad: Bytes,
  what: string,
): Promise<string> {
  return readSealedText(await openEnvelope(key, envelope, aad), what)
}
