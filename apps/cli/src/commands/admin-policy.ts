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
import { findGroupNamed } from './admin-groups.js'
import { findUserNamed } from './admin-users.js'

type ScopeOptions = { org?: boolean; group?: string; user?: string }

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

/** A group's own values: the keys it sets, nothing resolved. */
function settingsTable(settings: PolicySettings): string {
  const keys = policyKeys.filter((key) => settings[key] !== undefined)
  if (keys.length === 0) return 'No values set.'
  return formatTable(keys, [
    { header: 'key', value: (key) => key },
    { header: 'value', value: (key) => formatPolicyValue(settings[key]) },
  ])
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
      `what users may do: ${policyKeys.join(', ')} (organisation values, overridden by ` +
        'groups, overridden per user)',
    )

  policy
    .command('set')
    .description(
      'set policy values for the organisation, a group or one user, e.g. canCreateLinks=false ' +
        'defaultExpiry=7d allowedEmailDomains=example.org,partner.test',
    )
    .argument('<assignments...>', 'KEY=VALUE, one or more')
    .addOption(new Option('--org', 'for the whole organisation').conflicts(['user', 'group']))
    .addOption(
      new Option('--group <name>', 'for the members of this group').conflicts(['user', 'org']),
    )
    .addOption(new Option('--user <username>', 'for this user alone (an override)'))
    .action((assignments: string[], options: ScopeOptions, command: Command) =>
      withContext(command, async (context) => {
        if (!options.org && options.user === undefined && options.group === undefined) {
          throw new UsageError('say whose policy: --org, --group NAME or --user USERNAME')
        }
        const settings = settingsFrom(assignments)
        requireSession(context)
        if (options.group !== undefined) {
          const group = await findGroupNamed(context, options.group)
          const result = await context.api.setGroupPolicy(group.id, settings)
          printResult(context.json, result, settingsTable(result.settings))
        } else if (options.user !== undefined) {
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
    .description(
      'remove values a group or a user sets: those keys follow the groups and organisation again',
    )
    .argument('<keys...>', 'policy keys, one or more')
    .addOption(new Option('--group <name>', 'the group').conflicts('user'))
    .addOption(new Option('--user <username>', 'the user'))
    .action((names: string[], options: ScopeOptions, command: Command) =>
      withContext(command, async (context) => {
        if (options.user === undefined && options.group === undefined) {
          throw new UsageError('say whose values: --group NAME or --user USERNAME')
        }
        const keys = keysFrom(names)
        requireSession(context)
        const update: PolicyUpdate = Object.fromEntries(keys.map((key) => [key, null]))
        if (options.group !== undefined) {
          const group = await findGroupNamed(context, options.group)
          const result = await context.api.setGroupPolicy(group.id, update)
          printResult(context.json, result, settingsTable(result.settings))
          return
        }
        if (options.user === undefined) return
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
      'every policy key with its value and source (default, org, group:NAME, user): the ' +
        'organisation’s, or what one user gets; with --group, the values the group sets',
    )
    .addOption(new Option('--group <name>', 'the values this group sets').conflicts('user'))
    .option('--user <username>', 'the effective policy of this user')
    .action((options: ScopeOptions, command: Command) =>
      withContext(command, async (context) => {
        requireSession(context)
        if (options.group !== undefined) {
          const group = await findGroupNamed(context, options.group)
          const result = await context.api.groupPolicy(group.id)
          printResult(context.json, result, settingsTable(result.settings))
          return
        }
        const effective =
          options.user === undefined
            ? (await context.api.orgPolicy()).effective
            : (await context.api.userPolicy(await userIdOf(context, options.user))).effective
        printResult(context.json, effective, policyTable(effective))
      }),
    )
}
