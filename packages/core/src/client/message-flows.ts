import type { DirectoryUser } from '../contracts/users.js'
import type { MessageDetail } from '../contracts/messages.js'
import type { UnlockedAccount } from '../crypto/account.js'
import {
  type AttachmentPlainRef,
  createContentKey,
  openMessage,
  type OpenedMessage,
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
  // The signature is checked with the key the server names for `sender`; the sender shown
  // must be the one the signed envelope names.
  if (detail.sender.id !== detail.envelope.senderId) {
    throw new CryptoError('bad_signature', 'the stated sender did not send this message')
  }
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
