import type { DirectoryUser } from '../contracts/users.js'
import {
  type AnswerEnvelope,
  type AnyEnvelope,
  isAnswerEnvelope,
  type MessageDetail,
  type MessageEnvelope,
  type MessageOrigin,
  type MessageSummary,
} from '../contracts/messages.js'
import type { UnlockedAccount } from '../crypto/account.js'
import {
  type AttachmentPlainRef,
  createContentKey,
  openMessage,
  type OpenedMessage,
  type OpenedHeader,
  openVerifiedHeader,
  sealMessage,
} from '../crypto/message.js'
import { CryptoError } from '../crypto/crypto-error.js'
import { openAnswer } from '../crypto/request.js'
import { retargetCopiedFiles } from '../crypto/vault.js'
import { type CopiedItem } from '../contracts/vault.js'
import type { SentToGroup } from '../contracts/groups.js'
import type { ApiClient } from './api-client.js'
import {
  downloadFile,
  type FileSource,
  type SendProgress,
  uploadFiles,
  withRetry,
} from './files.js'

export type SendInput = {
  /** Client-chosen id; pass the same id again to retry a send safely. */
  id?: string
  me: { id: string; x25519PublicKey: string }
  account: UnlockedAccount
  recipients: Array<Pick<DirectoryUser, 'id' | 'x25519PublicKey'>>
  subject: string
  body: string
  expiresAt: string | null
  highPriority: boolean
  replyTo?: string | null
  files?: FileSource[]
  /** Copied vault items (Send copy); their files are in `files`, marked with `copyOf`. */
  tree?: CopiedItem[]
  /** The groups `recipients` came from (see `expandGroups`), sealed with the subject. */
  groups?: SentToGroup[]
  /** With `groups`: the recipients chosen one by one besides them, sealed with the groups. */
  directIds?: string[]
  onProgress?: (progress: SendProgress) => void
  /** Defaults to the device clock. */
  now?: () => Date
}

/**
 * Seals and sends a message (DESIGN.md §3): every file chunk is sealed and staged first, then one
 * PUT commits the message with its key boxes and chunks atomically.
 */
export async function sendMessage(api: ApiClient, input: SendInput): Promise<{ id: string }> {
  const id = input.id ?? crypto.randomUUID()
  const contentKey = await createContentKey()
  const files = input.files ?? []
  const attachments = await uploadFiles(api, contentKey.key, files, input.onProgress)
  const publicKeys = new Map<string, string>(input.recipients.map((r) => [r.id, r.x25519PublicKey]))
  publicKeys.set(input.me.id, input.me.x25519PublicKey)
  const request = await sealMessage({
    draft: {
      id,
      senderId: input.me.id,
      recipientIds: [...new Set(input.recipients.map((r) => r.id))],
      sentAt: (input.now?.() ?? new Date()).toISOString(),
      expiresAt: input.expiresAt,
      highPriority: input.highPriority,
      replyTo: input.replyTo ?? null,
      subject: input.subject,
      body: input.body,
      attachments,
      tree: input.tree ? retargetCopiedFiles(input.tree, files, attachments) : null,
      groups: input.groups ?? [],
      directIds: input.directIds ?? [],
    },
    contentKey,
    sender: input.account,
    publicKeys,
  })
  contentKey.raw.fill(0)
  return withRetry(() => api.putMessage(request))
}

/** What a message or an answer says outside its sealed parts, for showing it. */
export type EnvelopeFacts = {
  id: string
  origin: MessageOrigin
  /** The member who signed it; null for an answer from outside. */
  senderId: string | null
  recipientIds: string[]
  sentAt: string
  expiresAt: string | null
  highPriority: boolean
  replyTo: string | null
}

export function envelopeFacts(envelope: AnyEnvelope): EnvelopeFacts {
  if (isAnswerEnvelope(envelope)) {
    return {
      id: envelope.id,
      origin: 'request',
      senderId: null,
      recipientIds: [envelope.requesterId],
      sentAt: envelope.sentAt,
      expiresAt: envelope.expiresAt,
      highPriority: false,
      replyTo: null,
    }
  }
  return {
    id: envelope.id,
    origin: 'member',
    senderId: envelope.senderId,
    recipientIds: envelope.recipientIds,
    sentAt: envelope.sentAt,
    expiresAt: envelope.expiresAt,
    highPriority: envelope.highPriority,
    replyTo: envelope.replyTo,
  }
}

/**
 * A signed message with the key that must have signed it: the sender shown must be the one the
 * signed envelope names. An answer from outside is no signed message, whatever the server says.
 */
