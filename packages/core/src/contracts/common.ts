import { z } from 'zod'

/** URL-safe base64 without padding (RFC 4648 §5). */
export const Base64Url = z
  .string()
  .regex(/^[A-Za-z0-9_-]*$/, 'must be base64url without padding')
  .brand<'Base64Url'>()
export type Base64Url = z.infer<typeof Base64Url>

/**
 * Plain text a client checks before sealing it (the server sees only ciphertext): not blank and
 * at most `max` characters. Messages read well after a flag or field name:
 * "--subject: 201 characters; the most is 200".
 */
export function ClientText(max: number, blank: string, options: { trim: boolean }) {
  const text = options.trim ? z.string().trim() : z.string()
  return text.regex(/\S/, blank).max(max, {
    error: (issue) =>
      `${typeof issue.input === 'string' ? issue.input.length : '?'} characters; the most is ${max}`,
  })
}

/** The code of a text's first problem: `too_big`, or anything else meaning "missing". */
export function textProblem(schema: z.ZodType, value: string): 'missing' | 'tooLong' | null {
  const result = schema.safeParse(value)
  if (result.success) return null
  return result.error.issues.some((issue) => issue.code === 'too_big') ? 'tooLong' : 'missing'
}

/** AES-256-GCM sealed bytes: `{ v: 1, iv, ct }`; the AAD is rebuilt by the reader. */
export const SealedEnvelope = z.object({
  v: z.literal(1),
  iv: Base64Url,
  ct: Base64Url,
})
export type SealedEnvelope = z.infer<typeof SealedEnvelope>

/** A 256-bit key HPKE-sealed to one user (RFC 9180 single-shot, base mode). */
export const HpkeBox = z.object({ enc: Base64Url, ct: Base64Url })
export type HpkeBox = z.infer<typeof HpkeBox>

export const Id = z.uuid()
export type Id = z.infer<typeof Id>

/** ISO 8601 timestamp in UTC, e.g. 2026-11-25T10:00:00.000Z. */
export const Timestamp = z.iso.datetime()
export type Timestamp = z.infer<typeof Timestamp>

/**
 * Every error code the API can answer with, and its HTTP status.
 * The server's AppError and the clients' ApiError both read this map.
 */
