import { type Kysely, sql } from 'kysely'

/**
 * Which key a shared vault is sealed under (issue 13): 1 when created, one more at each
 * re-key. Clients send the version they hold with what they seal, so a device that opened the
 * vault before a re-key cannot store anything under the old key afterwards.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('vaults')
    .addColumn('key_version', 'integer', (c) => c.notNull().defaultTo(sql`1`))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('vaults').dropColumn('key_version').execute()
}
