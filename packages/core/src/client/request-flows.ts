import { Base64Url } from '../contracts/common.js'
import type { RequestSummary, RequestView } from '../contracts/requests.js'
import type { UnlockedAccount } from '../crypto/account.js'
import { fromBase64Url } from '../crypto/bytes.js'
import { CryptoError } from '../crypto/crypto-error.js'
import { createContentKey } from '../crypto/message.js'
import {
  checkRequesterKey,
  deriveRequestKeys,
  newRequestSecret,
  openRequestNote,
  openRequestOwnerCopy,
  parseRequestUrl,
  requestKeyFingerprint,
  requestUrl,
  sealAnswer,
  sealRequestNote,
  sealRequestOwnerCopy,
} from '../crypto/request.js'
import type { ApiClient } from './api-client.js'
import { type FileSource, type SendProgress, uploadFiles, withRetry } from './files.js'

const DAY_MS = 24 * 3_600_000

export type CreateRequestInput = {
  /** Origin the visitor will open, e.g. https://vault.example.org */
  origin: string
  account: UnlockedAccount
  /** Who asks, as the visitor will read it (sealed with the note). */
  me: { displayName: string; username: string }
  note: string
  label?: string | null
  expiresAt: string
  maxAnswers: number
  allowFiles: boolean
}

/**
 * Creates a request for a secret (DESIGN.md §3): a fresh 256-bit secret gives the id, the access
 * proof and the note's key; the link carries it with the fingerprint of the requester's X25519
 * key after `#`, which the server never receives from here.
 */
export async function createRequest(
  api: Pick<ApiClient, 'putRequest'>,
  input: CreateRequestInput,
): Promise<{ id: string; url: string }> {
  const secret = newRequestSecret()
  const keys = await deriveRequestKeys(secret)
  const label = input.label || null
  const body = {
    accessVerifier: Base64Url.parse(keys.accessVerifier),
    note: await sealRequestNote(keys, { note: input.note, from: input.me }),
    owner: await sealRequestOwnerCopy(input.account.accountKey, keys.id, {
      secret,
      note: input.note,
      label,
    }),
    expiresAt: input.expiresAt,
    maxAnswers: input.maxAnswers,
    allowFiles: input.allowFiles,
  }
  await withRetry(() => api.putRequest(keys.id, body))
  const fingerprint = await requestKeyFingerprint(input.account.x25519PublicKey)
  return { id: keys.id, url: requestUrl(input.origin, keys.id, secret, fingerprint) }
}

/** A row of the requester's Requests list, with their own copy opened; null parts failed to. */
export type RequestRow = {
  summary: RequestSummary
  note: string | null
  label: string | null
  /** The link again, rebuilt from the requester's copy of the secret. */
  url: string | null
}

export async function openRequestRow(
  account: UnlockedAccount,
  origin: string,
  summary: RequestSummary,
): Promise<RequestRow> {
  try {
    const copy = await openRequestOwnerCopy(account.accountKey, summary.id, summary.owner)
    const fingerprint = await requestKeyFingerprint(account.x25519PublicKey)
    return {
      summary,
      note: copy.note,
      label: copy.label,
      url: requestUrl(origin, summary.id, copy.secret, fingerprint),
    }
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error
    return { summary, note: null, label: null, url: null }
  }
}

async function keysFromUrl(url: string) {
  const parsed = parseRequestUrl(url)
  const keys = await deriveRequestKeys(parsed.secret)
  // The id is derived from the secret: a link whose parts do not belong together is not one.
  if (keys.id !== parsed.id) throw new CryptoError('malformed', 'this request link is damaged')
  return { keys, fingerprint: parsed.fingerprint }
}

/** A request as its visitor sees it, once the served key matched the link. */
export type OpenedRequest = {
  id: string
  note: string
  from: { displayName: string; username: string }
  allowFiles: boolean
  expiresAt: string
  answersLeft: number
  maxFileBytes: number
  maxAnswerBytes: number
}

async function viewWithKeys(api: Pick<ApiClient, 'viewRequest'>, url: string) {
  const { keys, fingerprint } = await keysFromUrl(url)
  const view: RequestView = await api.viewRequest(keys.id, {
    accessProof: Base64Url.parse(keys.accessProof),
  })
  await checkRequesterKey(fingerprint, fromBase64Url(view.requester.x25519PublicKey))
  const note = await openRequestNote(keys, view.note)
  return { keys, fingerprint, view, note }
}

/**
 * The visitor's first step: who asks and for what. Throws CryptoError('bad_key') when the server
 * serves a key other than the one the link names, and ApiError not_available for a wrong,
 * expired, closed or used-up request.
 */
export async function viewRequest(
  api: Pick<ApiClient, 'viewRequest'>,
  url: string,
): Promise<OpenedRequest> {
  const { keys, view, note } = await viewWithKeys(api, url)
  return {
    id: keys.id,
    note: note.note,
    from: note.from,
    allowFiles: view.allowFiles,
    expiresAt: view.expiresAt,
    answersLeft: view.answersLeft,
    maxFileBytes: view.maxFileBytes,
    maxAnswerBytes: view.maxAnswerBytes,
  }
}

export type AnswerInput = {
  text: string
  files?: FileSource[]
  onProgress?: (progress: SendProgress) => void
  /** Defaults to the device clock. */
  now?: () => Date
}

/**
 * Send securely: fetches the request again, refuses a requester key that does not match the link
 * (CryptoError, before anything is sealed or uploaded), seals each file and the text to the
 * requester and commits the answer. Retrying the same commit is safe.
 */
export async function answerRequest(
  api: Pick<ApiClient, 'viewRequest' | 'uploadAnswerChunk' | 'putAnswer'>,
  url: string,
  input: AnswerInput,
): Promise<{ id: string }> {
  const { keys, fingerprint, view } = await viewWithKeys(api, url)
  const contentKey = await createContentKey()
  try {
    const accessProof = Base64Url.parse(keys.accessProof)
    const attachments = await uploadFiles(
      {
        // A visitor's upload takes one chunk a request (the request's own route).
        uploadChunks: async (blobId, from, sealed) => {
          for (const [i, chunk] of sealed.entries()) {
            await api.uploadAnswerChunk(keys.id, accessProof, blobId, from + i, chunk)
          }
        },
      },
      contentKey.key,
      input.files ?? [],
      input.onProgress,
    )
    const sentAt = input.now?.() ?? new Date()
    const id = crypto.randomUUID()
    const answer = await sealAnswer({
      keys,
      fingerprint,
      requester: view.requester,
      id,
      sentAt: sentAt.toISOString(),
      expiresAt: new Date(sentAt.getTime() + view.answerLifetimeDays * DAY_MS).toISOString(),
      text: input.text,
      attachments,
      contentKey,
    })
    return await withRetry(() => api.putAnswer(keys.id, id, { accessProof, answer }))
  } finally {
    contentKey.raw.fill(0)
  }
}
