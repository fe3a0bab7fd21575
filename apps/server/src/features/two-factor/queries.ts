import { z } from 'zod'
import { resolvePolicy } from '@sealpost/core'
import type { Db } from '../../db/database.js'
import { effectivePolicy, ORG_SCOPE, orgPolicySettings, savePolicies } from '../policies/queries.js'
import type { StoredCredential } from './webauthn.js'
import { parseJson } from '../../db/json.js'

/** The WebAuthn transports a key reported at registration (usb, nfc, internal, …). */
const Transports = z.array(z.string())

export async function findTotp(db: Db, userId: string) {
  return db
    .selectFrom('totp_factors')
    .select(['secret', 'enabled', 'last_step', 'created_at'])
    .where('user_id', '=', userId)
    .executeTakeFirst()
}

/** A new, not yet confirmed secret; replaces an unconfirmed one, never a working one. */
export async function putPendingTotp(db: Db, userId: string, secret: string, now: number) {
  await db
    .deleteFrom('totp_factors')
    .where('user_id', '=', userId)
    .where('enabled', '=', 0)
    .execute()
  await db
    .insertInto('totp_factors')
    .values({ user_id: userId, secret, enabled: 0, last_step: 0, created_at: now })
    .execute()
}

/**
 * Takes a TOTP step for the user: true when this call moved `last_step` forward (so a code
 * is accepted once, even by two racing sign-ins), false for a step already used.
 */
export async function takeTotpStep(
  db: Db,
  userId: string,
  step: number,
  enable: boolean,
): Promise<boolean> {
  const result = await db
    .updateTable('totp_factors')
    .set({ last_step: step, ...(enable ? { enabled: 1 } : {}) })
    .where('user_id', '=', userId)
    .where('last_step', '<', step)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function replaceBackupCodes(db: Db, userId: string, hashes: string[]) {
  await db.deleteFrom('backup_codes').where('user_id', '=', userId).execute()
  await db
    .insertInto('backup_codes')
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash })))
    .execute()
}

/** Spends a backup code: true when this call deleted it. */
export async function spendBackupCode(db: Db, userId: string, hash: string): Promise<boolean> {
  const result = await db
    .deleteFrom('backup_codes')
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .executeTakeFirst()
  return Number(result.numDeletedRows) === 1
}

