import { z } from 'zod'
import { Base64Url, type HpkeBox, type SealedEnvelope } from '../contracts/common.js'
import type { AnswerEnvelope, AttachmentRef } from '../contracts/messages.js'
import type { SealedAnswer } from '../contracts/requests.js'
import { importAesKey } from './aes-gcm.js'
import type { UnlockedAccount } from './account.js'
import {
  type Bytes,
  concatBytes,
  equalBytes,
  fromBase64Url,
  randomBytes,
  toBase64Url,
  utf8,
} from './bytes.js'
import { CryptoError } from './crypto-error.js'
import { openJsonEnvelope, sealEnvelope } from './envelope.js'
import { hkdfSha256, sha256 } from './hkdf.js'
import { hpkeOpen, type HpkePsk, hpkeSeal } from './hpke.js'
import type { AttachmentPlainRef, ContentKey } from './message.js'
import { importX25519PublicKey } from './x25519.js'

/*
 * Request a secret (DESIGN.md §3): the requester's client makes a 256-bit secret that lives only
 * in the link's fragment, beside a fingerprint of the requester's X25519 public key. HKDF of
 * the secret gives the request id, the access proof (the server keeps its SHA-256), the key
 * sealing the note, and the HPKE pre-shared key (RFC 9180 §5.1.2, mode_psk) a visitor seals
 * the answer with: so only someone holding the link can answer, and the server cannot forge an
 * answer nor, by serving its own key, read one (the visitor checks the fingerprint first).
 */

const NO_SALT = new Uint8Array(32)
const b64 = (bytes: Uint8Array) => Base64Url.parse(toBase64Url(bytes))

async function derive(ikm: Bytes, info: string, length = 32): Promise<Bytes> {
  return hkdfSha256(ikm, NO_SALT, utf8(`sealpost/v1/request/${info}`), length)
}

/** Bytes of the request secret and of the key fingerprint that follows it in the fragment. */
export const REQUEST_SECRET_BYTES = 32
export const REQUEST_FINGERPRINT_BYTES = 16

/** What one request secret yields: the id the server knows, the proof, and the keys. */
export type RequestKeys = {
  id: string
  accessProof: string
  accessVerifier: string
  /** AES-256-GCM key of the sealed note. */
  noteKey: CryptoKey
  /** HPKE pre-shared key of every answer to this request. */
  answerPsk: HpkePsk
}

export function newRequestSecret(): Bytes {
  return randomBytes(REQUEST_SECRET_BYTES)
}

export async function deriveRequestKeys(secret: Bytes): Promise<RequestKeys> {
  if (secret.length !== REQUEST_SECRET_BYTES) {
    throw new CryptoError('bad_key', 'a request secret is 32 bytes')
  }
  const accessProof = await derive(secret, 'access-proof')
  const id = toBase64Url(await derive(secret, 'id', 16))
  return {
    id,
    accessProof: toBase64Url(accessProof),
    accessVerifier: toBase64Url(await sha256(accessProof)),
    noteKey: await importAesKey(await derive(secret, 'note-key')),
    answerPsk: { id: utf8(`sealpost/v1/request/${id}`), key: await derive(secret, 'answer-psk') },
  }
}

/** The 128-bit fingerprint of a requester's X25519 public key that a request link carries. */
export async function requestKeyFingerprint(x25519PublicKey: Bytes): Promise<Bytes> {
  if (x25519PublicKey.length !== 32) {
    throw new CryptoError('bad_key', 'X25519 public key must be 32 bytes')
  }
  const digest = await sha256(
    concatBytes(utf8('sealpost/v1/request/key-fingerprint'), x25519PublicKey),
  )
  return digest.slice(0, REQUEST_FINGERPRINT_BYTES)
}

/**
 * Refuses a requester key the server served that is not the one the link names: a server
 * that swaps in its own key gets CryptoError('bad_key'), and nothing is sealed to it.
 */
export async function checkRequesterKey(fingerprint: Bytes, servedKey: Bytes): Promise<void> {
  const actual = await requestKeyFingerprint(servedKey)
  if (!equalBytes(actual, fingerprint)) {
    throw new CryptoError('bad_key', 'the requester’s key does not match this link')
  }
}

// ---------------------------------------------------------------------------------------------
// The note, for the visitor, and the requester's own copy

/** What the visitor reads: what is asked and who asks, as the requester's client wrote them. */
export const RequestNote = z.object({
  note: z.string(),
  from: z.object({ displayName: z.string(), username: z.string() }),
})
export type RequestNote = z.infer<typeof RequestNote>

