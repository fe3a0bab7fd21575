import { type Argon2Params, Base64Url, type LinkPassphraseParams } from '../contracts/common.js'
import { OpenLinkHead } from '../contracts/links.js'
import type { UnlockedAccount } from '../crypto/account.js'
import { type Bytes, fromBase64Url, randomBytes, toBase64Url } from '../crypto/bytes.js'
import { CryptoError } from '../crypto/crypto-error.js'
import { readSealedJson } from '../crypto/envelope.js'
import { chunkCountFor } from '../contracts/messages.js'
import {
  deriveLinkKeys,
  LINK_ARGON2,
  type LinkContent,
  linkContentKey,
  linkUrl,
  newLinkSecret,
  openLinkContent,
  parseLinkUrl,
  passphraseProof,
  sealLinkContent,
  sealLinkLabel,
  stretchPassphrase,
} from '../crypto/link.js'
import { retargetCopiedFiles } from '../crypto/vault.js'
import { type CopiedItem } from '../contracts/vault.js'
import { ApiError, type ApiClient } from './api-client.js'
import {
  downloadFile,
  type FileSource,
  oneByOne,
  type SendProgress,
  uploadFiles,
  withRetry,
} from './files.js'

export type CreateLinkInput = {
  /** Origin the recipient will open, e.g. https://vault.example.org */
  origin: string
  account: UnlockedAccount
  subject?: string
  text: string
  files?: FileSource[]
  expiresAt: string
  maxViews: number
  passphrase?: string | null
  label?: string | null
  /** A copy of vault items (from buildCopy); their files go in `files` with `copyOf`. */
  tree?: CopiedItem[]
  onProgress?: (progress: SendProgress) => void
  /** Lower Argon2 cost for tests only; links record the parameters they were made with. */
  argon2?: Argon2Params
  /** Email the owner at each spent view (the server must be able to send email). */
  notifyOnOpen?: boolean
}

const b64 = (bytes: Uint8Array) => Base64Url.parse(toBase64Url(bytes))

/**
 * Creates a shareable link (S20): a fresh 256-bit secret, from which HKDF gives the id, the
 * access proof and the content key (plus Argon2id of the passphrase when there is one).
 * The returned URL carries the secret after `#`; the server never receives it from here.
 */
export async function createLink(
  api: ApiClient,
  input: CreateLinkInput,
): Promise<{ id: string; url: string }> {
  const secret = newLinkSecret()
  const keys = await deriveLinkKeys(secret)
  let stretched: Bytes | null = null
  let passphrase = null
  if (input.passphrase) {
    const salt = randomBytes(16)
    const params = input.argon2 ?? LINK_ARGON2
    stretched = await stretchPassphrase(input.passphrase, salt, params)
    passphrase = {
      salt: b64(salt),
      params,
      verifier: Base64Url.parse((await passphraseProof(keys, stretched)).verifier),
    }
  }
  const key = await linkContentKey(keys, stretched)
  const refs = await uploadFiles(api, key, input.files ?? [], input.onProgress)
  const content: LinkContent = {
    subject: input.subject ?? '',
    text: input.text,
    files: refs.map((r) => ({ blobId: r.blobId, name: r.name, type: r.type, size: r.size })),
    ...(input.tree ? { tree: retargetCopiedFiles(input.tree, input.files ?? [], refs) } : {}),
  }
  // The owner's own name for the link; without a label, its subject (the owner cannot read the
  // content later: its key lives only in the URL).
  const ownName = input.label?.trim() || input.subject?.trim() || null
  const request = {
    accessVerifier: Base64Url.parse(keys.accessVerifier),
    passphrase,
    payload: await sealLinkContent(key, keys.id, content),
    files: refs.map((r) => ({ blobId: r.blobId, size: r.size, chunkCount: r.chunkCount })),
    expiresAt: input.expiresAt,
    maxViews: input.maxViews,
    label: ownName ? await sealLinkLabel(input.account.accountKey, keys.id, ownName) : null,
    notifyOnOpen: input.notifyOnOpen ?? false,
  }
  await withRetry(() => api.putLink(keys.id, request))
  return { id: keys.id, url: linkUrl(input.origin, keys.id, secret) }
}

async function keysFromUrl(url: string) {
  const { id, secret } = parseLinkUrl(url)
  const keys = await deriveLinkKeys(secret)
  // The id is derived from the secret: a link whose parts do not belong together is not one.
  if (keys.id !== id) throw new CryptoError('malformed', 'this link is damaged')
  return keys
}

/**
 * Before the public page offers Reveal: can the link still be opened? Spends no view and leaves
 * nothing in the link's history; a link that cannot throws ApiError not_available.
 */
export async function checkLink(api: Pick<ApiClient, 'checkLink'>, url: string): Promise<void> {
  const keys = await keysFromUrl(url)
  await api.checkLink(keys.id, { accessProof: Base64Url.parse(keys.accessProof) })
}

/**
 * Does the link need a passphrase? Spends no view. openLink no longer needs this step (its
 * first open answers passphrase_needed); kept for callers that ask before opening.
 */
export async function revealLink(
  api: Pick<ApiClient, 'revealLink'>,
  url: string,
): Promise<{ needsPassphrase: boolean; fileCount: number }> {
  const keys = await keysFromUrl(url)
  const answer = await api.revealLink(keys.id, { accessProof: Base64Url.parse(keys.accessProof) })
  return { needsPassphrase: answer.passphrase !== null, fileCount: answer.fileCount }
}

