import type { Kysely } from 'kysely'

/**
 * Groups (issue 13): `groups` with a case-folded `name_key` that makes names unique whatever
 * their case, and `group_members`. A group's policy values are rows of `policies` with scope
 * `group:<id>`; deleting a group deletes them in the same transaction.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
    .execute()
  // A user's groups, for their effective policy on every policy-checked request.
  await db.schema.createIndex('group_members_user').on('group_members').column('user_id').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('group_members').execute()
  await db.schema.dropTable('groups').execute()
}
