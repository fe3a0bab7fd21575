import type { Kysely } from 'kysely'

/**
 * New-message emails for recipients without the app open (issue 12, S29).
 * - `users.notify_by_email`: the member's own choice; null follows the organisation's
 *   `default_notify_by_email`.
 * - `users.message_notice_at`: when the last such email went out, so at most one goes per
 *   `SEALPOST_NOTIFY_EVERY_MINUTES`, whichever process sends it.
 * - `event_streams`: one row per open event stream, refreshed by its heartbeat and removed when
 *   it closes. A member with a fresh row is "online" for every process on PostgreSQL; the rows
 *   of a process that died go stale and stop counting.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('notify_by_email', 'integer').execute()
  await db.schema.alterTable('users').addColumn('message_notice_at', 'bigint').execute()
  await db.schema
    .alterTable('org_settings')
    .addColumn('default_notify_by_email', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema
    .createTable('event_streams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('event_streams_user')
    .on('event_streams')
    .columns(['user_id', 'seen_at'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('event_streams').execute()
  await db.schema.alterTable('org_settings').dropColumn('default_notify_by_email').execute()
  for (const column of ['message_notice_at', 'notify_by_email']) {
    await db.schema.alterTable('users').dropColumn(column).execute()
  }
}
