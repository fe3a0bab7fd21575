import { changePassword } from '@sealpost/core'
import type { Command } from 'commander'
import { requireSession, withContext } from '../context.js'
import { printResult } from '../output.js'
import { readSecretLinesFromStdin, requirePasswordStdin } from '../password-stdin.js'

type PasswdOptions = { passwordStdin?: boolean }

/** passwd: what a signed-in user does to their own account. */
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
}
