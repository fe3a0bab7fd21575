import { z } from 'zod'
import { UserStatus } from './auth.js'
import { Id } from './common.js'
import { MESSAGE_RECIPIENTS_MAX } from './messages.js'
import { PolicySettings } from './policies.js'

/**
 * Groups (issue 13): named sets of users that administrators manage. A group's policy values
 * sit between the organisation's and a user's own (see `resolvePolicy`). Every member of the
 * organisation sees the groups and their active members: sending to a group seals to each.
 */

/** Most users one request may add to or remove from a group. */
export const GROUP_MEMBERS_PER_CHANGE = 1000

/**
 * "Ops", "Contractors EU": letters, digits, spaces, dots, dashes and underscores, starting
 * with a letter or digit. No comma or colon, so `--to group:ops,carol` reads one way. Unique
 * whatever the case.
 */
export const GroupName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u,
    'letters, digits, spaces, dots, dashes and underscores, starting with a letter or digit',
  )

/** What makes two group names the same: their case-folded form. */
export const groupNameKey = (name: string) => name.trim().normalize('NFC').toLowerCase()

export const GroupIdParams = z.object({ id: Id })

export const GroupSummary = z.object({
  id: Id,
  name: z.string(),
  /** Active members: those a message to the group reaches. */
  memberCount: z.number().int().min(0),
})
export type GroupSummary = z.infer<typeof GroupSummary>

export const GroupList = z.object({ groups: z.array(GroupSummary) })
export type GroupList = z.infer<typeof GroupList>

export const GroupMember = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  status: UserStatus,
})
export type GroupMember = z.infer<typeof GroupMember>

/** A group with its members by username; members of the organisation see the active ones. */
export const GroupDetail = z.object({
  id: Id,
  name: z.string(),
  members: z.array(GroupMember),
})
export type GroupDetail = z.infer<typeof GroupDetail>

export const CreateGroupRequest = z.strictObject({ name: GroupName })
export type CreateGroupRequest = z.infer<typeof CreateGroupRequest>

export const RenameGroupRequest = z.strictObject({ name: GroupName })
export type RenameGroupRequest = z.infer<typeof RenameGroupRequest>

const MemberIds = z.array(Id).max(GROUP_MEMBERS_PER_CHANGE)

/** Users to add and to remove, by id; adding a member twice or removing a non-member is fine. */
export const GroupMembersUpdate = z
  .strictObject({ add: MemberIds.default([]), remove: MemberIds.default([]) })
  .refine((update) => update.add.length + update.remove.length > 0, 'add or remove someone')
export type GroupMembersUpdate = z.input<typeof GroupMembersUpdate>

/**
 * A group a message was sent to, as the sender's client expanded it: sealed in the message's
 * header (the server never learns it), shown as "To: Ops (5)".
 */
export const SentToGroup = z.object({
  name: z.string().min(1).max(64),
  /** Active members the message was sealed to. */
  count: z.number().int().min(1).max(MESSAGE_RECIPIENTS_MAX),
})
export type SentToGroup = z.infer<typeof SentToGroup>

export const GroupPolicyResponse = z.object({
  groupId: Id,
  /** The values set for the group; its members get them unless they have their own. */
  settings: PolicySettings,
})
export type GroupPolicyResponse = z.infer<typeof GroupPolicyResponse>