export const errorCodes = {
  /** A body, path or query that its schema refuses, or a value beyond a limit. */
  invalid_input: 400,
  /**
   * A value beyond what a policy allows (maxExpiryDays, maxLinkViews, maxFileMb,
   * requireLinkPassphrase, allowedEmailDomains); the message names the policy.
   */
  policy_limit: 400,
  /** The invite link expired or was used. */
  invalid_invite: 400,
  /** No session, or it ended. */
  not_signed_in: 401,
  /** Wrong username or password (the same answer for unknown users). */
  invalid_credentials: 401,
  /** The password was right but the second factor (TOTP, backup code, security key) was not. */
  invalid_second_factor: 401,
  /** A state-changing request without the X-Sealpost-CSRF header, or with another session's token. */
  csrf_required: 403,
  /** The caller may see this but not change it (e.g. a read-only vault). */
  forbidden: 403,
  admin_only: 403,
  /** The organisation requires two-factor: set up a second factor before anything else. */
  two_factor_required: 403,
  /** An administrator turned sending messages off for this user. */
  sending_disabled: 403,
  /** An administrator turned attachments (and Send copy) off for this user. */
  attachments_disabled: 403,
  /**
   * A policy forbids this (canCreateLinks, canSendEmail, canRequestSecrets); the message names
   * the policy: "policy canCreateLinks forbids this".
   */
  policy_forbids: 403,
  /** Nothing the caller may see: never 403 for someone else's resource. */
  not_found: 404,
  /**
   * A link that is wrong, expired, used up or deleted (S21), or a request for a secret that is
   * wrong, expired, closed or answered in full: one answer for all.
   */
  not_available: 404,
  /**
   * A link's passphrase was wrong, answered only to a visitor who proved the link's secret
   * (its access proof); anyone else gets `not_available`. `triesLeft` in the error body says
   * how many more wrong passphrases the link takes: at 0 it has been destroyed.
   */
  wrong_passphrase: 403,
  /**
   * Opening a link that has a passphrase without a passphrase proof: the error body's
   * `passphrase` carries the salt and Argon2id parameters to derive one, so the visitor's next
   * open can bring it. Spends no view and is not a wrong passphrase. Answered only to a visitor
   * who proved the link's secret; anyone else gets `not_available`. 403 like
   * `wrong_passphrase`, not 401: 401 means "no session" in this API, and clients sign out on it.
   */
  passphrase_needed: 403,
  setup_done: 409,
  username_taken: 409,
  /** Another group has this name (whatever the case). */
  group_exists: 409,
  /** The change would leave no active administrator. */
  last_administrator: 409,
  /** The person has the vault through a group's grant: removing them alone changes nothing. */
  granted_by_group: 409,
  /** A different message already has this id (a retry of the same one answers 200). */
  message_exists: 409,
  /** A different link already has this id. */
  link_exists: 409,
  /** A different request for a secret already has this id. */
  request_exists: 409,
  /** A vault item with this id exists. */
  item_exists: 409,
  /** This file id was already committed to a message, link or item. */
  file_exists: 409,
  /** Administrator-assisted recovery: this user's account key is not escrowed. */
  not_enrolled: 409,
  /** A test event to a disabled webhook: it would wait until the webhook is enabled. */
  webhook_disabled: 409,
  /** Send by email needs SEALPOST_SMTP_URL. */
  mail_not_configured: 409,
  /** Someone changed the vault item since the given revision. */
  stale_revision: 409,
  /** The vault was re-keyed since this device opened it: open the vaults again, then retry. */
  stale_key: 409,
  /** A re-key did not cover the vault as it is now (an item, revision or member changed). */
  vault_changed: 409,
  payload_too_large: 413,
  /** The user's vault files would exceed SEALPOST_USER_QUOTA_MB. */
  quota_exceeded: 413,
  /** Too many attempts or requests; Retry-After says when to try again. */
  rate_limited: 429,
  internal: 500,
} as const
export type ErrorCode = keyof typeof errorCodes

/** Argon2id cost for link passphrases (hash-wasm): 64 MiB, 3 passes, 1 lane. */
export const Argon2Params = z.object({
  memoryKiB: z
    .number()
    .int()
    .min(8 * 1024)
    .max(1024 * 1024),
  iterations: z.number().int().min(1).max(10),
  parallelism: z.number().int().min(1).max(4),
})
export type Argon2Params = z.infer<typeof Argon2Params>

/**
 * What a link's passphrase is stretched with (Argon2id): a 16-byte salt and the parameters the
 * link was made with. Here rather than in links.ts because an error body carries it.
 */
export const LinkPassphraseParams = z.object({ salt: Base64Url, params: Argon2Params })
export type LinkPassphraseParams = z.infer<typeof LinkPassphraseParams>

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** Only with `wrong_passphrase`: wrong passphrases left before the link is destroyed. */
    triesLeft: z.number().int().min(0).optional(),
    /** Only with `passphrase_needed`: how to derive the link's passphrase proof. */
    passphrase: LinkPassphraseParams.optional(),
  }),
})
export type ErrorBody = z.infer<typeof ErrorBody>

/** Header a browser cannot send cross-site without a CORS preflight (DESIGN.md §5). */
export const CSRF_HEADER = 'x-sealpost-csrf'

/**
 * Header carrying the access proof on a visitor's chunk upload to a request (the body is the
 * chunk). Here rather than in requests.ts so the API client sends it without loading that
 * contract's schemas (issue 15).
 */
export const ACCESS_PROOF_HEADER = 'x-sealpost-access-proof'
