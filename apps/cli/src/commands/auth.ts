import {
  acceptInvite,
  ApiError,
  DisplayName,
  Email,
  InviteToken,
  inviteTokenFrom,
  setupAdministrator,
  signIn,
  Username,
  type Me,
} from '@sealpost/core'
import { type Command, Option } from 'commander'
import { requireSession, withContext } from '../context.js'
import { printResult, UsageError, warnIfNotEnrolled } from '../output.js'
import { readPasswordFromStdin, requirePasswordStdin } from '../password-stdin.js'
import { parseOption } from '../validate.js'

type SetupOptions = {
  username: string
  displayName: string
  email: string
  passwordStdin?: boolean
}
type LoginOptions = {
  username: string
  passwordStdin?: boolean
  totp?: string
  backupCode?: string
}
type AcceptInviteOptions = { displayName?: string; passwordStdin?: boolean }

/** "alice (Alice Doe) — admin" */
export function describeMe(me: Me): string {
  return `${me.username} (${me.displayName}) — ${me.role}`
}

/** setup, login, logout, whoami, accept-invite: who this CLI acts as. */
export function registerAuthCommands(program: Command): void {
  program
    .command('setup')
    .description('create the first administrator (only while the server has no users)')
    .requiredOption('--username <username>', 'the administrator’s username')
    .requiredOption('--display-name <name>', 'the name others see')
    .requiredOption('--email <email>', 'the administrator’s email address')
    .option('--password-stdin', 'read the password from stdin')
    .action((options: SetupOptions, command: Command) =>
      withContext(command, async (context) => {
        requirePasswordStdin(options.passwordStdin, 'setup')
        const input = {
          username: parseOption(Username, options.username, '--username'),
          displayName: parseOption(DisplayName, options.displayName, '--display-name'),
          email: parseOption(Email, options.email, '--email'),
          password: await readPasswordFromStdin(),
        }
        const { session, exportKey } = await setupAdministrator(context.api, input)
        await context.rememberSession(session.user.username, exportKey)
        printResult(
          context.json,
          session.user,
          `Created the administrator ${describeMe(session.user)}; you are signed in.`,
        )
      }),
    )

  program
    .command('login')
    .description('sign in; the session is kept under $SEALPOST_HOME')
    .requiredOption('--username <username>', 'your username')
    .option('--password-stdin', 'read the password from stdin')
    .addOption(new Option('--totp <code>', 'the 6-digit code from your authenticator app'))
    .addOption(
      new Option('--backup-code <code>', 'one of your one-time backup codes').conflicts('totp'),
    )
    .action((options: LoginOptions, command: Command) =>
      withContext(command, async (context) => {
        requirePasswordStdin(options.passwordStdin, 'login')
        const username = options.username.trim().toLowerCase()
        const password = await readPasswordFromStdin()
        const answer =
          options.totp !== undefined
            ? { totp: options.totp.trim() }
            : options.backupCode !== undefined
              ? { backupCode: options.backupCode }
              : undefined
        const signedIn = await signIn(context.api, {
          username,
          password,
          secondFactor: async ({ error }) => {
            if (error) throw error
            if (!answer) {
              throw new UsageError(
                'this account has two-factor sign-in: add --totp CODE (or --backup-code CODE)',
                'second_factor_required',
              )
            }
            return answer
          },
        })
        warnIfNotEnrolled(signedIn)
        const { session, exportKey } = signedIn
        await context.rememberSession(session.user.username, exportKey)
        printResult(context.json, session.user, `Signed in as ${describeMe(session.user)}.`)
      }),
    )

  program
    .command('logout')
    .description('end the session on the server and forget it here')
    .action((_options: unknown, command: Command) =>
      withContext(command, async (context) => {
        if (!context.session) {
          printResult(context.json, { signedOut: true }, 'Not signed in.')
          return
        }
        try {
          await context.api.logout()
        } catch (error) {
          // A session the server already ended is as good as a successful logout.
          if (!(error instanceof ApiError && error.code === 'not_signed_in')) {
            await context.forgetSession()
            throw error
          }
        }
        await context.forgetSession()
        printResult(context.json, { signedOut: true }, 'Signed out.')
      }),
    )

  program
    .command('whoami')
    .description('show the signed-in user')
    .action((_options: unknown, command: Command) =>
      withContext(command, async (context) => {
        requireSession(context)
        const { user } = await context.api.getSession()
        printResult(context.json, user, describeMe(user))
      }),
    )

  program
    .command('accept-invite')
    .description('accept an invite: choose your password and create your keys on this device')
    .argument('<url>', 'the invite link an administrator gave you')
    .option('--display-name <name>', 'the name others see (default: the one in the invite)')
    .option('--password-stdin', 'read the new password from stdin')
    .action((url: string, options: AcceptInviteOptions, command: Command) =>
      withContext(
        command,
        async (context) => {
          requirePasswordStdin(options.passwordStdin, 'accept-invite')
          const token = inviteTokenFrom(url.trim())
          if (!InviteToken.safeParse(token).success) {
            // Never echo the link: it is a credential until used.
            throw new UsageError('that is not a Sealpost invite link', 'invalid_invite')
          }
          const displayName =
            options.displayName === undefined
              ? undefined
              : parseOption(DisplayName, options.displayName, '--display-name')
          const password = await readPasswordFromStdin()
          const { session, exportKey } = await acceptInvite(context.api, {
            token,
            password,
            displayName,
          })
          await context.rememberSession(session.user.username, exportKey)
          printResult(
            context.json,
            session.user,
            `Welcome, ${session.user.displayName}! Signed in as ${describeMe(session.user)}.`,
          )
        },
        { commandServer: serverOfInvite(url) },
      ),
    )
}

/** The server an invite link points at: the link without `/invite#<token>`. */
function serverOfInvite(link: string): string | undefined {
  let url: URL
  try {
    url = new URL(link.trim())
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  return url.origin + url.pathname.replace(/\/invite\/?$/, '')
}
