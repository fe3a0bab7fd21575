import { AccountKeys, SealedEnvelope } from '@sealpost/core'
import type { Db } from '../../db/database.js'
import { parseJson } from '../../db/json.js'

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
    ...parseJson(AccountKeys, row.account_keys),
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

/** When the session signed in (a fresh session may make some changes without a new proof). */
export async function sessionCreatedAt(db: Db, sessionId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('sessions')
    .select('created_at')
    .where('id', '=', sessionId)
    .executeTakeFirst()
  return row?.created_at
}

export async function findRecoveryCodeDate(db: Db, userId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('recovery_codes')
    .select('created_at')
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return row?.created_at
}

/** Stores a new recovery code, replacing the user's earlier one. */
export async function replaceRecoveryCode(
  db: Db,
  code: { userId: string; verifier: string; wrappedAccountKey: SealedEnvelope; now: number },
): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', code.userId).execute()
  await db
    .insertInto('recovery_codes')
    .values({
      user_id: code.userId,
      verifier: code.verifier,
      wrapped_account_key: JSON.stringify(code.wrappedAccountKey),
      created_at: code.now,
    })
    .execute()
}

/** An active user's recovery code with what recovering needs, by username. */
export async function findRecovery(db: Db, username: string) {
  const row = await db
    .selectFrom('recovery_codes')
    .innerJoin('users', 'users.id', 'recovery_codes.user_id')
    .select([
      'users.id as userId',
      'users.account_keys as accountKeys',
      'recovery_codes.verifier',
      'recovery_codes.wrapped_account_key as wrappedAccountKey',
    ])
    .where('users.username', '=', username)
    .where('users.status', '=', 'active')
    .executeTakeFirst()
  if (!row?.accountKeys) return undefined
  return {
    userId: row.userId,
    verifier: row.verifier,
    keys: parseJson(AccountKeys, row.accountKeys),
    wrappedAccountKey: parseJson(SealedEnvelope, row.wrappedAccountKey),
  }
}

/** Spends the user's recovery code once: 1 when this call deleted it, 0 when it was gone. */
export async function spendRecoveryCode(db: Db, userId: string, verifier: string): Promise<number> {
  const result = await db
    .deleteFrom('recovery_codes')
    .where('user_id', '=', userId)
    .where('verifier', '=', verifier)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Whether the member gets new-message emails: their own choice, else the organisation's. */
export async function findNotifyByEmail(db: Db, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .innerJoin('org_settings', (join) => join.on('org_settings.id', '=', 1))
    .select(['users.notify_by_email', 'org_settings.default_notify_by_email'])
    .where('users.id', '=', userId)
    .executeTakeFirstOrThrow()
  return (row.notify_by_email ?? row.default_notify_by_email) === 1
}

export async function saveNotifyByEmail(db: Db, userId: string, on: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({ notify_by_email: on ? 1 : 0 })
    .where('id', '=', userId)
    .execute()
}
