import {
  changePassword,
  createRecoveryCode,
  provePassword,
  recoverAccount,
  resetPassword,
  ResetSecret,
  resetSecretFrom,
  signIn,
  type SessionInfo,
} from '@sealpost/core'
import type { Command } from 'commander'
import { requireSession, withContext } from '../context.js'
import {
  type Column,
  formatTable,
  formatTime,
  printResult,
  UsageError,
  warnIfNotEnrolled,
} from '../output.js'
import {
  readPasswordFromStdin,
  readSecretLinesFromStdin,
  requirePasswordStdin,
} from '../password-stdin.js'

type PasswdOptions = { passwordStdin?: boolean }
type RevokeOptions = { others?: boolean }
type RecoverOptions = { username: string; passwordStdin?: boolean }

const sessionColumns: Column<SessionInfo>[] = [
  { header: 'id', value: (s) => s.id },
  { header: 'device', value: (s) => (s.isCurrent ? `${s.device} (this one)` : s.device) },
  { header: 'address', value: (s) => s.address ?? '' },
  { header: 'created', value: (s) => formatTime(s.createdAt) },
  { header: 'last seen', value: (s) => formatTime(s.lastSeenAt) },
]

/** passwd, sessions: what a signed-in user does to their own account. */
export function registerAccountCommands(program: Command): void {
  program
    .command('passwd')
    .description(
      'change your password; keys, messages and vaults stay, and your other sessions end',
    )
    .option('--password-stdin', 'read two lines from stdin: the current password, then the new one')
    .action((options: PasswdOptions, command: Command) =>
      withContext(command, async (context) => {
        requirePasswordStdin(options.passwordStdin, 'passwd')
        const saved = requireSession(context)
        const [currentPassword = '', newPassword = ''] = await readSecretLinesFromStdin([
          'current password',
          'new password',
        ])
        const { user, keys } = await context.api.getSession()
        const { exportKey } = await changePassword(context.api, {
          username: user.username,
          keys,
          currentPassword,
          newPassword,
        })
        // The old export key no longer opens the account key's new wrap.
        await context.rememberSession(saved.username, exportKey)
        printResult(
          context.json,
          { changed: true },
          'Password changed. Your other sessions have ended; sign in there with the new password.',
        )
      }),
    )

  program
    .command('account')
    .description('your own account settings')
    .command('notify')
    .description(
      'email me about new messages while no Sealpost app is open (who sent it, never what): ' +
        'show the setting, or turn it on or off',
    )
    .argument('[on|off]', 'the new setting; without it, the current one is shown')
    .action((value: string | undefined, _options: unknown, command: Command) =>
      withContext(command, async (context) => {
        if (value !== undefined && value !== 'on' && value !== 'off') {
          throw new UsageError('say `on` or `off`')
        }
        requireSession(context)
        const settings =
          value === undefined
            ? await context.api.getNotifications()
            : await context.api.setNotifications({ notifyByEmail: value === 'on' })
        printResult(
          context.json,
          settings,
          `New-message emails are ${settings.notifyByEmail ? 'on' : 'off'}.`,
        )
      }),
    )

  const sessions = program
    .command('sessions')
    .description('list your sessions (device, address, created, last seen)')
    .action((_options: unknown, command: Command) =>
      withContext(command, async (context) => {
        requireSession(context)
        const list = await context.api.listSessions()
        printResult(context.json, list, formatTable(list.sessions, sessionColumns))
      }),
    )

  sessions
    .command('revoke')
    .description('sign out one session by its id, or every other session with --others')
    .argument('[id]', 'the session to end (from `sealpost sessions`)')
    .option('--others', 'end every session but this one')
    .action((id: string | undefined, options: RevokeOptions, command: Command) =>
      withContext(command, async (context) => {
        if (Boolean(id) === Boolean(options.others)) {
          throw new UsageError('give either a session id or --others')
        }
        requireSession(context)
        if (options.others) {
          const result = await context.api.endOtherSessions()
          printResult(context.json, result, `Ended ${result.ended} other session(s).`)
          return
        }
        const wanted = id ?? ''
        const current = (await context.api.listSessions()).sessions.find((s) => s.isCurrent)
        await context.api.endSession(wanted)
        if (current?.id === wanted) await context.forgetSession()
        printResult(context.json, { ended: 1 }, 'Session ended.')
      }),
    )

  program
    .command('recovery-code')
    .description('your recovery code: it resets a forgotten password without losing anything')
    .command('create')
    .description(
      'create a recovery code (replaces the old one) and print it once: write it down and keep it safe',
    )
    .option(
      '--password-stdin',
      'prove your password from stdin (needed when you signed in more than 10 minutes ago)',
    )
    .action((options: PasswdOptions, command: Command) =>
      withContext(command, async (context) => {
        const { username, exportKey } = requireSession(context)
        const password = options.passwordStdin ? await readPasswordFromStdin() : undefined
        if (!exportKey) throw new UsageError('run `sealpost login` again first')
        const { keys } = await context.api.getSession()
        const code = await createRecoveryCode(context.api, {
          username,
          keys,
          ...(password === undefined ? { exportKey } : { password }),
        })
        printResult(
          context.json,
          { code },
          `Your recovery code (shown once; it replaces any earlier one):\n\n  ${code}\n\n` +
            'Write it down or print it and keep it somewhere safe. With it and your username,\n' +
            '`sealpost recover` sets a new password and keeps your keys, vault and messages.',
        )
      }),
    )

  program
    .command('recover')
    .description('forgot your password: set a new one with your recovery code (the code is spent)')
    .requiredOption('--username <username>', 'your username')
    .option(
      '--password-stdin',
      'read two lines from stdin: the recovery code, then the new password',
    )
    .action((options: RecoverOptions, command: Command) =>
      withContext(command, async (context) => {
        requirePasswordStdin(options.passwordStdin, 'recover')
        const username = options.username.trim().toLowerCase()
        const [code = '', newPassword = ''] = await readSecretLinesFromStdin([
          'recovery code',
          'new password',
        ])
        await recoverAccount(context.api, { username, code, newPassword })
        const signedIn = await signIn(context.api, {
          username,
          password: newPassword,
        })
        warnIfNotEnrolled(signedIn)
        const { session, exportKey } = signedIn
        await context.rememberSession(session.user.username, exportKey)
        printResult(
          context.json,
          { recovered: true, user: session.user },
          `Password reset; signed in as ${session.user.username}. Your recovery code is used up: ` +
            'create a new one with `sealpost recovery-code create`.',
        )
      }),
    )

  const twoFactor = program
    .command('2fa')
    .description('two-factor sign-in: an authenticator app (TOTP) and one-time backup codes')

  twoFactor
    .command('totp')
    .description(
      'start TOTP: prints the secret (base32) and otpauth:// URI for your authenticator app',
    )
    .option('--password-stdin', 'prove your password (needed 10 minutes after signing in)')
    .action((options: PasswdOptions, command: Command) =>
      withContext(command, async (context) => {
        requireSession(context)
        const proof = options.passwordStdin
          ? (await provePassword(context.api, await readPasswordFromStdin())).proof
          : undefined
        const setup = await context.api.totpSetup(proof ? { proof } : {})
        printResult(
          context.json,
          setup,
          `Secret: ${setup.secret}\nURI:    ${setup.uri}\n\n` +
            'Add it to your authenticator app, then run `sealpost 2fa confirm CODE` with its code.',
        )
      }),
    )

  twoFactor
    .command('confirm')
    .description('turn TOTP on with a current code; prints 10 one-time backup codes, once')
    .argument('<code>', 'the 6-digit code your app shows now')
    .action((code: string, _options: unknown, command: Command) =>
      withContext(command, async (context) => {
        requireSession(context)
        const result = await context.api.totpConfirm({ code: code.trim() })
        printResult(
          context.json,
          result,
          'Two-factor sign-in is on. Backup codes (each works once; keep them safe):\n\n' +
            result.backupCodes.map((c) => `  ${c}`).join('\n'),
        )
      }),
    )

  twoFactor
    .command('off')
    .description('turn two-factor sign-in off (needs your password)')
    .option('--password-stdin', 'read your password from stdin')
    .action((options: PasswdOptions, command: Command) =>
      withContext(command, async (context) => {
        requirePasswordStdin(options.passwordStdin, '2fa off')
        requireSession(context)
        const { proof } = await provePassword(context.api, await readPasswordFromStdin())
        await context.api.twoFactorOff({ proof })
        printResult(context.json, { twoFactor: false }, 'Two-factor sign-in is off.')
      }),
    )

  program
    .command('reset-password')
    .description(
      'choose a new password with the reset link an administrator gave you (keys, vault and messages stay)',
    )
    .argument('<url>', 'the reset link')
    .option('--password-stdin', 'read the new password from stdin')
    .action((url: string, options: PasswdOptions, command: Command) =>
      withContext(
        command,
        async (context) => {
          requirePasswordStdin(options.passwordStdin, 'reset-password')
          const secret = resetSecretFrom(url.trim())
          if (!ResetSecret.safeParse(secret).success) {
            // Never echo the link: it is a credential until used.
            throw new UsageError('that is not a Sealpost reset link', 'not_available')
          }
          const newPassword = await readPasswordFromStdin()
          const { username } = await resetPassword(context.api, { secret, newPassword })
          const signedIn = await signIn(context.api, {
            username,
            password: newPassword,
          })
          warnIfNotEnrolled(signedIn)
          const { session, exportKey } = signedIn
          await context.rememberSession(session.user.username, exportKey)
          printResult(
            context.json,
            { reset: true, user: session.user },
            `Password reset; signed in as ${session.user.username}.`,
          )
        },
        { commandServer: serverOfLink(url) },
      ),
    )
}

/** The server a reset link points at: the link without `/reset#<secret>`. */
function serverOfLink(link: string): string | undefined {
  let url: URL
  try {
    url = new URL(link.trim())
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  return url.origin + url.pathname.replace(/\/reset\/?$/, '')
}
