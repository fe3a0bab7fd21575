import { type Kysely, PostgresAdapter, sql } from 'kysely'

/** Binary columns: bytea on PostgreSQL, blob on SQLite. */
function binary(db: Kysely<unknown>) {
  return db.getExecutor().adapter instanceof PostgresAdapter ? sql`bytea` : sql`blob`
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('org_settings')
    .addColumn('max_expiry_days', 'integer', (c) => c.notNull().defaultTo(365))
    .execute()

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sender_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('high_priority', 'integer', (c) => c.notNull())
    .addColumn('reply_to', 'text')
    .addColumn('thread_id', 'text', (c) => c.notNull())
    .addColumn('attachment_count', 'integer', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    /** The signed envelope as JSON: ciphertext and the fields its AAD binds. */
    .addColumn('envelope', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('messages_sender')
    .on('messages')
    .columns(['sender_id', 'sent_at', 'id'])
    .execute()
  await db.schema.createIndex('messages_thread').on('messages').column('thread_id').execute()
  await db.schema.createIndex('messages_expires').on('messages').column('expires_at').execute()

  await db.schema
    .createTable('message_recipients')
    .addColumn('message_id', 'text', (c) =>
      c.notNull().references('messages.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    /** 1 when the message is in this user's inbox (a recipient); the sender's own key row has 0. */
    .addColumn('in_inbox', 'integer', (c) => c.notNull())
    .addColumn('wrapped_key', 'text', (c) => c.notNull())
    // Copied from messages so the inbox is one index range scan.
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('high_priority', 'integer', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .addColumn('deleted_at', 'bigint')
    .addPrimaryKeyConstraint('message_recipients_pk', ['message_id', 'user_id'])
    .execute()
  await db.schema
    .createIndex('message_recipients_inbox')
    .on('message_recipients')
    .columns(['user_id', 'in_inbox', 'sent_at', 'message_id'])
    .execute()

  await db.schema
    .createTable('blobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.references('messages.id').onDelete('cascade'))
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('chunk_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('blobs_message').on('blobs').column('message_id').execute()
  await db.schema
    .createTable('blob_chunks')
    .addColumn('blob_id', 'text', (c) => c.notNull().references('blobs.id').onDelete('cascade'))
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('bytes', binary(db), (c) => c.notNull())
    .addPrimaryKeyConstraint('blob_chunks_pk', ['blob_id', 'idx'])
    .execute()

  /** Chunks uploaded before their message is committed; swept after 24 hours. */
  await db.schema
    .createTable('staged_chunks')
    .addColumn('blob_id', 'text', (c) => c.notNull())
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('bytes', binary(db), (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('staged_chunks_pk', ['blob_id', 'idx'])
    .execute()
  await db.schema
    .createIndex('staged_chunks_created')
    .on('staged_chunks')
    .column('created_at')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['staged_chunks', 'blob_chunks', 'blobs', 'message_recipients', 'messages']) {
    await db.schema.dropTable(table).execute()
  }
  await db.schema.alterTable('org_settings').dropColumn('max_expiry_days').execute()
}
