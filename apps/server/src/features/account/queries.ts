import type { AccountKeys, SealedEnvelope } from '@sealpost/core'
import type { Db } from '../../db/database.js'

/**
 * Swaps a user's OPAQUE record and the password wrap of their account key together; every
 * other key blob stays as it is (the account key does not change). Call inside a transaction.
 */
export async function replacePassword(
  trx: Db,
  change: { userId: string; opaqueRecord: string; wrappedAccountKey: SealedEnvelope; now: number },
): Promise<void> {
  const row = await trx
    .selectFrom('users')
    .select('account_keys')
    .where('id', '=', change.userId)
    .executeTakeFirst()
  if (!row?.account_keys) throw new Error(`user ${change.userId} has no keys`)
  const keys: AccountKeys = {
    ...(JSON.parse(row.account_keys) as AccountKeys),
    wrappedAccountKey: change.wrappedAccountKey,
  }
  await trx
    .updateTable('users')
    .set({
      opaque_record: change.opaqueRecord,
      account_keys: JSON.stringify(keys),
      updated_at: change.now,
    })
    .where('id', '=', change.userId)
    .execute()
}

/** Deletes every session of the user but `keepSessionId` (none when null); answers their ids. */
export async function deleteSessionsExcept(
  trx: Db,
  userId: string,
  keepSessionId: string | null,
): Promise<string[]> {
  let query = trx.deleteFrom('sessions').where('user_id', '=', userId)
  if (keepSessionId !== null) query = query.where('id', '!=', keepSessionId)
  const rows = await query.returning('id').execute()
  return rows.map((row) => row.id)
}