function noteAad(id: string): Bytes {
  return utf8(`sealpost/v1/request/note/${id}`)
}

export async function sealRequestNote(
  keys: RequestKeys,
  note: RequestNote,
): Promise<SealedEnvelope> {
  return sealEnvelope(keys.noteKey, utf8(JSON.stringify(note)), noteAad(keys.id))
}

export async function openRequestNote(keys: RequestKeys, sealed: unknown): Promise<RequestNote> {
  return openJsonEnvelope(keys.noteKey, sealed, noteAad(keys.id), RequestNote, 'request note')
}

const OwnerCopyPlain = z.object({
  secret: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  note: z.string(),
  label: z.string().nullable(),
})

/** The requester's own copy of a request: its secret (to open answers), note and label. */
export type RequestOwnerCopy = { secret: Bytes; note: string; label: string | null }

function ownerAad(id: string): Bytes {
  return utf8(`sealpost/v1/request/owner/${id}`)
}

export async function sealRequestOwnerCopy(
  accountKey: CryptoKey,
  id: string,
  copy: RequestOwnerCopy,
): Promise<SealedEnvelope> {
  const plain = { secret: toBase64Url(copy.secret), note: copy.note, label: copy.label }
  return sealEnvelope(accountKey, utf8(JSON.stringify(plain)), ownerAad(id))
}

/** Opens the requester's copy; a copy whose secret is not this request's is malformed. */
export async function openRequestOwnerCopy(
  accountKey: CryptoKey,
  id: string,
  sealed: unknown,
): Promise<RequestOwnerCopy> {
  const plain = await openJsonEnvelope(
    accountKey,
    sealed,
    ownerAad(id),
    OwnerCopyPlain,
    'request copy',
  )
  const secret = fromBase64Url(plain.secret)
  if ((await deriveRequestKeys(secret)).id !== id) {
    throw new CryptoError('malformed', 'the request copy holds another request’s secret')
  }
  return { secret, note: plain.note, label: plain.label }
}

// ---------------------------------------------------------------------------------------------
// The link

/** `<origin>/r/<id>#<secret ‖ key fingerprint>`; neither ever reaches the server in a request. */
export function requestUrl(origin: string, id: string, secret: Bytes, fingerprint: Bytes): string {
  return `${origin.replace(/\/+$/, '')}/r/${id}#${toBase64Url(concatBytes(secret, fingerprint))}`
}

