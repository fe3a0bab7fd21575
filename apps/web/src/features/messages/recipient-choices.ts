import type { DirectoryUser, GroupSummary } from '@sealpost/core'

/** What "To" holds: people by user id, and groups by group id (expanded when sending). */
export type RecipientPicks = { userIds: string[]; groupIds: string[] }

/** One chip or one option: a group or a person, keyed apart so a group id never meets a user's. */
export type Recipient =
  | { kind: 'group'; id: string; group: GroupSummary }
  | { kind: 'user'; id: string; user: DirectoryUser }

const GROUP_KEY = 'group:'

const groupChoice = (group: GroupSummary): Recipient => ({
  kind: 'group',
  id: `${GROUP_KEY}${group.id}`,
  group,
})
const userChoice = (user: DirectoryUser): Recipient => ({ kind: 'user', id: user.id, user })

/**
 * The chips (groups first, then people, each as picked) and the options still offered that
 * match the typed text, groups first; `add` and `remove` take a chip's or an option's key.
 * A group with no one to reach is offered too (as "0 people"): sending to it says why not.
 */
export function recipientChoices({
  users,
  groups,
  picks,
  matches,
}: {
  users: readonly DirectoryUser[]
  groups: readonly GroupSummary[]
  picks: RecipientPicks
  matches: (text: string) => boolean
}) {
  const selected = [
    ...picks.groupIds.flatMap((id) => groups.filter((group) => group.id === id).map(groupChoice)),
    ...picks.userIds.flatMap((id) => users.filter((user) => user.id === id).map(userChoice)),
  ]
  const available = [
    ...groups
      .filter((group) => !picks.groupIds.includes(group.id) && matches(group.name))
      .map(groupChoice),
    ...users
      .filter(
        (user) =>
          !picks.userIds.includes(user.id) && (matches(user.displayName) || matches(user.username)),
      )
      .map(userChoice),
  ]

  function add(key: string): RecipientPicks {
    if (key.startsWith(GROUP_KEY)) {
      const id = key.slice(GROUP_KEY.length)
      return picks.groupIds.includes(id) ? picks : { ...picks, groupIds: [...picks.groupIds, id] }
    }
    return picks.userIds.includes(key) ? picks : { ...picks, userIds: [...picks.userIds, key] }
  }

  function remove(keys: readonly string[]): RecipientPicks {
    const gone = new Set(keys)
    return {
      userIds: picks.userIds.filter((id) => !gone.has(id)),
      groupIds: picks.groupIds.filter((id) => !gone.has(`${GROUP_KEY}${id}`)),
    }
  }

  return { selected, available, add, remove }
}
