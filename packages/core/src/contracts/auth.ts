import { z } from 'zod'
import { Base64Url, Id, SealedEnvelope } from './common.js'

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9._-]{1,31}$/,
    'use 2–32 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit',
  )
/**
 * Control, bidirectional-override and line-separator characters: in a display name they could
 * forge lines or reorder text where the name is shown (emails, subjects, lists).
 */
export const UNSAFE_NAME_CHARACTERS =
  /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/u
export const DisplayName = z
  .string()
  .trim()
  .min(1, 'required')
  .max(100)
  .refine((name) => !UNSAFE_NAME_CHARACTERS.test(name), 'must not contain control characters')
export const Email = z.email().max(254)
export const Role = z.enum(['admin', 'member'])
export type Role = z.infer<typeof Role>
export const UserStatus = z.enum(['invited', 'active', 'disabled'])
export type UserStatus = z.infer<typeof UserStatus>

/** An OPAQUE protocol message as produced by @serenity-kit/opaque (base64url). */
export const OpaqueMessage = z.string().min(1).max(4096)

/** What the server keeps of a user's keys: public keys and blobs only the user can unwrap. */
export const AccountKeys = z.object({
  x25519PublicKey: Base64Url,
  ed25519PublicKey: Base64Url,
  wrappedAccountKey: SealedEnvelope,
  wrappedX25519PrivateKey: SealedEnvelope,
  wrappedEd25519PrivateKey: SealedEnvelope,
  wrappedUserVaultKey: SealedEnvelope,
})
export type AccountKeys = z.infer<typeof AccountKeys>

export const Me = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  email: z.string(),
  role: Role,
  canSendMessages: z.boolean(),
  canSendAttachments: z.boolean(),
  canCreateLinks: z.boolean(),
  /** Send by email (the canSendEmail policy), apart from creating links. */
  canSendEmail: z.boolean(),
  canRequestSecrets: z.boolean(),
})
export type Me = z.infer<typeof Me>

export const SessionResponse = z.object({
  user: Me,
  csrfToken: z.string(),
  keys: AccountKeys,
  /** The organisation requires two-factor and this user has none: set it up first. */
  mustSetUpTwoFactor: z.boolean().optional(),
  /**
   * The server's public URL (SEALPOST_PUBLIC_URL), which emails link to; `isSet` is false when
   * it is the default, and then links use the address the browser shows.
   */
  publicUrl: z.object({ url: z.string(), isSet: z.boolean() }),
})
export type SessionResponse = z.infer<typeof SessionResponse>

export const SetupStatus = z.object({ needsSetup: z.boolean() })
export type SetupStatus = z.infer<typeof SetupStatus>

export const RegistrationStartRequest = z.object({
  username: Username,
  registrationRequest: OpaqueMessage,
})
export const RegistrationStartResponse = z.object({ registrationResponse: OpaqueMessage })

export const SetupFinishRequest = z.object({
  username: Username,
  displayName: DisplayName,
  email: Email,
  registrationRecord: OpaqueMessage,
  keys: AccountKeys,
})
export type SetupFinishRequest = z.infer<typeof SetupFinishRequest>

export const LoginStartRequest = z.object({
  username: Username,
  startLoginRequest: OpaqueMessage,
})
export const LoginStartResponse = z.object({
  loginId: Id,
  loginResponse: OpaqueMessage,
})
export const LoginFinishRequest = z.object({
  loginId: Id,
  finishLoginRequest: OpaqueMessage,
})