/** Parses a request link; throws CryptoError('malformed') when it is not one. */
export function parseRequestUrl(url: string): {
  origin: string
  id: string
  secret: Bytes
  fingerprint: Bytes
} {
  const match = /^(https?:\/\/[^/?#\s]+)\/r\/([A-Za-z0-9_-]{22})#([A-Za-z0-9_-]{64})$/.exec(
    url.trim(),
  )
  if (!match) throw new CryptoError('malformed', 'this is not a Sealpost request link')
  const fragment = fromBase64Url(match[3]!)
  return {
    origin: match[1]!,
    id: match[2]!,
    secret: fragment.slice(0, REQUEST_SECRET_BYTES),
    fingerprint: fragment.slice(REQUEST_SECRET_BYTES),
  }
}

// ---------------------------------------------------------------------------------------------
// Answers

/** Everything outside an answer's sealed parts; all of it is in every part's AAD. */
export type AnswerContext = {
  requestId: string
  requesterId: string
  /** The answer's message id, chosen by the visitor's client. */
  id: string
  sentAt: string
  expiresAt: string
  attachments: ReadonlyArray<Pick<AttachmentRef, 'blobId' | 'size' | 'chunkCount'>>
}

/**
 * AAD of one sealed part of an answer (`key`, `body`, `attachment/<blobId>`): request, requester,
 * answer id, times and the list of files, so none can be changed, dropped or moved.
 */
export function answerAad(ctx: AnswerContext, part: string): Bytes {
  return utf8(
    JSON.stringify([
      'sealpost/v1/request-answer',
      ctx.requestId,
      ctx.requesterId,
      ctx.id,
      ctx.sentAt,
      ctx.expiresAt,
      ctx.attachments.map((a) => [a.blobId, a.size, a.chunkCount]),
      part,
    ]),
  )
}

const ANSWER_KEY_INFO = utf8('sealpost/v1/request-answer-key')
const AnswerBody = z.object({ text: z.string() })
const AttachmentMeta = z.object({ name: z.string(), type: z.string() })

export type AnswerDraft = {
  keys: RequestKeys
  /** The fingerprint from the link: the served key must match it. */
  fingerprint: Bytes
  /** The requester as the server describes them: id and X25519 public key (base64url). */
  requester: { id: string; x25519PublicKey: string }
  id: string
  sentAt: string
  expiresAt: string
  text: string
  attachments: AttachmentPlainRef[]
  contentKey: ContentKey
}

/**
 * Seals an answer on the visitor's device: text and file names under a fresh content key, the
 * content key HPKE-sealed (PSK mode) to the requester. Refuses with CryptoError('bad_key')
 * before sealing anything when the served key is not the one the link names.
 */
export async function sealAnswer(draft: AnswerDraft): Promise<SealedAnswer> {
  const servedKey = fromBase64Url(draft.requester.x25519PublicKey)
  await checkRequesterKey(draft.fingerprint, servedKey)
  const ctx: AnswerContext = {
    requestId: draft.keys.id,
    requesterId: draft.requester.id,
    id: draft.id,
    sentAt: draft.sentAt,
    expiresAt: draft.expiresAt,
    attachments: draft.attachments,
  }
  const key = draft.contentKey.key
  const attachments: AttachmentRef[] = []
  for (const a of draft.attachments) {
    const meta = { name: a.name, type: a.type }
    attachments.push({
      blobId: a.blobId,
      size: a.size,
      chunkCount: a.chunkCount,
      meta: await sealEnvelope(
        key,
        utf8(JSON.stringify(meta)),
        answerAad(ctx, `attachment/${a.blobId}`),
      ),
    })
  }
  const box = await hpkeSeal(
    await importX25519PublicKey(servedKey),
    draft.contentKey.raw,
    ANSWER_KEY_INFO,
    answerAad(ctx, 'key'),
    draft.keys.answerPsk,
  )
  return {
    sentAt: draft.sentAt,
    expiresAt: draft.expiresAt,
    body: await sealEnvelope(
      key,
      utf8(JSON.stringify({ text: draft.text })),
      answerAad(ctx, 'body'),
    ),
    attachments,
    key: { enc: b64(box.enc), ct: b64(box.ct) },
  }
}

/** An answer opened by its requester: what they asked, the visitor's text and files. */
export type OpenedAnswer = {
  /** The request's note and label from the requester's own copy. */
  note: string
  label: string | null
  text: string
  attachments: AttachmentPlainRef[]
  contentKey: CryptoKey
}

/**
 * Opens an answer in the requester's inbox. The requester's copy of the request gives the secret
 * and so the pre-shared key; the key box opens only if a holder of the link sealed it with every
 * bound field as it is. Nothing here is signed: the visitor is unknown, only their link is not.
 * Throws CryptoError on any change.
 */
export async function openAnswer(input: {
  account: UnlockedAccount
  readerId: string
  envelope: AnswerEnvelope
  key: HpkeBox
}): Promise<OpenedAnswer> {
  const { envelope } = input
  if ((envelope.v as number) !== 1) {
    throw new CryptoError('unsupported_version', `answer version ${envelope.v}`)
  }
  if (envelope.requesterId !== input.readerId) {
    throw new CryptoError('malformed', 'this answer is for someone else')
  }
  const owner = await openRequestOwnerCopy(
    input.account.accountKey,
    envelope.requestId,
    envelope.owner,
  )
  const keys = await deriveRequestKeys(owner.secret)
  const ctx: AnswerContext = envelope
  const raw = await hpkeOpen(
    input.account.encryptionKeyPair,
    { enc: fromBase64Url(input.key.enc), ct: fromBase64Url(input.key.ct) },
    ANSWER_KEY_INFO,
    answerAad(ctx, 'key'),
    keys.answerPsk,
  )
  let contentKey: CryptoKey
  try {
    contentKey = await importAesKey(raw)
  } finally {
    raw.fill(0)
  }
  const body = await openJsonEnvelope(
    contentKey,
    envelope.body,
    answerAad(ctx, 'body'),
    AnswerBody,
    'answer',
  )
  const attachments: AttachmentPlainRef[] = []
  for (const a of envelope.attachments) {
    const meta = await openJsonEnvelope(
      contentKey,
      a.meta,
      answerAad(ctx, `attachment/${a.blobId}`),
      AttachmentMeta,
      'answer file',
    )
    attachments.push({ blobId: a.blobId, size: a.size, chunkCount: a.chunkCount, ...meta })
  }
  return { note: owner.note, label: owner.label, text: body.text, attachments, contentKey }
}
