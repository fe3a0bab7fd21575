import { type Kysely, sql } from 'kysely'

/**
 * A link that ends (used up, expired, deleted by its owner, destroyed after too many wrong
 * passphrases) keeps its row for its owner's history, without content: its payload, its
 * passphrase verifier and its files go; `ended_at` and `end_reason` say when and why. Each
 * thing that happened to it is a `link_events` row (times only, never an address).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('links').addColumn('ended_at', 'bigint').execute()
  await db.schema.alterTable('links').addColumn('end_reason', 'text').execute()
  await db.schema
    .alterTable('links')
    .addColumn('has_passphrase', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await sql`UPDATE links SET has_passphrase = 1 WHERE passphrase IS NOT NULL`.execute(db)
  await db.schema
    .createTable('link_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('link_id', 'text', (c) => c.notNull())
    // Order within a link: events of one millisecond keep the order they happened in.
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('view', 'integer')
    .execute()
  await db.schema
    .createIndex('link_events_link')
    .on('link_events')
    .columns(['link_id', 'seq'])
    .execute()
  await db.schema.createIndex('links_ended').on('links').column('ended_at').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('link_events').execute()
  await db.schema.dropIndex('links_ended').execute()
  for (const column of ['has_passphrase', 'end_reason', 'ended_at']) {
    await db.schema.alterTable('links').dropColumn(column).execute()
  }
}
