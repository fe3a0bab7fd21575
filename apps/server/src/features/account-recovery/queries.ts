import { AccountKeys, Base64Url, RecoveryBox, SealedEnvelope } from '@sealpost/core'
import type { Db } from '../../db/database.js'
import { parseJson } from '../../db/json.js'

export async function findRecoveryKey(db: Db) {
  const row = await db
    .selectFrom('org_recovery_keys')
    .select(['key_id', 'public_key', 'signer_id', 'signature'])
    .where('id', '=', 1)
    .executeTakeFirst()
  return (
    row && {
      keyId: row.key_id,
      publicKey: Base64Url.parse(row.public_key),
      signerId: row.signer_id,
      signature: row.signature === null ? null : Base64Url.parse(row.signature),
    }
  )
}

/** Turns account recovery on; false when another administrator did first. */
export async function insertRecoveryKey(
  db: Db,
  key: { keyId: string; publicKey: string; signature: string; createdBy: string; now: number },
): Promise<boolean> {
  const result = await db
    .insertInto('org_recovery_keys')
    .values({
      id: 1,
      key_id: key.keyId,
      public_key: key.publicKey,
      created_by: key.createdBy,
      created_at: key.now,
      // The enabling administrator signs the key; only their signature is accepted.
      signer_id: key.createdBy,
      signature: key.signature,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1
}

export async function putShare(db: Db, adminId: string, keyId: string, box: RecoveryBox) {
  await db.deleteFrom('recovery_shares').where('admin_id', '=', adminId).execute()
  await db
    .insertInto('recovery_shares')
    .values({ admin_id: adminId, key_id: keyId, box: JSON.stringify(box) })
    .execute()
}

export async function findShare(db: Db, adminId: string) {
  const row = await db
    .selectFrom('recovery_shares')
    .select(['key_id', 'box'])
    .where('admin_id', '=', adminId)
    .executeTakeFirst()
  return row && { keyId: row.key_id, box: parseJson(RecoveryBox, row.box) }
}

export async function putEscrow(
  db: Db,
  escrow: { userId: string; keyId: string; box: RecoveryBox; now: number },
) {
  await db.deleteFrom('recovery_escrows').where('user_id', '=', escrow.userId).execute()
  await db
    .insertInto('recovery_escrows')
    .values({
      user_id: escrow.userId,
      key_id: escrow.keyId,
      box: JSON.stringify(escrow.box),
      created_at: escrow.now,
    })
    .execute()
}

export async function findEscrow(db: Db, userId: string, keyId: string) {
  const row = await db
    .selectFrom('recovery_escrows')
    .select(['key_id', 'box'])
    .where('user_id', '=', userId)
    .where('key_id', '=', keyId)
    .executeTakeFirst()
  return row && { keyId: row.key_id, box: parseJson(RecoveryBox, row.box) }
}

export async function listEnrolled(db: Db, keyId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('recovery_escrows')
    .select('user_id')
    .where('key_id', '=', keyId)
    .execute()
  return rows.map((row) => row.user_id)
}

/** Stores a reset link for the user; only the newest one works. */
export async function replaceReset(
  db: Db,
  reset: {
    id: string
    userId: string
    verifier: string
    wrappedAccountKey: SealedEnvelope
    createdBy: string
    now: number
    expiresAt: number
  },
) {
  await db.deleteFrom('password_resets').where('user_id', '=', reset.userId).execute()
  await db
    .insertInto('password_resets')
    .values({
      id: reset.id,
      user_id: reset.userId,
      verifier: reset.verifier,
      wrapped_account_key: JSON.stringify(reset.wrappedAccountKey),
      created_by: reset.createdBy,
      created_at: reset.now,
      expires_at: reset.expiresAt,
    })
    .execute()
}

/** A live reset with what the user's client needs; undefined for unknown, used or expired. */
export async function findReset(db: Db, id: string, now: number) {
  const row = await db
    .selectFrom('password_resets')
    .innerJoin('users', 'users.id', 'password_resets.user_id')
    .select([
      'password_resets.user_id as userId',
      'password_resets.verifier',
      'password_resets.wrapped_account_key as wrappedAccountKey',
      'users.username',
      'users.account_keys as accountKeys',
    ])
    .where('password_resets.id', '=', id)
    .where('password_resets.expires_at', '>', now)
    .where('users.status', '=', 'active')
    .executeTakeFirst()
  if (!row?.accountKeys) return undefined
  return {
    userId: row.userId,
    username: row.username,
    verifier: row.verifier,
    keys: parseJson(AccountKeys, row.accountKeys),
    wrappedAccountKey: parseJson(SealedEnvelope, row.wrappedAccountKey),
  }
}

/** Spends a reset link: true when this call deleted it. */
export async function spendReset(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('password_resets').where('id', '=', id).executeTakeFirst()
  return Number(result.numDeletedRows) === 1
}
