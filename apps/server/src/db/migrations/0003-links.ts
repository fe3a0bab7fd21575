import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('can_create_links', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema
    .alterTable('org_settings')
    .addColumn('default_can_create_links', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()

  await db.schema
    .createTable('links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('access_verifier', 'text', (c) => c.notNull())
    /** JSON {salt, params, verifier} or null. */
    .addColumn('passphrase', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('max_views', 'integer', (c) => c.notNull())
    .addColumn('views', 'integer', (c) => c.notNull())
    .addColumn('failed_passphrases', 'integer', (c) => c.notNull())
    .addColumn('file_count', 'integer', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('links_owner')
    .on('links')
    .columns(['owner_id', 'created_at'])
    .execute()
  await db.schema.createIndex('links_expires').on('links').column('expires_at').execute()

  await db.schema
    .createTable('link_emails')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('link_id', 'text', (c) => c.notNull().references('links.id').onDelete('cascade'))
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('link_emails_link').on('link_emails').column('link_id').execute()

  await db.schema
    .alterTable('blobs')
    .addColumn('link_id', 'text', (c) => c.references('links.id').onDelete('cascade'))
    .execute()
  await db.schema.createIndex('blobs_link').on('blobs').column('link_id').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('blobs_link').execute()
  await db.schema.alterTable('blobs').dropColumn('link_id').execute()
  await db.schema.dropTable('link_emails').execute()
  await db.schema.dropTable('links').execute()
  await db.schema.alterTable('org_settings').dropColumn('default_can_create_links').execute()
  await db.schema.alterTable('users').dropColumn('can_create_links').execute()
}
