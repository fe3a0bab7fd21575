import { type Kysely, sql } from 'kysely'

/**
 * Shared vaults granted to groups (issue 13). A group member holds the vault through a
 * `vault_members` row like anyone else, sealed to them by an administrator's device; `direct`
 * tells a membership given to the person (1) from one that lasts as long as a grant covers it
 * (0), so leaving the group or revoking the grant ends only the latter.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('vault_group_grants')
    .addColumn('vault_id', 'text', (c) => c.notNull().references('vaults.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('can_write', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('vault_group_grants_pk', ['vault_id', 'group_id'])
    .execute()
  await db.schema
    .createIndex('vault_group_grants_group')
    .on('vault_group_grants')
    .column('group_id')
    .execute()
  await db.schema
    .alterTable('vault_members')
    .addColumn('direct', 'integer', (c) => c.notNull().defaultTo(sql`1`))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('vault_members').dropColumn('direct').execute()
  await db.schema.dropTable('vault_group_grants').execute()
}
