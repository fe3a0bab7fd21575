import {
  type EffectivePolicy,
  formatPolicyValue,
  parsePolicyAssignment,
  parsePolicyKey,
  type PolicyKey,
  policyKeys,
  type PolicySettings,
  type PolicyUpdate,
} from '@sealpost/core'
import { Option, type Command } from 'commander'
import { type Context, requireSession, withContext } from '../context.js'
import { formatTable, printResult, UsageError } from '../output.js'
import { findUserNamed } from './admin-users.js'

type ScopeOptions = { org?: boolean; user?: string }

/** `KEY=VALUE…` read through the catalogue; a bad one is a usage error naming the key. */
function settingsFrom(assignments: string[]): PolicySettings {
  const settings: Record<string, unknown> = {}
  for (const text of assignments) {
    const parsed = parsePolicyAssignment(text)
    if (!parsed.ok) throw new UsageError(parsed.error, 'invalid_input')
    if (parsed.key in settings) throw new UsageError(`${parsed.key}: given twice`)
    settings[parsed.key] = parsed.value
  }
  return settings
}

function keysFrom(names: string[]): PolicyKey[] {
  return names.map((name) => {
    const parsed = parsePolicyKey(name)
    if (!parsed.ok) throw new UsageError(parsed.error, 'invalid_input')
    return parsed.key
  })
}

function policyTable(policy: EffectivePolicy): string {
  return formatTable(policyKeys, [
    { header: 'key', value: (key) => key },
    { header: 'value', value: (key) => formatPolicyValue(policy[key].value) },
    { header: 'source', value: (key) => policy[key].source },
  ])
}

async function userIdOf(context: Context, username: string): Promise<string> {
  return (await findUserNamed(context, username)).id
}

/** `admin policy set|unset|show`: the policy catalogue's values, administrators only. */
export function registerAdminPolicyCommands(program: Command): void {
  const admin = program.commands.find((c) => c.name() === 'admin')
  if (!admin) throw new Error('register the admin commands first')
  const policy = admin
    .command('policy')
    .description(
      `what users may do: ${policyKeys.join(', ')} (organisation values, overridden per user)`,
    )

  policy
    .command('set')
    .description(
      'set policy values for the organisation or one user, e.g. canCreateLinks=false ' +
        'defaultExpiry=7d allowedEmailDomains=example.org,partner.test',
    )
    .argument('<assignments...>', 'KEY=VALUE, one or more')
    .addOption(new Option('--org', 'for the whole organisation').conflicts('user'))
    .addOption(new Option('--user <username>', 'for this user alone (an override)'))
    .action((assignments: string[], options: ScopeOptions, command: Command) =>
      withContext(command, async (context) => {
        if (!options.org && options.user === undefined) {
          throw new UsageError('say whose policy: --org or --user USERNAME')
        }
        const settings = settingsFrom(assignments)
        requireSession(context)
        if (options.user !== undefined) {
          const result = await context.api.setUserPolicy(
            await userIdOf(context, options.user),
            settings,
          )
          printResult(context.json, result.effective, policyTable(result.effective))
        } else {
          const result = await context.api.setOrgPolicy(settings)
          printResult(context.json, result.effective, policyTable(result.effective))
        }
      }),
    )

  policy
    .command('unset')
    .description('remove a user’s overrides: those keys follow the organisation again')
    .argument('<keys...>', 'policy keys, one or more')
    .requiredOption('--user <username>', 'the user')
    .action((names: string[], options: { user: string }, command: Command) =>
      withContext(command, async (context) => {
        const keys = keysFrom(names)
        requireSession(context)
        const update: PolicyUpdate = Object.fromEntries(keys.map((key) => [key, null]))
        const result = await context.api.setUserPolicy(
          await userIdOf(context, options.user),
          update,
        )
        printResult(context.json, result.effective, policyTable(result.effective))
      }),
    )

  policy
    .command('show')
    .description(
      'every policy key with its value and source (default, org, user): the organisation’s, ' +
        'or what one user gets',
    )
    .option('--user <username>', 'the effective policy of this user')
    .action((options: { user?: string }, command: Command) =>
      withContext(command, async (context) => {
        requireSession(context)
        const effective =
          options.user === undefined
            ? (await context.api.orgPolicy()).effective
            : (await context.api.userPolicy(await userIdOf(context, options.user))).effective
        printResult(context.json, effective, policyTable(effective))
      }),
    )
}