function signedParts(detail: MessageDetail): {
  envelope: MessageEnvelope
  senderSigningKey: string
} {
  const { envelope, sender } = detail
  if (isAnswerEnvelope(envelope)) {
    throw new CryptoError('bad_signature', 'an answer from outside is signed by nobody')
  }
  if (!sender || sender.id !== envelope.senderId) {
    throw new CryptoError('bad_signature', 'the stated sender did not send this message')
  }
  return { envelope, senderSigningKey: sender.ed25519PublicKey }
}

function refuseExpired(expiresAt: string | null, now: Date, what: string): void {
  if (expiresAt !== null && Date.parse(expiresAt) <= now.getTime()) {
    throw new CryptoError('expired', `this ${what} has expired`)
  }
}

/**
 * Verifies and decrypts a fetched message for the signed-in reader. A message whose signed
 * expiry has passed is refused even if the server still serves it. An answer from outside is
 * refused (CryptoError 'bad_signature'): it opens only with openAnswerDetail, as what it is.
 */
export async function openMessageDetail(
  account: UnlockedAccount,
  readerId: string,
  detail: MessageDetail,
  now: Date = new Date(),
): Promise<OpenedMessage> {
  const { envelope, senderSigningKey } = signedParts(detail)
  const opened = await openMessage({
    account,
    readerId,
    envelope,
    key: detail.key,
    senderSigningKey,
  })
  refuseExpired(envelope.expiresAt, now, 'message')
  return opened
}

/** An answer from outside, opened: shaped like a message so it can be read, saved and replied to by link. */
export type OpenedAnswerMessage = OpenedMessage & {
  /** The request it answers, from the requester's own copy. */
  request: { id: string; note: string; label: string | null }
}

/**
 * Opens an answer from outside to one of the reader's requests for a secret (DESIGN.md §3).
 * Nobody signed it: what it proves is that someone holding the request's link sealed it, with
 * every bound field as shown. Its subject is the request's note. Throws CryptoError when it does
 * not open, when it claims a sender, and once its sealed expiry has passed.
 */
export async function openAnswerDetail(
  account: UnlockedAccount,
  readerId: string,
  detail: MessageDetail,
  now: Date = new Date(),
): Promise<OpenedAnswerMessage> {
  const opened = await openAnswerParts(account, readerId, detail)
  refuseExpired(detail.envelope.expiresAt, now, 'answer')
  return opened
}

async function openAnswerParts(
  account: UnlockedAccount,
  readerId: string,
  detail: MessageDetail,
): Promise<OpenedAnswerMessage> {
  const { envelope } = detail
  if (!isAnswerEnvelope(envelope)) {
    throw new CryptoError('malformed', 'this is not an answer to a request')
  }
  if (detail.sender !== null) {
    throw new CryptoError('malformed', 'an answer from outside has no sender')
  }
  const opened = await openAnswer({ account, readerId, envelope, key: detail.key })
  return {
    subject: opened.note,
    groups: [],
    directIds: [],
    body: opened.text,
    attachments: opened.attachments,
    tree: null,
    contentKey: opened.contentKey,
    request: { id: envelope.requestId, note: opened.note, label: opened.label },
  }
}

/** A secret short enough for a password field, on one line, is saved as one. */
const PASSWORD_MAX = 10_000
const ITEM_NAME_MAX = 500

/**
 * What *Save in vault* saves of an answer: one entry named after the request (or its label),
 * holding the visitor's text (as its password when it fits one line, else as notes) and files.
 */
export function answerToSave(opened: OpenedAnswerMessage): OpenedMessage {
  const name = (opened.request.label || opened.request.note).trim().slice(0, ITEM_NAME_MAX)
  const text = opened.body
  const isPassword = text.length <= PASSWORD_MAX && !/[\r\n]/.test(text)
  const item: CopiedItem = {
    kind: 'entry',
    content: {
      name: name || 'Answer',
      type: isPassword ? 'credential' : 'note',
      ...(text === '' ? {} : isPassword ? { password: text } : { notes: text }),
      fields: [],
      files: opened.attachments.map(({ blobId, name: fileName, type, size }) => ({
        blobId,
        name: fileName,
        type,
        size,
      })),
    },
    children: [],
  }
  return { ...opened, tree: [item] }
}

/** A list row's header once its message verified (or its answer opened), with its envelope. */
type VerifiedRow = { header: OpenedHeader; envelope: AnyEnvelope }

/**
 * Verified list subjects by message id, for one signed-in account: messages never change, so
 * each is fetched and verified once however often the lists refresh. Keep one per account and
 * drop it at sign-out (it holds decrypted subjects).
 */
export type SubjectCache = Map<string, Promise<VerifiedRow>>

export function createSubjectCache(): SubjectCache {
  return new Map()
}

