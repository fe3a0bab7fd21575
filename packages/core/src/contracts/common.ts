import { z } from 'zod'

/** URL-safe base64 without padding (RFC 4648 §5). */
export const Base64Url = z
  .string()
  .regex(/^[A-Za-z0-9_-]*$/, 'must be base64url without padding')
  .brand<'Base64Url'>()
export type Base64Url = z.infer<typeof Base64Url>

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
  invalid_input: 400,
  invalid_invite: 400,
  not_signed_in: 401,
  invalid_credentials: 401,
  csrf_required: 403,
  forbidden: 403,
  admin_only: 403,
  sending_disabled: 403,
  attachments_disabled: 403,
  not_found: 404,
  not_available: 404,
  setup_done: 409,
  username_taken: 409,
  last_administrator: 409,
  message_exists: 409,
  mail_not_configured: 409,
  stale_revision: 409,
  payload_too_large: 413,
  quota_exceeded: 413,
  rate_limited: 429,
  internal: 500,
} as const
export type ErrorCode = keyof typeof errorCodes

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
  }),
})
export type ErrorBody = z.infer<typeof ErrorBody>

export const Empty = z.object({})

/** Header a browser cannot send cross-site without a CORS preflight (DESIGN.md §5). */
export const CSRF_HEADER = 'x-sealpost-csrf'
