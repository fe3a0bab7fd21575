import { z } from 'zod'
import { Base64Url, type HpkeBox, type SealedEnvelope } from '../contracts/common.js'
import {
  type AttachmentRef,
  MESSAGE_RECIPIENTS_MAX,
  type MessageEnvelope,
  type PutMessageRequest,
} from '../contracts/messages.js'
import { aesGcmDecrypt, AES_GCM_IV_BYTES, importAesKey, sealBytes } from './aes-gcm.js'
import type { UnlockedAccount } from './account.js'
import { type Bytes, concatBytes, fromBase64Url, randomBytes, toBase64Url, utf8 } from './bytes.js'
import { CryptoError } from './crypto-error.js'
import { importEd25519PublicKey, signEd25519, verifyEd25519 } from './ed25519.js'
import { openJsonEnvelope, sealEnvelope } from './envelope.js'
import { sha256 } from './hkdf.js'
import { hpkeOpen, hpkeSealToEach } from './hpke.js'
import { CopiedItem } from '../contracts/vault.js'
import { SentToGroup } from '../contracts/groups.js'

/** A message's random content key: raw bytes to box for each reader, and the sealing key. */
export type ContentKey = { raw: Bytes; key: CryptoKey }

export async function createContentKey(): Promise<ContentKey> {
  const raw = randomBytes(32)
  return { raw, key: await importAesKey(raw) }
}

/** Everything outside the sealed parts that the AAD and the signature bind. */
export type MessageContext = Pick<
  MessageEnvelope,
  'id' | 'senderId' | 'recipientIds' | 'sentAt' | 'expiresAt' | 'highPriority' | 'replyTo'
>

/**
 * AAD of one sealed part of a message (`header`, `body`, `tree`, `attachment/<blobId>`,
 * `key/<userId>`, `signature`): every context field, so none can be changed alone.
 */
export function messageAad(ctx: MessageContext, part: string): Bytes {
  return messageAadOf(ctx)(part)
}

/**
 * `messageAad` for many parts of one message: the same bytes, with the context (up to 1,000
 * sorted recipient ids, ~40 KB) encoded once instead of once per key box.
 */
function messageAadOf(ctx: MessageContext): (part: string) => Bytes {
  const context = JSON.stringify([
    'sealpost/v1/message',
    ctx.id,
    ctx.senderId,
    [...ctx.recipientIds].sort(),
    ctx.sentAt,
    ctx.expiresAt,
    ctx.highPriority,
    ctx.replyTo,
  ])
  // JSON.stringify writes an array as "[a,b]", so "[a,b" + "," + part + "]" is "[a,b,part]".
  const head = utf8(`${context.slice(0, -1)},`)
  return (part) => concatBytes(head, utf8(`${JSON.stringify(part)}]`))
}

const KEY_INFO = utf8('sealpost/v1/message-key')

/**
 * Groups appear only when the message went to some, with the recipients chosen one by one
 * besides them: older messages' headers stay as they were.
 */
const HeaderPlain = z.object({
  subject: z.string(),
  groups: z.array(SentToGroup).max(MESSAGE_RECIPIENTS_MAX).optional(),
  directIds: z.array(z.string()).max(MESSAGE_RECIPIENTS_MAX).optional(),
})
const BodyPlain = z.object({ text: z.string() })
const AttachmentPlain = z.object({ name: z.string(), type: z.string() })

/** What the sender's Ed25519 signature covers (its SHA-256): context and every sealed part. */
export function messageSignedBytes(envelope: Omit<MessageEnvelope, 'signature'>): Bytes {
  return utf8(
    JSON.stringify([
      'sealpost/v1/message-signature',
      new TextDecoder().decode(messageAad(envelope, 'signature')),
      envelope.header,
      envelope.body,
      envelope.attachments.map((a) => [a.blobId, a.size, a.chunkCount, a.meta]),
      envelope.tree,
    ]),
  )
}

async function sealJson(key: CryptoKey, value: unknown, aad: Bytes): Promise<SealedEnvelope> {
  return sealEnvelope(key, utf8(JSON.stringify(value)), aad)
}

async function openJson<T>(
  key: CryptoKey,
  envelope: unknown,
  aad: Bytes,
  schema: z.ZodType<T>,
): Promise<T> {
  return openJsonEnvelope(key, envelope, aad, schema, 'message content')
}

export type AttachmentPlainRef = {
  blobId: string
  name: string
  type: string
  size: number
  chunkCount: number
}

