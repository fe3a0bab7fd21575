import { type Kysely, sql } from 'kysely'

/**
 * Blobs remember who uploaded them, so vault files count against their uploader's storage
 * quota; staged chunks are looked up by owner for the per-user staging caps.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('blobs')
    .addColumn('owner_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .execute()
  await db.schema.createIndex('blobs_owner').on('blobs').column('owner_id').execute()
  await db.schema
    .createIndex('staged_chunks_owner')
    .on('staged_chunks')
    .column('owner_id')
    .execute()
  // Files already in a user's own vault belong to that user; older shared-vault files
  // have no known uploader and count against nobody.
  await sql`
    update blobs set owner_id = (
      select vault_members.user_id
      from vault_items
      join vaults on vaults.id = vault_items.vault_id and vaults.kind = 'user'
      join vault_members on vault_members.vault_id = vaults.id
      where vault_items.id = blobs.item_id
    )
    where item_id is not null`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('staged_chunks_owner').execute()
  await db.schema.dropIndex('blobs_owner').execute()
  await db.schema.alterTable('blobs').dropColumn('owner_id').execute()
}
