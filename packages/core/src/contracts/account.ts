import { z } from 'zod'
import { AccountKeys, OpaqueMessage, SessionResponse, Username } from './auth.js'
import { Base64Url, SealedEnvelope, Timestamp } from './common.js'

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

/**
 * Whether new messages are announced by email while the member has no app open (S29): only
 * the sender's name and the expiry, never the content. Until the member chooses, it follows
 * the organisation's `defaultNotifyByEmail`.
 */
export const NotificationSettings = z.object({ notifyByEmail: z.boolean() })
export type NotificationSettings = z.infer<typeof NotificationSettings>

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

export const TwoFactorMethod = z.enum(['totp', 'backup_code', 'webauthn'])
export type TwoFactorMethod = z.infer<typeof TwoFactorMethod>

/**
 * The password was right and the account has a second factor: no session exists yet. The
 * token (single use, minutes long) carries the sign-in to `POST /api/auth/login/second-factor`.
 */
export const SecondFactorRequired = z.object({
  secondFactor: z.object({
    token: z.string().min(1).max(100),
    methods: z.array(TwoFactorMethod),
    /** WebAuthn request options (PublicKeyCredentialRequestOptionsJSON) when a key is set up. */
    webauthn: z.record(z.string(), z.unknown()).nullable(),
  }),
})
export type SecondFactorRequired = z.infer<typeof SecondFactorRequired>
export const LoginFinishResponse = z.union([SessionResponse, SecondFactorRequired])

/** One second factor: a 6-digit TOTP code, a backup code, or a WebAuthn assertion. */
export const SecondFactorRequest = z
  .object({
    token: z.string().min(1).max(100),
    totp: z
      .string()
      .regex(/^\d{6}$/, 'a code has 6 digits')
      .optional(),
    backupCode: z.string().min(1).max(40).optional(),
    webauthn: z.record(z.string(), z.unknown()).optional(),
  })
  .refine(
    (body) =>
      [body.totp, body.backupCode, body.webauthn].filter((v) => v !== undefined).length === 1,
    'give exactly one of totp, backupCode, webauthn',
  )

export const TwoFactorStatus = z.object({
  totp: z.boolean(),
  backupCodesLeft: z.number().int().min(0),
  webauthn: z.array(z.object({ id: z.string(), name: z.string(), createdAt: Timestamp })),
  /** The organisation requires a second factor of everyone. */
  required: z.boolean(),
})
export type TwoFactorStatus = z.infer<typeof TwoFactorStatus>

/** Starting TOTP needs a sign-in minutes old or a proof of the password. */
export const FreshProofRequest = z.object({ proof: PasswordProof.optional() })
/** A new TOTP secret (base32) and its otpauth:// URI for an authenticator app. */
export const TotpSetup = z.object({ secret: z.string(), uri: z.string() })
export const TotpConfirmRequest = z.object({
  code: z.string().regex(/^\d{6}$/, 'a code has 6 digits'),
})
/** Ten one-time backup codes, shown once. */
export const BackupCodes = z.object({ backupCodes: z.array(z.string()) })
export const TwoFactorOffRequest = z.object({ proof: PasswordProof })
export const TwoFactorPolicy = z.object({ required: z.boolean() })

/** WebAuthn registration options (PublicKeyCredentialCreationOptionsJSON). */
export const WebauthnRegistrationOptions = z.object({ options: z.record(z.string(), z.unknown()) })
export const WebauthnRegisterRequest = z.object({
  response: z.record(z.string(), z.unknown()),
  name: z.string().trim().min(1).max(64),
})

/** HPKE (RFC 9180) ciphertext to an X25519 key: `{ v: 1, enc, ct }`; the AAD is rebuilt. */
export const RecoveryBox = z.object({ v: z.literal(1), enc: Base64Url, ct: Base64Url })
export type RecoveryBox = z.infer<typeof RecoveryBox>

/** An Ed25519 signature (64 bytes), base64url. */
const Signature = Base64Url.refine((text) => text.length === 86, 'must be 64 bytes, base64url')

/**
 * Turning account recovery on: the organisation's public key, the enabling administrator's
 * Ed25519 signature over it (`recoveryKeyStatement`) and its private key sealed per admin.
 */
export const EnableRecoveryRequest = z.object({
  keyId: z.uuid(),
  publicKey: Base64Url,
  signature: Signature,
  shares: z.array(z.object({ userId: z.uuid(), box: RecoveryBox })).min(1),
})
/**
 * The organisation recovery public key (X25519) and who vouches for it: clients escrow to it
 * only when `signature` verifies with the signer's directory key. Both are null for a key
 * made before keys were signed, which clients refuse.
 */
export const RecoveryKey = z.object({
  keyId: z.uuid(),
  publicKey: Base64Url,
  signerId: z.uuid().nullable(),
  signature: Base64Url.nullable(),
})
export type RecoveryKey = z.infer<typeof RecoveryKey>
export const RecoveryPolicy = z.object({
  /** Null while account recovery is off (the default). */
  key: RecoveryKey.nullable(),
  /** Whether the signed-in user's account key is escrowed under the current key. */
  enrolled: z.boolean(),
})
export type RecoveryPolicy = z.infer<typeof RecoveryPolicy>
export const RecoveryOverview = z.object({
  key: RecoveryKey.nullable(),
  enrolledUserIds: z.array(z.uuid()),
})
export const RecoveryShare = z.object({ keyId: z.uuid(), box: RecoveryBox })
export const PutEscrowRequest = z.object({ keyId: z.uuid(), box: RecoveryBox })
export const Escrow = z.object({ keyId: z.uuid(), box: RecoveryBox })
export const PutShareRequest = z.object({ box: RecoveryBox })

/** A reset link is `/reset#<secret>`: 32 bytes, base64url. */
export const ResetSecret = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a reset link')
/** What the administrator's client stores for a reset: lookup id, proof's SHA-256, sealed key. */
export const CreateResetRequest = z.object({
  resetId: Proof32,
  verifier: Proof32,
  wrappedAccountKey: SealedEnvelope,
})
export const CreateResetResponse = z.object({ expiresAt: Timestamp })
export const ResetStartRequest = z.object({
  resetId: Proof32,
  proof: Proof32,
  registrationRequest: OpaqueMessage,
})
export const ResetStartResponse = z.object({
  userId: z.uuid(),
  username: z.string(),
  keys: AccountKeys,
  wrappedAccountKey: SealedEnvelope,
  registrationResponse: OpaqueMessage,
})
export const ResetFinishRequest = z.object({
  resetId: Proof32,
  proof: Proof32,
  registrationRecord: OpaqueMessage,
  wrappedAccountKey: SealedEnvelope,
})