export type MessageDraft = MessageContext & {
  subject: string
  body: string
  attachments: AttachmentPlainRef[]
  /** Copied vault items; their files must be among `attachments`. */
  tree?: CopiedItem[] | null
  /** The groups the recipients came from, sealed with the subject. */
  groups?: SentToGroup[]
  /** With groups: the recipients chosen one by one besides them (user ids). */
  directIds?: string[]
}

/**
 * Seals and signs a message (DESIGN.md §3 "Message"): subject, body and attachment names
 * under the content key; the content key HPKE-sealed to every recipient and the sender.
 */
export async function sealMessage(input: {
  draft: MessageDraft
  contentKey: ContentKey
  sender: UnlockedAccount
  /** Every recipient's and the sender's X25519 public key (base64url), by user id. */
  publicKeys: Map<string, string>
}): Promise<PutMessageRequest> {
  const { draft, contentKey, sender } = input
  const ctx: MessageContext = {
    id: draft.id,
    senderId: draft.senderId,
    recipientIds: [...new Set(draft.recipientIds)],
    sentAt: draft.sentAt,
    expiresAt: draft.expiresAt,
    highPriority: draft.highPriority,
    replyTo: draft.replyTo,
  }
  const aad = messageAadOf(ctx)
  const attachments: AttachmentRef[] = []
  for (const a of draft.attachments) {
    attachments.push({
      blobId: a.blobId,
      size: a.size,
      chunkCount: a.chunkCount,
      meta: await sealJson(
        contentKey.key,
        { name: a.name, type: a.type },
        aad(`attachment/${a.blobId}`),
      ),
    })
  }
  const unsigned = {
    v: 1 as const,
    ...ctx,
    header: await sealJson(
      contentKey.key,
      draft.groups?.length
        ? { subject: draft.subject, groups: draft.groups, directIds: draft.directIds ?? [] }
        : { subject: draft.subject },
      aad('header'),
    ),
    body: await sealJson(contentKey.key, { text: draft.body }, aad('body')),
    attachments,
    tree: draft.tree?.length ? await sealJson(contentKey.key, draft.tree, aad('tree')) : null,
  }
  const signature = await signEd25519(sender.signingKey, await sha256(messageSignedBytes(unsigned)))
  const envelope: MessageEnvelope = {
    ...unsigned,
    signature: Base64Url.parse(toBase64Url(signature)),
  }

  const readers = [...new Set([...ctx.recipientIds, ctx.senderId])]
  const sealed = await hpkeSealToEach(
    readers.map((userId) => {
      const publicKey = input.publicKeys.get(userId)
      if (!publicKey) throw new CryptoError('bad_key', `no public key for user ${userId}`)
      return { userId, publicKey, aad: aad(`key/${userId}`) }
    }),
    contentKey.raw,
    KEY_INFO,
  )
  const keys = sealed.map(({ reader, sealed: box }) => ({
    userId: reader.userId,
    box: { enc: Base64Url.parse(toBase64Url(box.enc)), ct: Base64Url.parse(toBase64Url(box.ct)) },
  }))
  return { envelope, keys }
}

/** Opens the caller's key box; the AAD makes it fail if any bound field was changed. */
export async function openContentKey(
  account: UnlockedAccount,
  readerId: string,
  ctx: MessageContext,
  box: HpkeBox,
): Promise<CryptoKey> {
  const raw = await hpkeOpen(
    account.encryptionKeyPair,
    { enc: fromBase64Url(box.enc), ct: fromBase64Url(box.ct) },
    KEY_INFO,
    messageAad(ctx, `key/${readerId}`),
  )
  try {
    return await importAesKey(raw)
  } finally {
    raw.fill(0)
  }
}

/** Throws CryptoError('bad_signature') unless the sender's key signed this envelope. */
async function verifySignature(envelope: MessageEnvelope, senderSigningKey: string): Promise<void> {
  if ((envelope.v as number) !== 1) {
    throw new CryptoError('unsupported_version', `message version ${envelope.v}`)
  }
  const { signature, ...unsigned } = envelope
  await verifyEd25519(
    await importEd25519PublicKey(fromBase64Url(senderSigningKey)),
    fromBase64Url(signature),
    await sha256(messageSignedBytes(unsigned)),
  )
}

