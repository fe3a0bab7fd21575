import type { Kysely } from 'kysely'

/**
 * "Email me when it is opened" (issue 12): a link's owner may ask for one email per spent view.
 * The email says only when the link was made and which view it was, never its label or content.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('links')
    .addColumn('notify_on_open', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('links').dropColumn('notify_on_open').execute()
}
