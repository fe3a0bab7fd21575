import { z } from 'zod'
import type { Argon2Params } from '../contracts/common.js'
import { importAesKey } from './aes-gcm.js'
import { type Bytes, concatBytes, fromBase64Url, randomBytes, toBase64Url, utf8 } from './bytes.js'
import { CryptoError } from './crypto-error.js'
import { openJsonEnvelope, openTextEnvelope, sealEnvelope } from './envelope.js'
import type { SealedEnvelope } from '../contracts/common.js'
import { hkdfSha256, sha256 } from './hkdf.js'
import { CopiedItem } from '../contracts/vault.js'

/** DESIGN.md §3: Argon2id, 64 MiB, 3 passes. */
export const LINK_ARGON2: Argon2Params = { memoryKiB: 64 * 1024, iterations: 3, parallelism: 1 }

const NO_SALT = new Uint8Array(32)

async function derive(ikm: Bytes, info: string, length = 32): Promise<Bytes> {
  return hkdfSha256(ikm, NO_SALT, utf8(`sealpost/v1/link/${info}`), length)
}

/** What one link secret yields: the id the server knows, the proof that opens it, key material. */
export type LinkKeys = {
  id: string
  accessProof: string
  accessVerifier: string
  keyMaterial: Bytes
}

export function newLinkSecret(): Bytes {
  return randomBytes(32)
}

export async function deriveLinkKeys(secret: Bytes): Promise<LinkKeys> {
  if (secret.length !== 32) throw new CryptoError('bad_key', 'a link secret is 32 bytes')
  const accessProof = await derive(secret, 'access-proof')
  return {
    id: toBase64Url(await derive(secret, 'id', 16)),
    accessProof: toBase64Url(accessProof),
    accessVerifier: toBase64Url(await sha256(accessProof)),
    keyMaterial: await derive(secret, 'key-material'),
  }
}

/** Argon2id of the passphrase; slow on purpose (about a second in a browser). */
export async function stretchPassphrase(
  passphrase: string,
  salt: Bytes,
  params: Argon2Params,
): Promise<Bytes> {
  // Loaded on first use: a link page that asks for no passphrase never downloads Argon2.
  const { argon2id } = await import('hash-wasm')
  const out = await argon2id({
    password: passphrase.normalize('NFC'),
    salt,
    iterations: params.iterations,
    parallelism: params.parallelism,
    memorySize: params.memoryKiB,
    hashLength: 32,
    outputType: 'binary',
  })
  return new Uint8Array(out)
}

/** Proof that the visitor knows the passphrase; the server stores only its SHA-256. */
export async function passphraseProof(
  keys: LinkKeys,
  stretched: Bytes,
): Promise<{ proof: string; verifier: string }> {
  const proof = await derive(
    concatBytes(stretched, fromBase64Url(keys.accessProof)),
    'passphrase-proof',
  )
  return { proof: toBase64Url(proof), verifier: toBase64Url(await sha256(proof)) }
}

/** The content key: from the secret alone, or from the secret and the stretched passphrase. */
export async function linkContentKey(keys: LinkKeys, stretched: Bytes | null): Promise<CryptoKey> {
  const ikm = stretched ? concatBytes(keys.keyMaterial, stretched) : keys.keyMaterial
  return importAesKey(await derive(ikm, 'content-key'))
}

export const LinkContent = z.object({
  subject: z.string(),
  text: z.string(),
  files: z.array(
    z.object({ blobId: z.string(), name: z.string(), type: z.string(), size: z.number() }),
  ),
  /** A copy of vault items shared by link; their files are among `files`. */
  tree: z.array(CopiedItem).optional(),
})
export type LinkContent = z.infer<typeof LinkContent>

/** AAD of a link's sealed content: its id, so content cannot move to another link. */
export function linkPayloadAad(id: string): Bytes {
  return utf8(`sealpost/v1/link/payload/${id}`)
}

export async function sealLinkContent(
  key: CryptoKey,
  id: string,
  content: LinkContent,
): Promise<SealedEnvelope> {
  return sealEnvelope(key, utf8(JSON.stringify(content)), linkPayloadAad(id))
}

export async function openLinkContent(
  key: CryptoKey,
  id: string,
  payload: unknown,
): Promise<LinkContent> {
  return openJsonEnvelope(key, payload, linkPayloadAad(id), LinkContent, 'link content')
}

/** The creator's own label for their Links list, sealed with their account key. */
export async function sealLinkLabel(
  accountKey: CryptoKey,
  id: string,
  label: string,
): Promise<SealedEnvelope> {
  return sealEnvelope(accountKey, utf8(label), utf8(`sealpost/v1/link/label/${id}`))
}

export async function openLinkLabel(
  accountKey: CryptoKey,
  id: string,
  label: unknown,
): Promise<string> {
  return openTextEnvelope(accountKey, label, utf8(`sealpost/v1/link/label/${id}`), 'link label')
}

/** `<origin>/s/<id>#<secret>`; the secret never reaches the server in a request. */
export function linkUrl(origin: string, id: string, secret: Bytes): string {
  return `${origin.replace(/\/+$/, '')}/s/${id}#${toBase64Url(secret)}`
}

/** Parses a link URL; throws CryptoError('malformed') when it is not one. */
export function parseLinkUrl(url: string): { origin: string; id: string; secret: Bytes } {
  const match = /^(https?:\/\/[^/]+)\/s\/([A-Za-z0-9_-]{22})#([A-Za-z0-9_-]{43})$/.exec(url.trim())
  if (!match) throw new CryptoError('malformed', 'this is not a Sealpost link')
  return { origin: match[1]!, id: match[2]!, secret: fromBase64Url(match[3]!) }
}
