import type { Kysely } from 'kysely'

/**
 * Expiry reminders (issue 12): when a recipient was reminded that an unread message is about to
 * expire. Claimed by one statement, so only one process reminds anyone, and only once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('message_recipients').addColumn('reminded_at', 'bigint').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('message_recipients').dropColumn('reminded_at').execute()
}
