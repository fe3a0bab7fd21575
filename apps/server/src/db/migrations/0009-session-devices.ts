import { type Kysely, sql } from 'kysely'

/**
 * Sessions get what their owner needs to tell them apart and end them one by one (issue 11):
 * a public id (the row id is the token's hash, which the CSRF token derives from, so it never
 * leaves the server), the client's User-Agent and address.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('public_id', 'text').execute()
  await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute()
  await db.schema.alterTable('sessions').addColumn('ip', 'text').execute()
  const rows = await sql<{ id: string }>`select id from sessions`.execute(db)
  for (const row of rows.rows) {
    await sql`update sessions set public_id = ${crypto.randomUUID()} where id = ${row.id}`.execute(
      db,
    )
  }
  await db.schema
    .createIndex('sessions_public_id')
    .on('sessions')
    .column('public_id')
    .unique()
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sessions_public_id').execute()
  for (const column of ['ip', 'user_agent', 'public_id']) {
    await db.schema.alterTable('sessions').dropColumn(column).execute()
  }
}
