import { z } from 'zod'
import { Base64Url, ClientText, HpkeBox, Id, SealedEnvelope, Timestamp } from './common.js'
import { CHUNKS_PER_REQUEST } from './frames.js'

/** Message ids are chosen by the sending client (UUID v4), which makes sending idempotent. */
export const MessageId = z.uuid()
export type MessageId = z.infer<typeof MessageId>

export const SUBJECT_MAX = 200
export const BODY_MAX = 100_000

/** What a sender may write; both clients check it before sealing (the server sees only ciphertext). */
export const MessageSubject = ClientText(SUBJECT_MAX, 'the subject is empty', { trim: true })
export const MessageBody = ClientText(BODY_MAX, 'the message text is empty', { trim: false })
/** Plaintext bytes per file chunk; each sealed chunk adds a 12-byte IV and a 16-byte tag. */
export const CHUNK_BYTES = 64 * 1024

/** How many chunks a file of `size` bytes is sealed in (an empty file is one chunk). */
export function chunkCountFor(size: number): number {
  return Math.max(1, Math.ceil(size / CHUNK_BYTES))
}

export const SEALED_CHUNK_OVERHEAD = 28

/** A sealed file: its name and type are inside `meta`; `size` is plaintext bytes. */
export const AttachmentRef = z.object({
  blobId: Id,
  size: z.number().int().min(0),
  chunkCount: z.number().int().min(1),
  meta: SealedEnvelope,
})
export type AttachmentRef = z.infer<typeof AttachmentRef>

/**
 * The signed, sealed message as the sender built it. Every field outside the
 * sealed envelopes is bound into their AAD and into the Ed25519 signature.
 */
/** Most recipients of one message: a group of up to this many can be sent to at once. */
export const MESSAGE_RECIPIENTS_MAX = 1000

export const MessageEnvelope = z.object({
  v: z.literal(1),
  id: MessageId,
  senderId: Id,
  recipientIds: z.array(Id).min(1).max(MESSAGE_RECIPIENTS_MAX),
  sentAt: Timestamp,
  expiresAt: Timestamp.nullable(),
  highPriority: z.boolean(),
  replyTo: MessageId.nullable(),
  header: SealedEnvelope,
  body: SealedEnvelope,
  attachments: z.array(AttachmentRef).max(10_000),
  /** Copied vault folders/entries (S7–S8), sealed; their files are among `attachments`. */
  tree: SealedEnvelope.nullable(),
  signature: Base64Url,
})
export type MessageEnvelope = z.infer<typeof MessageEnvelope>

/**
 * An answer from outside (a request's visitor) as it sits in the requester's inbox: unsigned,
 * because nobody with an account sent it. Its fields outside the sealed parts are in their AAD
 * (see crypto/request.ts). `owner` is the requester's own sealed copy of the request (its note
 * and secret), so the answer opens, and names what it answers, after the request is gone.
 */
export const AnswerEnvelope = z.object({
  v: z.literal(1),
  kind: z.literal('request-answer'),
  id: MessageId,
  requestId: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'not a request id'),
  requesterId: Id,
  sentAt: Timestamp,
  expiresAt: Timestamp,
  body: SealedEnvelope,
  attachments: z.array(AttachmentRef).max(100),
  owner: SealedEnvelope,
})
export type AnswerEnvelope = z.infer<typeof AnswerEnvelope>

export const MessageKeyBox = z.object({ userId: Id, box: HpkeBox })

export const PutMessageRequest = z.object({
  envelope: MessageEnvelope,
  /** One box per recipient and one for the sender, so the sender can read what they sent. */
  keys: z
    .array(MessageKeyBox)
    .min(2)
    .max(MESSAGE_RECIPIENTS_MAX + 1),
})
export type PutMessageRequest = z.infer<typeof PutMessageRequest>

export const MessageIdParams = z.object({ id: MessageId })
export const ChunkParams = z.object({
  blobId: Id,
  index: z.coerce.number().int().min(0).max(100_000),
})
export const MessageChunkParams = ChunkParams.extend({ id: MessageId })
/** How many chunks from :index one download answers. */
export const ChunkRangeQuery = z.object({
  count: z.coerce.number().int().min(1).max(CHUNKS_PER_REQUEST).default(1),
})

export const UserSummary = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
})
export type UserSummary = z.infer<typeof UserSummary>

/**
 * One recipient's receipts, for the sender: delivered (committed to their inbox), first opened
 * by a client, closed (read, S15), saved to a vault, replied to, removed from their inbox.
 * With receipts turned off for the organisation only `deliveredAt` and `readAt` are given.
 */
export const RecipientState = UserSummary.extend({
  deliveredAt: Timestamp,
  openedAt: Timestamp.nullable(),
  readAt: Timestamp.nullable(),
  savedAt: Timestamp.nullable(),
  repliedAt: Timestamp.nullable(),
  removedAt: Timestamp.nullable(),
})
export type RecipientState = z.infer<typeof RecipientState>

/** What a recipient's client reports; closing is `POST /messages/:id/read`, replying is a send. */
export const ReceiptEvent = z.enum(['opened', 'saved'])
export type ReceiptEvent = z.infer<typeof ReceiptEvent>
export const RecordReceiptRequest = z.object({ event: ReceiptEvent })
export type RecordReceiptRequest = z.infer<typeof RecordReceiptRequest>

