import { z } from 'zod'
import { OpaqueMessage, SealedEnvelope } from './auth.js'
import { Timestamp } from './common.js'

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
