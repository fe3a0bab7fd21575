import { z } from 'zod'
import { Base64Url, Id, Timestamp } from './common.js'
import {
  AccountKeys,
  DisplayName,
  Email,
  OpaqueMessage,
  Role,
  UserStatus,
  Username,
} from './auth.js'

export const User = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  email: z.string(),
  role: Role,
  status: UserStatus,
  canSendMessages: z.boolean(),
  canSendAttachments: z.boolean(),
  canCreateLinks: z.boolean(),
  /** Send by email (issue 13's canSendEmail), apart from creating links. */
  canSendEmail: z.boolean(),
  canRequestSecrets: z.boolean(),
  createdAt: Timestamp,
})
export type User = z.infer<typeof User>

export const UserList = z.object({ users: z.array(User) })

export const UserIdParams = z.object({ id: Id })

export const InviteRequest = z.object({
  username: Username,
  email: Email,
  displayName: DisplayName.optional(),
})
export type InviteRequest = z.infer<typeof InviteRequest>

export const InviteResponse = z.object({
  user: User,
  inviteUrl: z.url(),
  expiresAt: Timestamp,
})
export type InviteResponse = z.infer<typeof InviteResponse>

export const UpdateUserRequest = z
  .object({
    role: Role,
    canSendMessages: z.boolean(),
    canSendAttachments: z.boolean(),
    canCreateLinks: z.boolean(),
    canRequestSecrets: z.boolean(),
    status: z.enum(['active', 'disabled']),
  })
  .partial()
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>

export const UserResponse = z.object({ user: User })

/**
 * Organisation settings. The four `defaultCan…` values and `maxExpiryDays` are the
 * organisation's policy values for those keys (`PUT /api/admin/policy` sets the same): every
 * user without an override of their own follows them.
 */
export const OrgSettings = z.object({
  defaultCanSendMessages: z.boolean(),
  defaultCanSendAttachments: z.boolean(),
  defaultCanCreateLinks: z.boolean(),
  defaultCanRequestSecrets: z.boolean(),
  /** The organisation's maxExpiryDays policy (0: no maximum); see policies.ts. */
  maxExpiryDays: z.number().int().min(0).max(3650),
  /** Senders see when recipients opened, saved and replied to their messages. */
  receiptsEnabled: z.boolean(),
  /** Members who have not chosen are emailed about new messages while the app is closed. */
  defaultNotifyByEmail: z.boolean(),
})
export type OrgSettings = z.infer<typeof OrgSettings>
export const UpdateOrgSettings = OrgSettings.partial()
export type UpdateOrgSettings = z.infer<typeof UpdateOrgSettings>

/** The invite token travels in the URL fragment: /invite#<token>. */
export const InviteToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not an invite token')

export const InviteLookupRequest = z.object({ token: InviteToken })
export const InviteLookupResponse = z.object({
  username: z.string(),
  displayName: z.string(),
  email: z.string(),
  expiresAt: Timestamp,
})
export type InviteLookupResponse = z.infer<typeof InviteLookupResponse>

export const InviteRegisterStartRequest = z.object({
  token: InviteToken,
  registrationRequest: OpaqueMessage,
})
export const InviteRegisterFinishRequest = z.object({
  token: InviteToken,
  displayName: DisplayName.optional(),
  registrationRecord: OpaqueMessage,
  keys: AccountKeys,
})

/** An active user as every signed-in user may see them (the compose recipient list). */
export const DirectoryUser = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  x25519PublicKey: Base64Url,
  ed25519PublicKey: Base64Url,
})
export type DirectoryUser = z.infer<typeof DirectoryUser>
export const Directory = z.object({ users: z.array(DirectoryUser) })

export const Health = z.object({ status: z.literal('ok') })
