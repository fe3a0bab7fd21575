import type { Kysely } from 'kysely'

/**
 * Attempt counters for rate limits (sign-ins, link opens), in the database so every
 * server process on one PostgreSQL sees the same counts (DESIGN.md §8).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('attempts')
    /** `<limiter>:<rule>:<value>`, e.g. `login:user-ip:alice|127.0.0.1`. */
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('reset_at', 'bigint', (c) => c.notNull())
    /** Backoff rules: no attempt is allowed before this time. */
    .addColumn('blocked_until', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('attempts_reset').on('attempts').column('reset_at').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('attempts').execute()
}
