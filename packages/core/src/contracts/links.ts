import { z } from 'zod'
import { Email } from './auth.js'
import {
  Argon2Params,
  Base64Url,
  ClientText,
  Id,
  LinkPassphraseParams,
  SealedEnvelope,
  Timestamp,
} from './common.js'

/** 128 bits derived from the link secret: what the server files the link under. */
export const LinkId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'not a link id')
export type LinkId = z.infer<typeof LinkId>

/** The 256-bit link secret in base64url: what follows `#` in a link. */
export const LinkSecret = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a link secret')

/** `<origin>/s/<id>#<secret>`, nothing before, between or after. */
export const LinkUrl = z
  .string()
  .max(2000)
  .regex(/^https?:\/\/[^/?#\s]+\/s\/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$/, 'not a Sealpost link')

export const LINK_MAX_VIEWS = 100
/** A link's or request's own name in its owner's list; sealed, so checked by the clients. */
export const LINK_LABEL_MAX = 200
export const LinkLabel = ClientText(LINK_LABEL_MAX, 'the label is empty', { trim: true })
/** After this many wrong passphrases the link is destroyed. */
export const LINK_MAX_PASSPHRASE_FAILURES = 10

export const LinkPassphrase = z.object({
  salt: Base64Url,
  params: Argon2Params,
  /** SHA-256 of the passphrase proof: lets the server count wrong passphrases. */
  verifier: Base64Url,
})

export const LinkFile = z.object({
  blobId: Id,
  size: z.number().int().min(0),
  chunkCount: z.number().int().min(1),
})
export type LinkFile = z.infer<typeof LinkFile>

export const PutLinkRequest = z.object({
  /** SHA-256 of the access proof; only someone holding the secret can present the proof. */
  accessVerifier: Base64Url,
  passphrase: LinkPassphrase.nullable(),
  /** Sealed {subject, text, files: [{blobId, name, type, size}]}. */
  payload: SealedEnvelope,
  files: z.array(LinkFile).max(100),
  expiresAt: Timestamp,
  maxViews: z.number().int().min(1).max(LINK_MAX_VIEWS),
  /** Sealed with the creator's account key: only they can read it in their list. */
  label: SealedEnvelope.nullable(),
  /**
   * Email the owner at each spent view ("view 2 of 3"), never the label or content; absent is
   * false. Answers `mail_not_configured` when the server cannot send email.
   */
  notifyOnOpen: z.boolean().optional(),
})
export type PutLinkRequest = z.infer<typeof PutLinkRequest>

export const LinkIdParams = z.object({ id: LinkId })

export const LinkEmailState = z.object({
  to: z.string(),
  status: z.enum(['sent', 'failed']),
  error: z.string().nullable(),
  at: Timestamp,
})

export const LinkSummary = z.object({
  id: LinkId,
  createdAt: Timestamp,
  expiresAt: Timestamp,
  maxViews: z.number().int(),
  views: z.number().int(),
  hasPassphrase: z.boolean(),
  fileCount: z.number().int(),
  sizeBytes: z.number().int(),
  label: SealedEnvelope.nullable(),
  emails: z.array(LinkEmailState),
  /** `active` while it can be opened; otherwise why it ended (its content is gone). */
  state: z.enum(['active', 'used_up', 'expired', 'deleted', 'destroyed']),
  endedAt: Timestamp.nullable(),
  /** The owner is emailed at each spent view. */
  notifyOnOpen: z.boolean(),
})
export type LinkSummary = z.infer<typeof LinkSummary>
export const LinkList = z.object({ links: z.array(LinkSummary) })
/** `?all=true` lists ended links too, newest first. */
export const LinkListQuery = z.object({
  all: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true'),
})

/**
 * What happened to a link, oldest first: a visitor with the full link was asked for its
 * passphrase, or asked whether it needs one (`revealed`, at most once a minute; opening a link
 * without a passphrase records `opened` alone), a view was spent (`opened`, with its number),
 * a wrong passphrase, and how it ended.
 */
export const LinkHistoryEvent = z.object({
  event: z.enum(['revealed', 'opened', 'wrong_passphrase', 'destroyed', 'expired', 'deleted']),
  at: Timestamp,
  /** For `opened`: view N of the link's `maxViews`. */
  view: z.number().int().nullable(),
})
export type LinkHistoryEvent = z.infer<typeof LinkHistoryEvent>
export const LinkDetail = z.object({ link: LinkSummary, history: z.array(LinkHistoryEvent) })
export type LinkDetail = z.infer<typeof LinkDetail>

export const EmailLinkRequest = z.object({
  to: z.array(Email).min(1).max(20),
  /**
   * The link, secret included. The server takes only its id and secret, checks that the secret
   * is this link's, and mails a link it builds from its own public URL; it keeps only the addresses.
   */
  url: LinkUrl,
})
export const EmailLinkResponse = z.object({
  results: z.array(z.object({ to: z.string(), ok: z.boolean(), error: z.string().nullable() })),
})
export type EmailLinkResponse = z.infer<typeof EmailLinkResponse>

export const MailStatus = z.object({ enabled: z.boolean() })

/**
 * Public: presenting the access proof shows whether a passphrase is needed; no view is spent.
 * Kept for older clients: an open without a passphrase proof answers the same question
 * (`passphrase_needed`), so opening takes one request.
 */
export const RevealLinkRequest = z.object({ accessProof: Base64Url })
export const RevealLinkResponse = z.object({
  passphrase: LinkPassphraseParams.nullable(),
  /** So a client can get ready to save files before it spends a view. */
  fileCount: z.number().int(),
})
export type RevealLinkResponse = z.infer<typeof RevealLinkResponse>

export const OpenLinkRequest = z.object({
  accessProof: Base64Url,
  /**
   * Without it, a link with a passphrase answers `passphrase_needed` (with the salt and
   * parameters to derive it) and spends no view; a wrong one counts towards destroying it.
   */
  passphraseProof: Base64Url.optional(),
})

/** JSON head of the binary open response; the sealed chunks follow it (see openLinkFrames). */
export const OpenLinkHead = z.object({
  payload: SealedEnvelope,
  files: z.array(LinkFile),
  views: z.number().int(),
  maxViews: z.number().int(),
  expiresAt: Timestamp,
  /** True when this view used up the link and it is now deleted. */
  deleted: z.boolean(),
})
export type OpenLinkHead = z.infer<typeof OpenLinkHead>
