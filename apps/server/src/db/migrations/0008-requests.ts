import type { Kysely } from 'kysely'

/**
 * Request a secret (DESIGN.md §3): a member asks someone outside for a secret through a link.
 * Answers land in the requester's inbox as messages marked by `request_id` (no foreign key: an
 * answer outlives its request, and must stay marked as coming from outside). A visitor's
 * staged chunks belong to the requester (their quota) and to one request, which alone may
 * commit them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('can_request_secrets', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema
    .alterTable('org_settings')
    .addColumn('default_can_request_secrets', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()

  await db.schema
    .createTable('requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('access_verifier', 'text', (c) => c.notNull())
    /** JSON SealedEnvelope under a key derived from the secret: what is asked, by whom. */
    .addColumn('note', 'text', (c) => c.notNull())
    /** JSON SealedEnvelope under the owner's account key: secret, note and label. */
    .addColumn('owner_copy', 'text', (c) => c.notNull())
    .addColumn('allow_files', 'integer', (c) => c.notNull())
    .addColumn('max_answers', 'integer', (c) => c.notNull())
    .addColumn('answers', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('requests_owner')
    .on('requests')
    .columns(['owner_id', 'created_at'])
    .execute()
  await db.schema.createIndex('requests_expires').on('requests').column('expires_at').execute()

  await db.schema.alterTable('messages').addColumn('request_id', 'text').execute()
  await db.schema.createIndex('messages_request').on('messages').column('request_id').execute()
  await db.schema.alterTable('staged_chunks').addColumn('request_id', 'text').execute()
  await db.schema
    .createIndex('staged_chunks_request')
    .on('staged_chunks')
    .column('request_id')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('staged_chunks_request').execute()
  await db.schema.alterTable('staged_chunks').dropColumn('request_id').execute()
  await db.schema.dropIndex('messages_request').execute()
  await db.schema.alterTable('messages').dropColumn('request_id').execute()
  await db.schema.dropTable('requests').execute()
  await db.schema.alterTable('org_settings').dropColumn('default_can_request_secrets').execute()
  await db.schema.alterTable('users').dropColumn('can_request_secrets').execute()
}