export async function countBackupCodes(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('backup_codes')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function listCredentials(
  db: Db,
  userId: string,
): Promise<Array<StoredCredential & { name: string; createdAt: number }>> {
  const rows = await db
    .selectFrom('webauthn_credentials')
    .select(['id', 'public_key', 'counter', 'transports', 'name', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute()
  return rows.map((row) => ({
    id: row.id,
    publicKey: row.public_key,
    counter: row.counter,
    transports: row.transports ? parseJson(Transports, row.transports) : [],
    name: row.name,
    createdAt: row.created_at,
  }))
}

export async function insertCredential(
  db: Db,
  userId: string,
  credential: StoredCredential & { name: string },
  now: number,
) {
  await db
    .insertInto('webauthn_credentials')
    .values({
      id: credential.id,
      user_id: userId,
      public_key: credential.publicKey,
      counter: credential.counter,
      transports: JSON.stringify(credential.transports),
      name: credential.name,
      created_at: now,
    })
    .execute()
}

export async function updateCounter(db: Db, id: string, counter: number) {
  await db.updateTable('webauthn_credentials').set({ counter }).where('id', '=', id).execute()
}

/** Removes every second factor of the user (TOTP, backup codes, security keys). */
export async function deleteFactors(db: Db, userId: string) {
  await db.deleteFrom('totp_factors').where('user_id', '=', userId).execute()
  await db.deleteFrom('backup_codes').where('user_id', '=', userId).execute()
  await db.deleteFrom('webauthn_credentials').where('user_id', '=', userId).execute()
}

/** Whether `userId`'s effective policy requires two-factor (requireTwoFactor). */
export async function isTwoFactorRequired(db: Db, userId: string): Promise<boolean> {
  return (await effectivePolicy(db, userId)).requireTwoFactor.value
}

/** The organisation's requireTwoFactor (what a user without an override of their own gets). */
export async function isTwoFactorRequiredByOrg(db: Db): Promise<boolean> {
  return resolvePolicy({ org: await orgPolicySettings(db) }).requireTwoFactor.value
}

export async function setTwoFactorRequired(db: Db, required: boolean, now: number) {
  await savePolicies(db, ORG_SCOPE, { requireTwoFactor: required }, now)
}

/** A user who set up a second factor: their sign-ins are no longer restricted. */
export async function clearTwoFactorRestriction(db: Db, userId: string) {
  await db
    .updateTable('sessions')
    .set({ needs_two_factor: 0 })
    .where('user_id', '=', userId)
    .execute()
}

export async function sessionNeedsTwoFactor(db: Db, sessionId: string): Promise<boolean> {
  const row = await db
    .selectFrom('sessions')
    .select('needs_two_factor')
    .where('id', '=', sessionId)
    .executeTakeFirst()
  return row?.needs_two_factor === 1
}

export async function insertSecondFactorLogin(
  db: Db,
  login: {
    tokenHash: string
    userId: string
    webauthnChallenge: string | null
    now: number
    expiresAt: number
  },
) {
  await db.deleteFrom('second_factor_logins').where('expires_at', '<=', login.now).execute()
  await db
    .insertInto('second_factor_logins')
    .values({
      token_hash: login.tokenHash,
      user_id: login.userId,
      webauthn_challenge: login.webauthnChallenge,
      failures: 0,
      expires_at: login.expiresAt,
    })
    .execute()
}

export async function findSecondFactorLogin(db: Db, tokenHash: string, now: number) {
  return db
    .selectFrom('second_factor_logins')
    .innerJoin('users', 'users.id', 'second_factor_logins.user_id')
    .select([
      'second_factor_logins.user_id as userId',
      'users.username',
      'second_factor_logins.webauthn_challenge as webauthnChallenge',
      'second_factor_logins.failures',
    ])
    .where('second_factor_logins.token_hash', '=', tokenHash)
    .where('second_factor_logins.expires_at', '>', now)
    .where('users.status', '=', 'active')
    .executeTakeFirst()
}

/** Counts a wrong answer; the sign-in is dropped after `max` of them. */
export async function failSecondFactorLogin(db: Db, tokenHash: string, max: number) {
  await db
    .updateTable('second_factor_logins')
    .set((eb) => ({ failures: eb('failures', '+', 1) }))
    .where('token_hash', '=', tokenHash)
    .execute()
  await db
    .deleteFrom('second_factor_logins')
    .where('token_hash', '=', tokenHash)
    .where('failures', '>=', max)
    .execute()
}

/** Takes the sign-in once: true when this call deleted it. */
export async function takeSecondFactorLogin(db: Db, tokenHash: string): Promise<boolean> {
  const result = await db
    .deleteFrom('second_factor_logins')
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst()
  return Number(result.numDeletedRows) === 1
}

export async function putRegistrationChallenge(
  db: Db,
  sessionId: string,
  challenge: string,
  expiresAt: number,
) {
  await db.deleteFrom('webauthn_registrations').where('session_id', '=', sessionId).execute()
  await db
    .insertInto('webauthn_registrations')
    .values({ session_id: sessionId, challenge, expires_at: expiresAt })
    .execute()
}

/** The session's pending registration challenge, taken once. */
export async function takeRegistrationChallenge(db: Db, sessionId: string, now: number) {
  const row = await db
    .deleteFrom('webauthn_registrations')
    .where('session_id', '=', sessionId)
    .returning(['challenge', 'expires_at'])
    .executeTakeFirst()
  return row && row.expires_at > now ? row.challenge : undefined
}
