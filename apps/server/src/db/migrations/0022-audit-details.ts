import type { Kysely } from 'kysely'

/**
 * Audit details (issue 12): counts, sizes and settings of an event (a message's recipient count
 * and size class, a link's view number), as canonical JSON the event's hash covers. A started
 * sign-in keeps where it came from: a wrong password shows as one never finished, and the log
 * records it with the address when it lapses.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('details', 'text').execute()
  await db.schema.alterTable('pending_logins').addColumn('ip', 'text').execute()
  await db.schema.alterTable('pending_logins').addColumn('user_agent', 'text').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('pending_logins').dropColumn('user_agent').execute()
  await db.schema.alterTable('pending_logins').dropColumn('ip').execute()
  await db.schema.alterTable('audit_events').dropColumn('details').execute()
}
