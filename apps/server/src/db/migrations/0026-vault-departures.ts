import type { Kysely } from 'kysely'

/**
 * Who lost access to a shared vault since its key was made (issue 13). Their device may still
 * hold the key, so while a row is here the vault should be re-keyed; a re-key clears them, and
 * being given the vault again clears that person's row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('vault_departures')
    .addColumn('vault_id', 'text', (c) => c.notNull().references('vaults.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('departed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('vault_departures_pk', ['vault_id', 'user_id'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('vault_departures').execute()
}