/** What `openMessage` and `openVerifiedSubject` need: the envelope, my key box, the signer. */
export type MessageToOpen = {
  account: UnlockedAccount
  readerId: string
  envelope: MessageEnvelope
  key: HpkeBox
  /** The sender's Ed25519 public key (base64url). */
  senderSigningKey: string
}

/** What a list row shows of a message's sealed header: its subject and whom it went to. */
export type OpenedHeader = Pick<OpenedMessage, 'subject' | 'groups' | 'directIds'>

/**
 * The header alone, for list rows: verifies the sender's signature over the whole envelope
 * first, then opens only the header. Throws CryptoError like `openMessage`.
 */
export async function openVerifiedHeader(input: MessageToOpen): Promise<OpenedHeader> {
  const { envelope } = input
  await verifySignature(envelope, input.senderSigningKey)
  const key = await openContentKey(input.account, input.readerId, envelope, input.key)
  const header = await openJson(key, envelope.header, messageAad(envelope, 'header'), HeaderPlain)
  return {
    subject: header.subject,
    groups: header.groups ?? [],
    directIds: header.directIds ?? [],
  }
}

/** The subject alone, for list rows; see `openVerifiedHeader`. */
export async function openVerifiedSubject(input: MessageToOpen): Promise<string> {
  return (await openVerifiedHeader(input)).subject
}

export type OpenedMessage = {
  subject: string
  /** The groups the sender sent it to (from the sealed header); empty for none. */
  groups: SentToGroup[]
  /**
   * With groups: the recipients the sender chose one by one besides them (from the sealed
   * header; empty for a message without groups, or from a client that did not say).
   */
  directIds: string[]
  body: string
  attachments: AttachmentPlainRef[]
  /** Copied vault items, or null when the message carries none. */
  tree: CopiedItem[] | null
  contentKey: CryptoKey
}

/**
 * Verifies the sender's signature, then decrypts. Throws CryptoError ('bad_signature',
 * 'decrypt_failed', …) if anything — ciphertext, AAD-bound field or signature — was changed.
 */
export async function openMessage(input: MessageToOpen): Promise<OpenedMessage> {
  const { envelope } = input
  await verifySignature(envelope, input.senderSigningKey)
  const contentKey = await openContentKey(input.account, input.readerId, envelope, input.key)
  const header = await openJson(
    contentKey,
    envelope.header,
    messageAad(envelope, 'header'),
    HeaderPlain,
  )
  const body = await openJson(contentKey, envelope.body, messageAad(envelope, 'body'), BodyPlain)
  const attachments: AttachmentPlainRef[] = []
  for (const a of envelope.attachments) {
    const meta = await openJson(
      contentKey,
      a.meta,
      messageAad(envelope, `attachment/${a.blobId}`),
      AttachmentPlain,
    )
    attachments.push({ blobId: a.blobId, size: a.size, chunkCount: a.chunkCount, ...meta })
  }
  const tree =
    envelope.tree === null
      ? null
      : await openJson(contentKey, envelope.tree, messageAad(envelope, 'tree'), z.array(CopiedItem))
  return {
    subject: header.subject,
    groups: header.groups ?? [],
    directIds: header.directIds ?? [],
    body: body.text,
    attachments,
    tree,
    contentKey,
  }
}

/** Chunk AAD binds blob id, index and the last-chunk flag, so chunks cannot be reordered or cut. */
function chunkAad(blobId: string, index: number, isLast: boolean): Bytes {
  return utf8(JSON.stringify(['sealpost/v1/chunk', blobId, index, isLast]))
}

/** Seals one file chunk as IV ‖ ciphertext ‖ tag. */
export async function sealChunk(
  key: CryptoKey,
  blobId: string,
  index: number,
  isLast: boolean,
  plaintext: Bytes,
): Promise<Bytes> {
  const { iv, ct } = await sealBytes(key, plaintext, chunkAad(blobId, index, isLast))
  return concatBytes(iv, ct)
}

export async function openChunk(
  key: CryptoKey,
  blobId: string,
  index: number,
  isLast: boolean,
  sealed: Bytes,
): Promise<Bytes> {
  if (sealed.length < AES_GCM_IV_BYTES + 16) {
    throw new CryptoError('malformed', 'chunk is too short')
  }
  return aesGcmDecrypt(
    key,
    sealed.slice(0, AES_GCM_IV_BYTES),
    sealed.slice(AES_GCM_IV_BYTES),
    chunkAad(blobId, index, isLast),
  )
}