export type OpenedLink = {
  subject: string
  text: string
  files: Array<{ blobId: string; name: string; type: string; size: number; bytes: Uint8Array }>
  /** Copied vault items; their files' `blobId`s are among `files`. */
  tree: CopiedItem[] | null
  views: number
  maxViews: number
  expiresAt: string
  /** True when this view used the link up: it no longer exists. */
  deleted: boolean
  /** Whether the link had a passphrase (false: a passphrase given to openLink was not used). */
  hasPassphrase: boolean
}

/**
 * Parses the open response: u32 head length, JSON head, then each file's chunks as u32 length +
 * bytes. A cut or malformed answer throws CryptoError('malformed').
 */
export function readLinkFrames(body: Uint8Array): { head: OpenLinkHead; chunks: Bytes[][] } {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength)
  let offset = 0
  const take = (length: number): Bytes => {
    if (offset + length > body.length) {
      throw new CryptoError('malformed', 'the link answer is cut short')
    }
    const out = body.slice(offset, offset + length)
    offset += length
    return out
  }
  const takeLength = (): number => {
    const start = offset
    take(4)
    return view.getUint32(start)
  }
  const head = readSealedJson(take(takeLength()), OpenLinkHead, 'the link answer')
  const chunks = head.files.map((file) =>
    Array.from({ length: file.chunkCount }, () => take(takeLength())),
  )
  return { head, chunks }
}

/**
 * The files the server serves must be exactly the ones the sealed content lists, each once, with
 * the sealed size: otherwise a server could drop a file without the visitor noticing. Returns
 * the sealed names and types in the served order.
 */
function matchFiles(
  served: OpenLinkHead['files'],
  sealed: LinkContent['files'],
): LinkContent['files'] {
  const mismatch = () => new CryptoError('malformed', 'the files of this link do not match it')
  const isEachOnce = new Set(served.map((file) => file.blobId)).size === served.length
  if (served.length !== sealed.length || !isEachOnce) throw mismatch()
  const sealedById = new Map(sealed.map((meta) => [meta.blobId, meta]))
  return served.map((file) => {
    const meta = sealedById.get(file.blobId)
    if (!meta || meta.size !== file.size || file.chunkCount !== chunkCountFor(meta.size)) {
      throw mismatch()
    }
    return meta
  })
}

/** The passphrase_needed answer of an open, when it carries what derives the proof. */
function passphraseNeeded(error: unknown): LinkPassphraseParams | undefined {
  return error instanceof ApiError && error.code === 'passphrase_needed'
    ? error.passphrase
    : undefined
}

/**
 * Opens a link (spends one view), decrypts text and files. The first open goes without a
 * passphrase proof, so a link without a passphrase takes one request; a link with one answers
 * ApiError passphrase_needed (no view spent, not a wrong passphrase) carrying its salt and
 * Argon2id parameters, and the open is made again with the proof: two requests. Without a
 * `passphrase`, that ApiError is thrown, so a page can ask for it; pass its `passphrase` back as
 * `passphraseParams` with the typed passphrase and the open takes one request again.
 * A wrong passphrase throws ApiError wrong_passphrase with `triesLeft` (0: the link was destroyed).
 */
export async function openLink(
  api: Pick<ApiClient, 'openLink'>,
  url: string,
  passphrase?: string | null,
  options: { passphraseParams?: LinkPassphraseParams | undefined } = {},
): Promise<OpenedLink> {
  const keys = await keysFromUrl(url)
  const accessProof = Base64Url.parse(keys.accessProof)
  const openWith = async (params: LinkPassphraseParams, given: string) => {
    const stretched = await stretchPassphrase(given, fromBase64Url(params.salt), params.params)
    const proof = Base64Url.parse((await passphraseProof(keys, stretched)).proof)
    return { stretched, body: await api.openLink(keys.id, { accessProof, passphraseProof: proof }) }
  }
  let opened: { stretched: Bytes | null; body: Uint8Array }
  if (passphrase && options.passphraseParams) {
    opened = await openWith(options.passphraseParams, passphrase)
  } else {
    try {
      opened = { stretched: null, body: await api.openLink(keys.id, { accessProof }) }
    } catch (error) {
      const params = passphraseNeeded(error)
      if (!params || !passphrase) throw error
      opened = await openWith(params, passphrase)
    }
  }
  const { stretched, body } = opened
  const { head, chunks } = readLinkFrames(body)
  const key = await linkContentKey(keys, stretched)
  const content = await openLinkContent(key, keys.id, head.payload)
  const metas = matchFiles(head.files, content.files)
  const files = []
  for (const [i, file] of head.files.entries()) {
    const meta = metas[i]!
    const sealed = chunks[i] ?? []
    const bytes = await downloadFile(
      file,
      key,
      oneByOne(async (index) => {
        const chunk = sealed[index]
        if (!chunk) throw new CryptoError('malformed', 'a file chunk is missing')
        return chunk
      }),
    )
    files.push({ blobId: meta.blobId, name: meta.name, type: meta.type, size: meta.size, bytes })
  }
  return {
    subject: content.subject,
    text: content.text,
    files,
    tree: content.tree ?? null,
    views: head.views,
    maxViews: head.maxViews,
    expiresAt: head.expiresAt,
    deleted: head.deleted,
    hasPassphrase: stretched !== null,
  }
}
