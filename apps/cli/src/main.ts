#!/usr/bin/env node
import { CommanderError } from 'commander'
import { SealpostCommand } from './command.js'
import { registerAccountCommands } from './commands/account.js'
import { registerAdminAuditCommands } from './commands/admin-audit.js'
import { registerAdminGroupCommands } from './commands/admin-groups.js'
import { registerAdminPolicyCommands } from './commands/admin-policy.js'
import { registerAdminRecoveryCommands, registerAdminUserCommands } from './commands/admin-users.js'
import { registerAdminWebhookCommands } from './commands/admin-webhooks.js'
import { registerAuthCommands } from './commands/auth.js'
import { registerLinkCommands } from './commands/links.js'
import { registerMessageCommands } from './commands/messages.js'
import { registerRequestCommands } from './commands/requests.js'
import { registerVaultCopyCommands } from './commands/vault-copy.js'
import { registerVaultCommands } from './commands/vault.js'
import { DEFAULT_SERVER } from './context.js'
import { reportError } from './output.js'

function buildProgram(): SealpostCommand {
  const program = new SealpostCommand()
    .name('sealpost')
    .description(
      'Sealpost from the command line: sign in, send and read messages, keep a vault and send ' +
        'copies of it, share links, request secrets, administer users.',
    )
    // Global options are parsed wherever they appear, so `--json` works before or after
    // the command words (commander's default without positional options).
    .option(
      '--server <url>',
      `server URL (default: the signed-in session's server, $SEALPOST_SERVER or ${DEFAULT_SERVER})`,
    )
    .option('--json', 'machine-readable output on stdout')
    .configureHelp({ showGlobalOptions: true })
    // Usage errors are reported by main as one line, exit status 2; settings set here
    // are inherited by every command added below.
    .exitOverride()
    .configureOutput({ outputError: () => {} })
  registerAuthCommands(program)
  registerAccountCommands(program)
  registerMessageCommands(program)
  registerVaultCommands(program)
  registerVaultCopyCommands(program)
  registerLinkCommands(program)
  registerRequestCommands(program)
  registerAdminUserCommands(program)
  registerAdminRecoveryCommands(program)
  registerAdminAuditCommands(program)
  registerAdminGroupCommands(program)
  registerAdminPolicyCommands(program)
  registerAdminWebhookCommands(program)
  return program
}

try {
  await buildProgram().parseAsync(process.argv)
} catch (error) {
  // Help and --version "errors" carry exit status 0 and were already printed.
  if (error instanceof CommanderError && error.exitCode === 0) process.exitCode = 0
  else if (error instanceof CommanderError && error.code === 'commander.help') process.exitCode = 2
  else process.exitCode = reportError(error, undefined)
}
