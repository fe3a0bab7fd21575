import type { Kysely } from 'kysely'

/**
 * Receipts for senders (issue 12): when each recipient first opened a message, saved its
 * content to a vault and replied — times only, never content. "Closed" is `read_at` and
 * "removed from the inbox" is `deleted_at`, kept since 0002. An organisation setting turns
 * receipts off; then none of these is recorded.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of ['opened_at', 'saved_at', 'replied_at']) {
    await db.schema.alterTable('message_recipients').addColumn(column, 'bigint').execute()
  }
  await db.schema
    .alterTable('org_settings')
    .addColumn('receipts_enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('org_settings').dropColumn('receipts_enabled').execute()
  for (const column of ['replied_at', 'saved_at', 'opened_at']) {
    await db.schema.alterTable('message_recipients').dropColumn(column).execute()
  }
}
