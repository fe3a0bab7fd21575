import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  /** Sealed with the vault key; null for user vaults. */
  await db.schema.alterTable('vaults').addColumn('name', 'text').execute()

  await db.schema
    .createTable('vault_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('vault_id', 'text', (c) => c.notNull().references('vaults.id').onDelete('cascade'))
    .addColumn('parent_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('vault_items_vault')
    .on('vault_items')
    .columns(['vault_id', 'parent_id'])
    .execute()

  /** Every earlier revision of an item, and who made it: the item's history and log (S8: never copied). */
  await db.schema
    .createTable('vault_item_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'text', (c) =>
      c.notNull().references('vault_items.id').onDelete('cascade'),
    )
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('parent_id', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('vault_item_history_item')
    .on('vault_item_history')
    .column('item_id')
    .execute()

  await db.schema
    .alterTable('blobs')
    .addColumn('item_id', 'text', (c) => c.references('vault_items.id').onDelete('cascade'))
    .execute()
  await db.schema.createIndex('blobs_item').on('blobs').column('item_id').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('blobs_item').execute()
  await db.schema.alterTable('blobs').dropColumn('item_id').execute()
  await db.schema.dropTable('vault_item_history').execute()
  await db.schema.dropTable('vault_items').execute()
  await db.schema.alterTable('vaults').dropColumn('name').execute()
}
