import type { Db, Dialect } from '../../db/database.js'

/**
 * The times of the emails sent for a member since `since`, oldest first, pruning older ones.
 * On PostgreSQL the member's row stays locked until the transaction ends, so concurrent
 * requests (from any process) count and record one after the other; SQLite transactions are
 * serialised already.
 */
export async function lockSentEmails(
  trx: Db,
  dialect: Dialect,
  userId: string,
  since: number,
): Promise<number[]> {
  let lock = trx.selectFrom('users').select('id').where('id', '=', userId)
  if (dialect === 'postgres') lock = lock.forUpdate()
  await lock.executeTakeFirst()
  await trx
    .deleteFrom('sent_emails')
    .where('user_id', '=', userId)
    .where('created_at', '<=', since)
    .execute()
  const rows = await trx
    .selectFrom('sent_emails')
    .select('created_at')
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute()
  return rows.map((r) => r.created_at)
}

export async function recordSentEmails(
  trx: Db,
  userId: string,
  count: number,
  now: number,
): Promise<void> {
  await trx
    .insertInto('sent_emails')
    .values(
      Array.from({ length: count }, () => ({
        id: crypto.randomUUID(),
        user_id: userId,
        created_at: now,
      })),
    )
    .execute()
}
