import type { Db, Dialect } from './database.js'

export type AttemptRow = { count: number; reset_at: number; blocked_until: number }

/**
 * The counter row for `key`, created when missing and locked until the transaction ends
 * (PostgreSQL `FOR UPDATE`; SQLite transactions are serialised already).
 */
export async function lockAttemptRow(
  trx: Db,
  dialect: Dialect,
  key: string,
  fresh: AttemptRow,
): Promise<AttemptRow> {
  await trx
    .insertInto('attempts')
    .values({ key, ...fresh })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute()
  let query = trx
    .selectFrom('attempts')
    .select(['count', 'reset_at', 'blocked_until'])
    .where('key', '=', key)
  if (dialect === 'postgres') query = query.forUpdate()
  return query.executeTakeFirstOrThrow()
}

export async function updateAttemptRow(trx: Db, key: string, row: AttemptRow): Promise<void> {
  await trx.updateTable('attempts').set(row).where('key', '=', key).execute()
}

/** Gives back one attempt on each key (a success does not count as a guess). */
export async function refundAttempts(db: Db, keys: string[]): Promise<void> {
  await db
    .updateTable('attempts')
    .set((eb) => ({ count: eb('count', '-', 1) }))
    .where('key', 'in', keys)
    .where('count', '>', 0)
    .execute()
}

export async function deleteStaleAttempts(db: Db, now: number): Promise<void> {
  await db
    .deleteFrom('attempts')
    .where('reset_at', '<=', now)
    .where('blocked_until', '<=', now)
    .execute()
}
