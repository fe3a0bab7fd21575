import { z } from 'zod'
import { OpaqueMessage, SealedEnvelope } from './auth.js'

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