async function verifyRow(
  api: Pick<ApiClient, 'getMessage'>,
  account: UnlockedAccount,
  readerId: string,
  id: string,
): Promise<VerifiedRow> {
  const detail = await api.getMessage(id)
  if (detail.envelope.id !== id) {
    throw new CryptoError('malformed', 'the server answered with a different message')
  }
  if (isAnswerEnvelope(detail.envelope)) {
    // The answer's subject is the note of the request it answers; it shows only once it opened.
    const opened = await openAnswerParts(account, readerId, detail)
    return {
      header: { subject: opened.subject, groups: [], directIds: [] },
      envelope: detail.envelope,
    }
  }
  const { envelope, senderSigningKey } = signedParts(detail)
  const header = await openVerifiedHeader({
    account,
    readerId,
    envelope,
    key: detail.key,
    senderSigningKey,
  })
  return { header, envelope }
}

/** An inbox row, or a sent row with its recipients by name. */
type ListRow = MessageSummary & { recipients?: Array<{ id: string }> }

/** What a list row shows beside the subject must be what the sender signed (or the visitor sealed). */
function rowMatches(row: ListRow, envelope: AnyEnvelope): boolean {
  if (isAnswerEnvelope(envelope)) return answerRowMatches(row, envelope)
  const sorted = (ids: string[]) => JSON.stringify([...ids].sort())
  const recipients = sorted(envelope.recipientIds)
  return (
    row.origin === 'member' &&
    row.sender?.id === envelope.senderId &&
    sorted(row.recipientIds) === recipients &&
    (row.recipients === undefined || sorted(row.recipients.map((r) => r.id)) === recipients) &&
    row.sentAt === envelope.sentAt &&
    row.expiresAt === envelope.expiresAt &&
    row.highPriority === envelope.highPriority &&
    row.replyTo === envelope.replyTo &&
    row.attachmentCount === envelope.attachments.length
  )
}

/** An answer's row is marked as from outside, names no sender and shows the sealed times. */
function answerRowMatches(row: ListRow, envelope: AnswerEnvelope): boolean {
  return (
    row.origin === 'request' &&
    row.sender === null &&
    row.recipientIds.length === 1 &&
    row.recipientIds[0] === envelope.requesterId &&
    row.recipients === undefined &&
    row.sentAt === envelope.sentAt &&
    row.expiresAt === envelope.expiresAt &&
    !row.highPriority &&
    row.replyTo === null &&
    row.attachmentCount === envelope.attachments.length
  )
}

/**
 * The subject of an inbox or sent row (DESIGN.md §3: clients verify before showing): fetches
 * the message, verifies the sender's signature over all of it, opens only the header, and
 * checks the row's sender, times and flags against the signed envelope. Throws CryptoError
 * when anything does not verify, so a row never shows an unverified subject; network and
 * API errors throw ApiError (not cached, so the next refresh tries again).
 */
export async function openListSubject(
  api: Pick<ApiClient, 'getMessage'>,
  account: UnlockedAccount,
  readerId: string,
  row: ListRow,
  cache: SubjectCache = createSubjectCache(),
): Promise<string> {
  return (await openListHeader(api, account, readerId, row, cache)).subject
}

/**
 * The header of an inbox or sent row, verified as `openListSubject` does: the subject, and
 * the groups it went to with the people chosen besides them ("To: Ops (5), Carol").
 */
export async function openListHeader(
  api: Pick<ApiClient, 'getMessage'>,
  account: UnlockedAccount,
  readerId: string,
  row: ListRow,
  cache: SubjectCache = createSubjectCache(),
): Promise<OpenedHeader> {
  let verified = cache.get(row.id)
  if (!verified) {
    verified = verifyRow(api, account, readerId, row.id)
    cache.set(row.id, verified)
    // Only successes stay: a failure is reported below, and the next refresh tries again.
    const pending = verified
    pending.catch(() => {
      if (cache.get(row.id) === pending) cache.delete(row.id)
    })
  }
  const { header, envelope } = await verified
  if (!rowMatches(row, envelope)) {
    throw new CryptoError('bad_signature', 'this row does not match the message its sender signed')
  }
  return header
}

/** Downloads and decrypts one attachment, chunk by chunk; a missing or altered chunk throws. */
export async function downloadAttachment(
  api: ApiClient,
  messageId: string,
  opened: Pick<OpenedMessage, 'contentKey'>,
  attachment: AttachmentPlainRef,
  onProgress?: (receivedBytes: number) => void,
): Promise<Uint8Array> {
  return downloadFile(
    attachment,
    opened.contentKey,
    (from, count) => withRetry(() => api.downloadChunks(messageId, attachment.blobId, from, count)),
    onProgress,
  )
}
