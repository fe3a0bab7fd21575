import { type AuditEvent, auditDetailsText, AuditQuery, Timestamp } from '@sealpost/core'
import { Option, type Command } from 'commander'
import { requireSession, withContext } from '../context.js'
import { CommandError, formatTable, terminalSafe, type Column } from '../output.js'
import { parseOption } from '../validate.js'

type FilterOptions = { actor?: string; action?: string; since?: string; until?: string }
type ListOptions = FilterOptions & { limit: string }

const auditColumns: Column<AuditEvent>[] = [
  { header: 'seq', value: (event) => String(event.seq) },
  { header: 'time', value: (event) => event.at },
  { header: 'actor', value: (event) => terminalSafe(event.actorUsername ?? event.actorId ?? '-') },
  { header: 'action', value: (event) => terminalSafe(event.action) },
  { header: 'target', value: (event) => event.targetId ?? '-' },
  { header: 'address', value: (event) => terminalSafe(event.ip ?? '-') },
  { header: 'details', value: (event) => terminalSafe(auditDetailsText(event.details)) },
]

function filtersFrom(options: FilterOptions) {
  return {
    actor: options.actor?.trim().toLowerCase(),
    action: options.action?.trim(),
    since:
      options.since === undefined ? undefined : parseOption(Timestamp, options.since, '--since'),
    until:
      options.until === undefined ? undefined : parseOption(Timestamp, options.until, '--until'),
  }
}

const filterOptions = (command: Command) =>
  command
    .option('--actor <username>', 'only what this user did')
    .option('--action <action>', 'only this action, e.g. login or user.updated')
    .option('--since <iso>', 'from this time on (ISO 8601, e.g. 2026-12-01T00:00:00Z)')
    .option('--until <iso>', 'before this time (ISO 8601)')

/** `admin audit [list] | verify | export`: the tamper-evident audit log, administrators only. */
export function registerAdminAuditCommands(program: Command): void {
  const admin = program.commands.find((c) => c.name() === 'admin')
  if (!admin) throw new Error('register the admin commands first')
  const audit = admin.command('audit').description('the audit log: list, verify and export')

  filterOptions(
    audit
      .command('list', { isDefault: true })
      .description('events, newest first (one JSON object per line with --json)'),
  )
    .option('--limit <n>', 'at most this many events', '100')
    .action((options: ListOptions, command: Command) =>
      withContext(command, async (context) => {
        requireSession(context)
        const limit = parseOption(AuditQuery.shape.limit, options.limit, '--limit')
        const events: AuditEvent[] = []
        let before: number | undefined
        while (events.length < limit) {
          const page = await context.api.listAudit({
            ...filtersFrom(options),
            limit: Math.min(500, limit - events.length),
            before,
          })
          events.push(...page.events)
          if (page.nextBefore === null) break
          before = page.nextBefore
        }
        if (context.json) {
          for (const event of events) process.stdout.write(`${JSON.stringify(event)}\n`)
        } else {
          process.stdout.write(
            events.length === 0 ? 'No events.\n' : `${formatTable(events, auditColumns)}\n`,
          )
        }
      }),
    )

  audit
    .command('verify')
    .description('walk the hash chain; exit 1 naming the first event that does not fit')
    .action((_options: unknown, command: Command) =>
      withContext(command, async (context) => {
        requireSession(context)
        const result = await context.api.verifyAudit()
        if (context.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
        if (result.broken) {
          const { seq, id, reason } = result.broken
          throw new CommandError(
            `the audit log is broken at event ${seq}${id ? ` (${id})` : ''}: ${reason}`,
            'audit_broken',
          )
        }
        if (!context.json) process.stdout.write(`ok ${result.events} events\n`)
      }),
    )

  filterOptions(
    audit
      .command('export')
      .description('every matching event, oldest first, streamed to standard output'),
  )
    .addOption(
      new Option('--format <format>', 'ndjson (one JSON object per line) or csv')
        .choices(['ndjson', 'csv'])
        .default('ndjson'),
    )
    .action((options: FilterOptions & { format: 'ndjson' | 'csv' }, command: Command) =>
      withContext(command, async (context) => {
        requireSession(context)
        const response = await context.api.exportAudit({
          ...filtersFrom(options),
          format: options.format,
        })
        if (!response.body) return
        const reader = response.body.getReader()
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          if (!process.stdout.write(value)) {
            await new Promise((resolve) => process.stdout.once('drain', resolve))
          }
        }
      }),
    )
}
