import {
  ApiError,
  type GroupDetail,
  GroupName,
  groupNameKey,
  type GroupSummary,
} from '@sealpost/core'
import type { Command } from 'commander'
import { type Context, requireSession, withContext } from '../context.js'
import { formatTable, printResult, UsageError } from '../output.js'

/** The group called `name`, whatever its case; not_found names it. */
export async function findGroupNamed(context: Context, name: string): Promise<GroupSummary> {
  const { groups } = await context.api.listGroups()
  const group = groups.find((candidate) => groupNameKey(candidate.name) === groupNameKey(name))
  if (!group) throw new ApiError(404, 'not_found', `no group named ${name.trim()}`)
  return group
}

/** A name the server would accept, checked before anything is sent. */
function groupName(text: string): string {
  const parsed = GroupName.safeParse(text)
  if (!parsed.success) {
    throw new UsageError(
      `group name: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      'invalid_input',
    )
  }
  return parsed.data
}

/** The ids of `usernames`, in one listing; an unknown one is not_found naming it. */
async function userIdsNamed(context: Context, usernames: string[]): Promise<string[]> {
  const { users } = await context.api.listUsers()
  return usernames.map((username) => {
    const wanted = username.trim().toLowerCase()
    const user = users.find((candidate) => candidate.username === wanted)
    if (!user) throw new ApiError(404, 'not_found', `no user named ${wanted}`)
    return user.id
  })
}

function groupsTable(groups: GroupSummary[]): string {
  if (groups.length === 0) return 'No groups.'
  return formatTable(groups, [
    { header: 'name', value: (group) => group.name },
    { header: 'members', value: (group) => String(group.memberCount) },
  ])
}

function groupTable(group: GroupDetail): string {
  if (group.members.length === 0) return `${group.name}: no members.`
  return `${group.name}\n${formatTable(group.members, [
    { header: 'username', value: (member) => member.username },
    { header: 'name', value: (member) => member.displayName },
    { header: 'status', value: (member) => member.status },
  ])}`
}

/** `admin groups …`: named sets of users for sending and for policies, administrators only. */
export function registerAdminGroupCommands(program: Command): void {
  const admin = program.commands.find((c) => c.name() === 'admin')
  if (!admin) throw new Error('register the admin commands first')
  const groups = admin
    .command('groups')
    .description('groups of users: send to one with --to group:NAME, set policies with --group')

  /** Runs `change` on the group called `name` and prints the group as it is afterwards. */
  const onGroup =
    (change: (context: Context, group: GroupSummary) => Promise<GroupDetail>) =>
    (name: string, command: Command) =>
      withContext(command, async (context) => {
        requireSession(context)
        const after = await change(context, await findGroupNamed(context, name))
        printResult(context.json, after, groupTable(after))
      })

  groups
    .command('create')
    .description('create a group')
    .argument('<name>', 'its name: letters, digits, spaces, dots, dashes, underscores')
    .action((name: string, _options: object, command: Command) =>
      withContext(command, async (context) => {
        const checked = groupName(name)
        requireSession(context)
        const group = await context.api.createGroup({ name: checked })
        printResult(context.json, group, `Created the group ${group.name}.`)
      }),
    )

  groups
    .command('rename')
    .description('rename a group')
    .argument('<name>', 'the group')
    .argument('<new-name>', 'its new name')
    .action((name: string, newName: string, _options: object, command: Command) =>
      withContext(command, async (context) => {
        const checked = groupName(newName)
        requireSession(context)
        const group = await findGroupNamed(context, name)
        const renamed = await context.api.renameGroup(group.id, { name: checked })
        printResult(context.json, renamed, `Renamed ${group.name} to ${renamed.name}.`)
      }),
    )

  groups
    .command('delete')
    .description('delete a group, its memberships and its policy values')
    .argument('<name>', 'the group')
    .action((name: string, _options: object, command: Command) =>
      withContext(command, async (context) => {
        requireSession(context)
        const group = await findGroupNamed(context, name)
        await context.api.deleteGroup(group.id)
        printResult(context.json, { deleted: group.id }, `Deleted the group ${group.name}.`)
      }),
    )

  groups
    .command('add')
    .description('add users to a group')
    .argument('<name>', 'the group')
    .argument('<usernames...>', 'one or more users')
    .action((name: string, usernames: string[], _options: object, command: Command) =>
      onGroup(async (context, group) =>
        context.api.changeGroupMembers(group.id, { add: await userIdsNamed(context, usernames) }),
      )(name, command),
    )

  groups
    .command('remove')
    .description('remove users from a group')
    .argument('<name>', 'the group')
    .argument('<usernames...>', 'one or more users')
    .action((name: string, usernames: string[], _options: object, command: Command) =>
      onGroup(async (context, group) =>
        context.api.changeGroupMembers(group.id, {
          remove: await userIdsNamed(context, usernames),
        }),
      )(name, command),
    )

  groups
    .command('ls')
    .description('every group with its number of active members')
    .action((_options: object, command: Command) =>
      withContext(command, async (context) => {
        requireSession(context)
        const list = await context.api.listGroups()
        printResult(context.json, list, groupsTable(list.groups))
      }),
    )

  groups
    .command('show')
    .description('a group’s members, invited and disabled ones included')
    .argument('<name>', 'the group')
    .action((name: string, _options: object, command: Command) =>
      onGroup((context, group) => context.api.adminGroup(group.id))(name, command),
    )
}
