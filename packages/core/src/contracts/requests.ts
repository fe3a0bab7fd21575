import { z } from 'zod'
import { Email } from './auth.js'
import { Base64Url, ClientText, HpkeBox, Id, SealedEnvelope, Timestamp } from './common.js'
import { AttachmentRef, MessageId } from './messages.js'

/** 128 bits derived from the request secret: what the server files the request under. */
export const RequestId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'not a request id')
export type RequestId = z.infer<typeof RequestId>

/**
 * What follows `#` in a request link: the 256-bit secret and the 128-bit fingerprint of the
 * requester's X25519 public key, 48 bytes in base64url.
 */
export const RequestFragment = z.string().regex(/^[A-Za-z0-9_-]{64}$/, 'not a request secret')

/** `<origin>/r/<id>#<secret and key fingerprint>`, nothing before, between or after. */
export const RequestUrl = z
  .string()
  .max(2000)
  .regex(
    /^https?:\/\/[^/?#\s]+\/r\/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{64}$/,
    'not a Sealpost request link',
  )

export const REQUEST_MAX_ANSWERS = 100
/** What is asked, in characters; checked by both clients (the server sees only ciphertext). */
export const REQUEST_NOTE_MAX = 2000
export const REQUEST_MIN_EXPIRY_MS = 3_600_000
export const REQUEST_MAX_EXPIRY_DAYS = 30
export const REQUEST_DEFAULT_EXPIRY_DAYS = 7
/** Answers stay in the requester's inbox this long (or the organisation's maximum, if shorter). */
export const ANSWER_LIFETIME_DAYS = 30
/** Files one answer may carry. */
export const ANSWER_MAX_FILES = 100

export const RequestNoteText = ClientText(REQUEST_NOTE_MAX, 'say what you are asking for', {
  trim: true,
})

export const PutRequestRequest = z.object({
  /** SHA-256 of the access proof; only someone holding the secret can present the proof. */
  accessVerifier: Base64Url,
  /** Sealed with a key derived from the secret: what is asked and who asks (RequestNote). */
  note: SealedEnvelope,
  /** Sealed with the requester's account key: the secret, note and label (RequestOwnerCopy). */
  owner: SealedEnvelope,
  expiresAt: Timestamp,
  maxAnswers: z.number().int().min(1).max(REQUEST_MAX_ANSWERS),
  allowFiles: z.boolean(),
})
export type PutRequestRequest = z.infer<typeof PutRequestRequest>

export const RequestIdParams = z.object({ id: RequestId })

/** A row of the requester's Requests list. */
export const RequestSummary = z.object({
  id: RequestId,
  createdAt: Timestamp,
  expiresAt: Timestamp,
  maxAnswers: z.number().int(),
  answers: z.number().int(),
  allowFiles: z.boolean(),
  owner: SealedEnvelope,
})
export type RequestSummary = z.infer<typeof RequestSummary>
export const RequestList = z.object({ requests: z.array(RequestSummary) })

export const EmailRequestRequest = z.object({
  to: z.array(Email).min(1).max(20),
  /**
   * The request link, secret included. The server checks that the secret is this request's and
   * the fingerprint its requester's key, and mails a link it builds from its own public URL.
   */
  url: RequestUrl,
})

/** Public: presenting the access proof shows the sealed note and the requester's key. */
export const ViewRequestRequest = z.object({ accessProof: Base64Url })
export const RequestView = z.object({
  note: SealedEnvelope,
  requester: z.object({ id: Id, x25519PublicKey: Base64Url }),
  allowFiles: z.boolean(),
  expiresAt: Timestamp,
  answersLeft: z.number().int(),
  /** An answer's expiry is its sending time plus this many days. */
  answerLifetimeDays: z.number().int(),
  maxFileBytes: z.number().int(),
  maxAnswerBytes: z.number().int(),
})
export type RequestView = z.infer<typeof RequestView>

export const AnswerChunkParams = z.object({
  id: RequestId,
  blobId: Id,
  index: z.coerce.number().int().min(0).max(100_000),
})
export const AnswerParams = z.object({ id: RequestId, answerId: MessageId })

/** What a visitor's client sealed: every field outside the sealed parts is in their AAD. */
export const SealedAnswer = z.object({
  sentAt: Timestamp,
  expiresAt: Timestamp,
  body: SealedEnvelope,
  attachments: z.array(AttachmentRef).max(ANSWER_MAX_FILES),
  /** The content key, HPKE-sealed (PSK mode) to the requester. */
  key: HpkeBox,
})
export type SealedAnswer = z.infer<typeof SealedAnswer>

export const PutAnswerRequest = z.object({ accessProof: Base64Url, answer: SealedAnswer })
export type PutAnswerRequest = z.infer<typeof PutAnswerRequest>
