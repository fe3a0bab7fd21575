import { z } from 'zod'
import { AccountKeys, OpaqueMessage, SealedEnvelope, Username } from './auth.js'
import { Base64Url, Timestamp } from './common.js'

/*
 * Account lifecycle (DESIGN.md §3): change password, sessions, recovery code, two-factor and
 * administrator-assisted recovery. The server only ever sees OPAQUE messages, verifiers and
 * sealed blobs; passwords, codes, secrets and unwrapped keys stay on the client.
 */

/**
 * Change password, step 1: an OPAQUE login with the current password and an OPAQUE
 * registration of the new one, in one round trip.
 */
export const ChangePasswordStartRequest = z.object({
  startLoginRequest: OpaqueMessage,
  registrationRequest: OpaqueMessage,
})
export const ChangePasswordStartResponse = z.object({
  loginId: z.uuid(),
  loginResponse: OpaqueMessage,
  registrationResponse: OpaqueMessage,
})

/**
 * Change password, step 2: proves the current password (`finishLoginRequest`) and hands over
 * the new OPAQUE record with the same account key wrapped under the new export key.
 */
export const ChangePasswordFinishRequest = z.object({
  loginId: z.uuid(),
  finishLoginRequest: OpaqueMessage,
  registrationRecord: OpaqueMessage,
  wrappedAccountKey: SealedEnvelope,
})
export type ChangePasswordFinishRequest = z.infer<typeof ChangePasswordFinishRequest>

/** One sign-in of the user, as the profile and `sealpost sessions` list it. */
export const SessionInfo = z.object({
  /** Not the cookie or its hash: a separate id, good only for ending the session. */
  id: z.uuid(),
  /** "Chrome on Linux", "CLI", or "Unknown device", from the User-Agent at sign-in. */
  device: z.string(),
  isCli: z.boolean(),
  /** The client's address at sign-in, when known. */
  address: z.string().nullable(),
  createdAt: Timestamp,
  lastSeenAt: Timestamp,
  /** The session this request came from. */
  isCurrent: z.boolean(),
})
export type SessionInfo = z.infer<typeof SessionInfo>
export const SessionList = z.object({ sessions: z.array(SessionInfo) })
export const SessionIdParams = z.object({ id: z.uuid() })
export const EndedSessions = z.object({ ended: z.number().int().min(0) })

/** 32 bytes, base64url: an access proof or the SHA-256 verifier of one. */
const Proof32 = Base64Url.refine((text) => text.length === 43, 'must be 32 bytes, base64url')

/**
 * Proof of the current password for a sensitive change (an OPAQUE login started with
 * `POST /api/account/reauth/start`), so a stolen session alone cannot make it.
 */
export const PasswordProof = z.object({ loginId: z.uuid(), finishLoginRequest: OpaqueMessage })
export type PasswordProof = z.infer<typeof PasswordProof>
export const ReauthStartRequest = z.object({ startLoginRequest: OpaqueMessage })
export const ReauthStartResponse = z.object({ loginId: z.uuid(), loginResponse: OpaqueMessage })

/** Whether the user has a recovery code, and since when. */
export const RecoveryCodeStatus = z.object({ createdAt: Timestamp.nullable() })
export type RecoveryCodeStatus = z.infer<typeof RecoveryCodeStatus>

/**
 * A new recovery code replaces the old one: the SHA-256 of its access proof and the account
 * key wrapped under it. Needs `proof` unless the session signed in minutes ago.
 */
export const PutRecoveryCodeRequest = z.object({
  verifier: Proof32,
  wrappedAccountKey: SealedEnvelope,
  proof: PasswordProof.optional(),
})

/** Forgot password, step 1: the code's access proof fetches the account key's recovery wrap. */
export const RecoverStartRequest = z.object({
  username: Username,
  proof: Proof32,
  registrationRequest: OpaqueMessage,
})
export const RecoverStartResponse = z.object({
  wrappedAccountKey: SealedEnvelope,
  keys: AccountKeys,
  registrationResponse: OpaqueMessage,
})
/** Forgot password, step 2: the new password's record and wrap; the code is spent. */
export const RecoverFinishRequest = z.object({
  username: Username,
  proof: Proof32,
  registrationRecord: OpaqueMessage,
  wrappedAccountKey: SealedEnvelope,
})
