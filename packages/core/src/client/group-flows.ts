import { type SentToGroup } from '../contracts/groups.js'
import { MESSAGE_RECIPIENTS_MAX } from '../contracts/messages.js'
import type { DirectoryUser } from '../contracts/users.js'
import type { ApiClient } from './api-client.js'

/**
 * A group that cannot be sent to as it is now; `code`, `group` (its name) and `memberCount`
 * (the people it would reach) for a CLI's or UI's own words.
 */
export class GroupSendError extends Error {
  readonly code: 'group_too_large' | 'group_empty'
  readonly group: string
  readonly memberCount: number

  constructor(
    code: GroupSendError['code'],
    message: string,
    group: { name: string; memberCount: number },
  ) {
    super(message)
    this.name = 'GroupSendError'
    this.code = code
    this.group = group.name
    this.memberCount = group.memberCount
  }
}

/**
 * Whom a message to these groups is sealed to: each group's active members at this moment, with
 * their keys from the directory, the sender left out (they keep their own copy anyway) and each
 * person once. Later changes to a group change nothing already sent. `groups` says what to show
 * ("To: Ops (5)"); it is sealed in the message, so the server never learns it.
 */
export async function expandGroups(
  api: ApiClient,
  groupIds: string[],
  senderId: string,
): Promise<{ recipients: DirectoryUser[]; groups: SentToGroup[] }> {
  const [{ users }, details] = await Promise.all([
    api.directory(),
    Promise.all([...new Set(groupIds)].map((id) => api.group(id))),
  ])
  const withKeys = new Map(users.map((user) => [user.id, user]))
  const recipients = new Map<string, DirectoryUser>()
  const groups: SentToGroup[] = []
  for (const group of details) {
    const members = group.members.flatMap((member) =>
      member.id === senderId ? [] : (withKeys.get(member.id) ?? []),
    )
    if (members.length > MESSAGE_RECIPIENTS_MAX) {
      throw new GroupSendError(
        'group_too_large',
        `the group ${group.name} has ${members.length} members; a message can go to at most ` +
          `${MESSAGE_RECIPIENTS_MAX} people`,
        { name: group.name, memberCount: members.length },
      )
    }
    if (members.length === 0) {
      throw new GroupSendError(
        'group_empty',
        `the group ${group.name} has no one else to send to`,
        {
          name: group.name,
          memberCount: 0,
        },
      )
    }
    for (const member of members) recipients.set(member.id, member)
    groups.push({ name: group.name, count: members.length })
  }
  return { recipients: [...recipients.values()], groups }
}
