import {
  ApiError,
  createResetLink,
  enableAccountRecovery,
  shareRecoveryKey,
  DisplayName,
  Email,
  Username,
  type UpdateUserRequest,
  type User,
} from '@sealpost/core'
import { Argument, Option, type Command } from 'commander'
import { type Context, requireSession, unlockAccountKeys, withContext } from '../context.js'
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
        if (change.role === 'admin') await shareRecoveryKeyWith(context, user.id)
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

  users
    .command('reset-password')
    .description(
      'reset an enrolled user’s forgotten password: prints a one-time link (24 hours) to give them',
    )
    .argument('<username>', 'the user')
    .action((username: string, _options: unknown, command: Command) =>
      withContext(command, async (context) => {
        requireSession(context)
        const user = await findUserNamed(context, username)
        const { me, account } = await unlockAccountKeys(context)
        const link = await createResetLink(context.api, {
          origin: context.server,
          me: { account, userId: me.id },
          userId: user.id,
        })
        printResult(context.json, link, link.url)
      }),
    )

  users
    .command('remove-2fa')
    .description('remove every second factor of a user who lost theirs (audited)')
    .argument('<username>', 'the user')
    .action((username: string, _options: unknown, command: Command) =>
      withContext(command, async (context) => {
        requireSession(context)
        const user = await findUserNamed(context, username)
        await context.api.removeUserTwoFactor(user.id)
        printResult(
          context.json,
          { removed: true },
          `Removed the second factors of ${user.username}.`,
        )
      }),
    )

  users
    .command('require-2fa')
    .description('require two-factor sign-in of everyone (on), or leave it to each user (off)')
    .addArgument(new Argument('<setting>', 'on or off').choices(['on', 'off']))
    .action((setting: 'on' | 'off', _options: unknown, command: Command) =>
      withContext(command, async (context) => {
        requireSession(context)
        const result = await context.api.setTwoFactorPolicy({ required: setting === 'on' })
        printResult(
          context.json,
          result,
          result.required
            ? 'Two-factor is required: users without it set it up at their next sign-in.'
            : 'Two-factor is up to each user.',
        )
      }),
    )
}

/**
 * While account recovery is on, a new administrator gets the recovery private key sealed to
 * them by this administrator's client (the server cannot do it: it never has the key).
 */
async function shareRecoveryKeyWith(context: Context, userId: string): Promise<void> {
  const { key } = await context.api.recoveryOverview()
  if (!key) return
  const { me, account } = await unlockAccountKeys(context)
  const person = (await context.api.directory()).users.find((u) => u.id === userId)
  if (!person) return
  await shareRecoveryKey(
    context.api,
    { account, userId: me.id },
    { userId, x25519PublicKey: person.x25519PublicKey },
  )
}

/** The user named `username`, or the 404 the server would give. */
export async function findUserNamed(context: Context, username: string): Promise<User> {
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

/** `admin recovery enable`: administrator-assisted account recovery (off by default). */
export function registerAdminRecoveryCommands(program: Command): void {
  const admin = program.commands.find((c) => c.name() === 'admin')
  if (!admin) throw new Error('register the admin commands first')
  admin
    .command('recovery')
    .description('administrator-assisted account recovery')
    .command('enable')
    .description(
      'turn account recovery on: users are enrolled at their next sign-in and can then be reset',
    )
    .action((_options: unknown, command: Command) =>
      withContext(command, async (context) => {
        const { account } = await unlockAccountKeys(context)
        const [{ users: all }, { users: directory }] = await Promise.all([
          context.api.listUsers(),
          context.api.directory(),
        ])
        const admins = all
          .filter((u) => u.role === 'admin' && u.status === 'active')
          .flatMap((u) => {
            const person = directory.find((d) => d.id === u.id)
            return person ? [{ userId: u.id, x25519PublicKey: person.x25519PublicKey }] : []
          })
        const keyId = await enableAccountRecovery(context.api, account, admins)
        printResult(
          context.json,
          { enabled: true, keyId },
          'Account recovery is on. Each user is enrolled at their next sign-in; administrators ' +
            'can then reset their password with `sealpost admin users reset-password USER`.',
        )
      }),
    )
}