/** The sender's view of one message's receipts (`GET /messages/:id/receipts`). */
export const MessageReceipts = z.object({
  /** False when the organisation turned receipts off. */
  enabled: z.boolean(),
  recipients: z.array(RecipientState),
})
export type MessageReceipts = z.infer<typeof MessageReceipts>

/**
 * Who a message comes from: a member, who signed it, or someone outside answering one of the
 * reader's requests for a secret, whom nobody vouches for.
 */
export const MessageOrigin = z.enum(['member', 'request'])
export type MessageOrigin = z.infer<typeof MessageOrigin>

/** A row of the inbox or sent list: enough to decrypt the subject, not the body. */
export const MessageSummary = z.object({
  id: MessageId,
  origin: MessageOrigin,
  /** The member who sent it; null for an answer from outside. */
  sender: UserSummary.nullable(),
  recipientIds: z.array(Id),
  sentAt: Timestamp,
  expiresAt: Timestamp.nullable(),
  highPriority: z.boolean(),
  replyTo: MessageId.nullable(),
  /** The sealed subject; null for an answer from outside (its subject is the request's note). */
  header: SealedEnvelope.nullable(),
  key: HpkeBox,
  attachmentCount: z.number().int(),
  /** The caller's read time in their inbox; null when unread, and in the sent list. */
  readAt: Timestamp.nullable(),
})
export type MessageSummary = z.infer<typeof MessageSummary>

export const MessagePage = z.object({
  items: z.array(MessageSummary),
  /** Pass as `before` to get the next (older) page; null at the end. */
  nextCursor: z.string().nullable(),
})
export type MessagePage = z.infer<typeof MessagePage>

export const ListQuery = z.object({
  before: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  unread: z.stringbool().optional(),
})

export const SentSummary = MessageSummary.extend({ recipients: z.array(RecipientState) })
export const SentPage = z.object({ items: z.array(SentSummary), nextCursor: z.string().nullable() })
export type SentSummary = z.infer<typeof SentSummary>

/** A signed message, or an answer from outside (which nobody signed). */
export const AnyEnvelope = z.union([AnswerEnvelope, MessageEnvelope])
export type AnyEnvelope = z.infer<typeof AnyEnvelope>

export function isAnswerEnvelope(envelope: AnyEnvelope): envelope is AnswerEnvelope {
  return 'kind' in envelope && envelope.kind === 'request-answer'
}

/** One message with what the caller needs to open and verify it. */
export const MessageDetail = z.object({
  envelope: AnyEnvelope,
  key: HpkeBox,
  /** The member who signed it; null for an answer from outside. */
  sender: UserSummary.extend({ ed25519PublicKey: Base64Url }).nullable(),
  readAt: Timestamp.nullable(),
  /** Per-recipient read state; only for the sender. */
  recipients: z.array(RecipientState).nullable(),
  /** Other messages of the same thread the caller can see, oldest first. */
  thread: z.array(z.object({ id: MessageId, sentAt: Timestamp, sender: UserSummary })),
})
export type MessageDetail = z.infer<typeof MessageDetail>

export const UnreadCount = z.object({
  unread: z.number().int(),
  highPriorityUnread: z.number().int(),
})

export const PriorityList = z.object({ items: z.array(MessageDetail) })

/** What the event stream (`GET /api/events`) tells a signed-in client; the SSE event name is `type`. */
export const LiveEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message.created'), id: MessageId, highPriority: z.boolean() }),
  z.object({ type: z.literal('message.read'), id: MessageId, userId: Id }),
  /** A recipient (`userId`) opened, saved, replied to or removed a message the caller sent. */
  z.object({ type: z.literal('message.receipt'), id: MessageId, userId: Id }),
  z.object({ type: z.literal('message.deleted'), id: MessageId }),
  /** An unread message in the caller's inbox expires soon (SEALPOST_REMIND_BEFORE_HOURS). */
  z.object({ type: z.literal('message.expiring'), id: MessageId, expiresAt: Timestamp }),
  /**
   * An administrator changed this user's role or permissions (`id` is the user's): the client
   * fetches its session again, so it never offers what the server would refuse.
   */
  z.object({ type: z.literal('account.changed'), id: Id }),
  /**
   * A shared vault's group grants changed (`id` is the vault's): administrators' devices seal
   * its key to members who wait for it; a member's client lists its vaults again.
   */
  z.object({ type: z.literal('vault.grants_changed'), id: Id }),
])
export type LiveEvent = z.infer<typeof LiveEvent>
/** Every event name a client listens for, from the union itself. */
export const LIVE_EVENT_TYPES = LiveEvent.options.map((option) => option.shape.type.value)

export const MessagingLimits = z.object({
  maxFileBytes: z.number().int(),
  maxMessageBytes: z.number().int(),
  maxExpiryDays: z.number().int(),
})
export type MessagingLimits = z.infer<typeof MessagingLimits>

/** "Re: subject", never "Re: Re: subject" (S14). */
export function replySubject(subject: string): string {
  return /^re:\s/i.test(subject) ? subject : `Re: ${subject}`
}
