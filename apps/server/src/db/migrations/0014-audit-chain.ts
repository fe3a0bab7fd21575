import { type Kysely, sql } from 'kysely'
import { eventHash, GENESIS_HASH } from '../../features/audit/chain.js'

/**
 * The audit log becomes a hash chain: each event has a sequence number and stores the hash of
 * the one before, plus the client's address and user agent. `audit_head` holds the newest
 * event's number and hash (appending locks that one row) and where the chain starts after
 * retention pruned its beginning. Events recorded before are chained here, oldest first.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of ['ip', 'user_agent', 'prev_hash', 'hash']) {
    await db.schema.alterTable('audit_events').addColumn(column, 'text').execute()
  }
  await db.schema.alterTable('audit_events').addColumn('seq', 'bigint').execute()
  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('base_seq', 'bigint', (c) => c.notNull())
    .addColumn('base_hash', 'text', (c) => c.notNull())
    .execute()

  type Row = {
    id: string
    actor_id: string | null
    action: string
    target_id: string | null
    created_at: number | string
  }
  const { rows } = await sql<Row>`
    select id, actor_id, action, target_id, created_at from audit_events
    order by created_at, id`.execute(db)
  let prevHash = GENESIS_HASH
  let seq = 0
  for (const row of rows) {
    seq += 1
    const hash = eventHash({
      seq,
      id: row.id,
      createdAt: Number(row.created_at),
      actorId: row.actor_id,
      action: row.action,
      targetId: row.target_id,
      ip: null,
      userAgent: null,
      details: null,
      prevHash,
    })
    await sql`update audit_events set seq = ${seq}, prev_hash = ${prevHash}, hash = ${hash}
      where id = ${row.id}`.execute(db)
    prevHash = hash
  }
  await sql`insert into audit_head (id, seq, hash, base_seq, base_hash)
    values (1, ${seq}, ${prevHash}, 0, ${GENESIS_HASH})`.execute(db)
  await db.schema
    .createIndex('audit_events_seq')
    .unique()
    .on('audit_events')
    .column('seq')
    .execute()
  await db.schema
    .createIndex('audit_events_created_at')
    .on('audit_events')
    .column('created_at')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_events_created_at').execute()
  await db.schema.dropIndex('audit_events_seq').execute()
  await db.schema.dropTable('audit_head').execute()
  for (const column of ['seq', 'hash', 'prev_hash', 'user_agent', 'ip']) {
    await db.schema.alterTable('audit_events').dropColumn(column).execute()
  }
}
