import {
  ApiError,
  DisplayName,
  Email,
  Username,
  type UpdateUserRequest,
  type User,
} from '@sealpost/core'
import { Option, type Command } from 'commander'
import { type Context, requireSession, withContext } from '../context.js'
import { formatTable, printResult, UsageError, type Column } from '../output.js'
import { parseOption } from '../validate.js'

type InviteOptions = { username: string; email: string; displayName?: string }
type SetOptions = {
  role?: 'admin' | 'member'
  allowSend?: boolean
  allowAttachments?: boolean
  allowLinks?: boolean
  allowRequests?: boolean
  disable?: boolean
  enable?: boolean
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no')

const userColumns: Column<User>[] = [
  { header: 'username', value: (user) => user.username },
  { header: 'name', value: (user) => user.displayName },
  { header: 'email', value: (user) => user.email },
  { header: 'role', value: (user) => user.role },
  { header: 'status', value: (user) => user.status },
  { header: 'send', value: (user) => yesNo(user.canSendMessages) },
  { header: 'attachments', value: (user) => yesNo(user.canSendAttachments) },
  { header: 'links', value: (user) => yesNo(user.canCreateLinks) },
  { header: 'requests', value: (user) => yesNo(user.canRequestSecrets) },
]

/** `admin users list|invite|set`: user administration, administrators only. */
export function registerAdminUserCommands(program: Command): void {
  const users = program
    .command('admin')
    .description('administration (administrators only)')
    .command('users')
    .description('list, invite and change users')

  users
    .command('list')
    .description('list every user')
    .action((_options: unknown, command: Command) =>
      withContext(command, async (context) => {
        requireSession(context)
        const list = await context.api.listUsers()
        printResult(context.json, list, formatTable(list.users, userColumns))
      }),
    )

  users
    .command('invite')
    .description('invite a user; prints the one-time invite link to give them')
    .requiredOption('--username <username>', 'their username')
    .requiredOption('--email <email>', 'their email address')
    .option('--display-name <name>', 'the name others see (they may change it when accepting)')
    .action((options: InviteOptions, command: Command) =>
      withContext(command, async (context) => {
        const request = {
          username: parseOption(Username, options.username, '--username'),
          email: parseOption(Email, options.email, '--email'),
          displayName:
            options.displayName === undefined
              ? undefined
              : parseOption(DisplayName, options.displayName, '--display-name'),
        }
        requireSession(context)
        const invite = await context.api.inviteUser(request)
        printResult(context.json, invite, invite.inviteUrl)
      }),
    )

  users
    .command('set')
    .description('change a user’s role, permissions or status')
    .argument('<username>', 'the user to change')
    .addOption(
      new Option('--role <role>', 'make them an admin or a member').choices(['admin', 'member']),
    )
    .option('--allow-send', 'allow sending messages')
    .option('--no-allow-send', 'forbid sending messages')
    .option('--allow-attachments', 'allow sending attachments')
    .option('--no-allow-attachments', 'forbid sending attachments')
    .option('--allow-links', 'allow creating shareable links (and sending them by email)')
    .option('--no-allow-links', 'forbid creating shareable links')
    .option('--allow-requests', 'allow requesting secrets from people outside (and emailing them)')
    .option('--no-allow-requests', 'forbid requesting secrets')
    .addOption(
      new Option('--disable', 'disable the account; its sessions end at once').conflicts('enable'),
    )
    .addOption(new Option('--enable', 'enable a disabled account'))
    .action((username: string, options: SetOptions, command: Command) =>
      withContext(command, async (context) => {
        const change = changeFrom(options)
        requireSession(context)
        const user = await findUserNamed(context, username)
        const updated = await context.api.updateUser(user.id, change)
        printResult(context.json, updated, formatTable([updated.user], userColumns))
      }),
    )

  users
    .command('end-sessions')
    .description('sign a user out everywhere: every session of theirs ends at once')
    .argument('<username>', 'the user')
    .action((username: string, _options: unknown, command: Command) =>
      withContext(command, async (context) => {
        requireSession(context)
        const user = await findUserNamed(context, username)
        const result = await context.api.endUserSessions(user.id)
        printResult(context.json, result, `Ended ${result.ended} session(s) of ${user.username}.`)
      }),
    )
}

/** The user named `username`, or the 404 the server would give. */
async function findUserNamed(context: Context, username: string): Promise<User> {
  const wanted = username.trim().toLowerCase()
  const { users: all } = await context.api.listUsers()
  const user = all.find((candidate) => candidate.username === wanted)
  if (!user) throw new ApiError(404, 'not_found', `no user named ${wanted}`)
  return user
}

function changeFrom(options: SetOptions): UpdateUserRequest {
  const change: UpdateUserRequest = {}
  if (options.role !== undefined) change.role = options.role
  if (options.allowSend !== undefined) change.canSendMessages = options.allowSend
  if (options.allowAttachments !== undefined) change.canSendAttachments = options.allowAttachments
  if (options.allowLinks !== undefined) change.canCreateLinks = options.allowLinks
  if (options.allowRequests !== undefined) change.canRequestSecrets = options.allowRequests
  if (options.disable) change.status = 'disabled'
  if (options.enable) change.status = 'active'
  if (Object.keys(change).length === 0) {
    throw new UsageError(
      'nothing to change: give --role, --allow-send/--no-allow-send, ' +
        '--allow-attachments/--no-allow-attachments, --allow-links/--no-allow-links, ' +
        '--allow-requests/--no-allow-requests, --disable or --enable',
    )
  }
  return change
}
