import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import { lapsePendingLogins } from '../auth/queries.js'

/** Any 64-bit number unique to this job; it names the PostgreSQL advisory lock. */
export const SWEEP_LOCK_KEY = 7_301_990_412

/** On PostgreSQL, true if this transaction won the sweep lock (released at commit). */
export async function tryLockSweep(trx: Db): Promise<boolean> {
  const { rows } = await sql<{
    locked: boolean
  }>`select pg_try_advisory_xact_lock(${SWEEP_LOCK_KEY}) as locked`.execute(trx)
  return rows[0]?.locked === true
}

export async function expiredMessageIds(trx: Db, now: number): Promise<string[]> {
  const rows = await trx
    .selectFrom('messages')
    .select('id')
    .where('expires_at', 'is not', null)
    .where('expires_at', '<=', now)
    .limit(5000)
    .execute()
  return rows.map((r) => r.id)
}

export async function deleteStaleAuthRows(trx: Db, now: number, idleMs: number): Promise<void> {
  await lapsePendingLogins(trx, now)
  await trx
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - idleMs)]))
    .execute()
}
