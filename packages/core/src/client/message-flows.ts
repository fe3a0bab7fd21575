import type { DirectoryUser } from '../contracts/users.js'
import type { MessageDetail, MessageEnvelope, MessageSummary } from '../contracts/messages.js'
import type { UnlockedAccount } from '../crypto/account.js'
import {
  type AttachmentPlainRef,
  createContentKey,
  openMessage,
  type OpenedMessage,
  openVerifiedSubject,
  sealMessage,
} from '../crypto/message.js'
import { CryptoError } from '../crypto/crypto-error.js'
import { type CopiedItem, retargetCopiedFiles } from '../crypto/vault.js'
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
    },
    contentKey,
    sender: input.account,
    publicKeys,
  })
  contentKey.raw.fill(0)
  return withRetry(() => api.putMessage(request))
}

/** The signed envelope must name the sender the server says sent it. */
function checkStatedSender(detail: MessageDetail): void {
  // The signature is checked with the key the server names for `sender`; the sender shown
  // must be the one the signed envelope names.
  if (detail.sender.id !== detail.envelope.senderId) {
    throw new CryptoError('bad_signature', 'the stated sender did not send this message')
  }
}

/**
 * Verifies and decrypts a fetched message for the signed-in reader. A message whose signed
 * expiry has passed is refused even if the server still serves it.
 */
export async function openMessageDetail(
  account: UnlockedAccount,
  readerId: string,
  detail: MessageDetail,
  now: Date = new Date(),
): Promise<OpenedMessage> {
  checkStatedSender(detail)
  const opened = await openMessage({
    account,
    readerId,
    envelope: detail.envelope,
    key: detail.key,
    senderSigningKey: detail.sender.ed25519PublicKey,
  })
  if (
    detail.envelope.expiresAt !== null &&
    Date.parse(detail.envelope.expiresAt) <= now.getTime()
  ) {
    throw new CryptoError('expired', 'this message has expired')
  }
  return opened
}

/** A list row's subject once its message verified, with what the sender signed about it. */
type VerifiedRow = { subject: string; envelope: MessageEnvelope }

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
  checkStatedSender(detail)
  const subject = await openVerifiedSubject({
    account,
    readerId,
    envelope: detail.envelope,
    key: detail.key,
    senderSigningKey: detail.sender.ed25519PublicKey,
  })
  return { subject, envelope: detail.envelope }
}

/** An inbox row, or a sent row with its recipients by name. */
type ListRow = MessageSummary & { recipients?: Array<{ id: string }> }

/** What a list row shows beside the subject must be what the sender signed. */
function rowMatches(row: ListRow, envelope: MessageEnvelope): boolean {
  const sorted = (ids: string[]) => JSON.stringify([...ids].sort())
  const recipients = sorted(envelope.recipientIds)
  return (
    row.sender.id === envelope.senderId &&
    sorted(row.recipientIds) === recipients &&
    (row.recipients === undefined || sorted(row.recipients.map((r) => r.id)) === recipients) &&
    row.sentAt === envelope.sentAt &&
    row.expiresAt === envelope.expiresAt &&
    row.highPriority === envelope.highPriority &&
    row.replyTo === envelope.replyTo &&
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
  const { subject, envelope } = await verified
  if (!rowMatches(row, envelope)) {
    throw new CryptoError('bad_signature', 'this row does not match the message its sender signed')
  }
  return subject
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
    (index) => withRetry(() => api.downloadChunk(messageId, attachment.blobId, index)),
    onProgress,
  )
}
