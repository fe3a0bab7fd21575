import { type Kysely, sql } from 'kysely'

/**
 * What a pending OPAQUE login is for: signing in, or a signed-in user proving their password
 * again (password change, recovery code, second factors). One left unfinished is a failed
 * sign-in only in the first case; in the second it is the account's own failed proof.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('pending_logins')
    .addColumn('purpose', 'text', (c) => c.notNull().defaultTo(sql`'sign_in'`))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('pending_logins').dropColumn('purpose').execute()
}
