import type { Kysely } from 'kysely'

/**
 * Link opens stream their files after the view is spent, so a used-up link lives on until
 * its last reader is done (`readers`), or until `read_until` if a process died mid-stream.
 * `sent_emails` counts emails per member for the hourly and daily limits; unlike
 * `link_emails` it outlives the link, so deleting a link gives no emails back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('links')
    .addColumn('readers', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .alterTable('links')
    .addColumn('read_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .createTable('sent_emails')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('sent_emails_user')
    .on('sent_emails')
    .columns(['user_id', 'created_at'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sent_emails').execute()
  await db.schema.alterTable('links').dropColumn('read_until').execute()
  await db.schema.alterTable('links').dropColumn('readers').execute()
}
