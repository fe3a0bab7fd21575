import { type AuditClient, type NewAuditEvent, recordAuditEvents } from '../audit/queries.js'
import type { Db } from '../../db/database.js'
import type { PendingLoginPurpose } from '../../db/schema.js'

export type SessionUser = {
  sessionId: string
  id: string
  username: string
  displayName: string
  email: string
  role: 'admin' | 'member'
  /** Only setting up a second factor is allowed until this sign-in has one. */
  needsTwoFactor: boolean
}

export async function insertSession(
  db: Db,
  session: {
    id: string
    userId: string
    now: number
    expiresAt: number
    userAgent: string | null
    ip: string | null
    /** The organisation requires two-factor and the user has none yet. */
    needsTwoFactor?: boolean
  },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: session.id,
      user_id: session.userId,
      created_at: session.now,
      last_seen_at: session.now,
      expires_at: session.expiresAt,
      public_id: crypto.randomUUID(),
      user_agent: session.userAgent,
      ip: session.ip,
      needs_two_factor: session.needsTwoFactor ? 1 : 0,
    })
    .execute()
}

/** The active user behind a session that is neither idle too long nor past its absolute end. */
export async function findSessionUser(
  db: Db,
  sessionId: string,
  now: number,
  idleMs: number,
): Promise<(SessionUser & { lastSeenAt: number }) | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as sessionId',
      'sessions.last_seen_at as lastSeenAt',
      'users.id',
      'users.username',
      'users.display_name as displayName',
      'users.email',
      'users.role',
      'sessions.needs_two_factor',
    ])
    .where('sessions.id', '=', sessionId)
    .where('sessions.expires_at', '>', now)
    .where('sessions.last_seen_at', '>', now - idleMs)
    .where('users.status', '=', 'active')
    .executeTakeFirst()
  if (!row) return undefined
  const { needs_two_factor, ...rest } = row
  return { ...rest, needsTwoFactor: needs_two_factor === 1 }
}

export async function touchSession(db: Db, sessionId: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', sessionId).execute()
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute()
}

export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute()
}

/** A user's OPAQUE record and keys, by username, for login. */
export async function findLoginUser(db: Db, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'status', 'opaque_record'])
    .where('username', '=', username)
    .executeTakeFirst()
}

export async function insertPendingLogin(
  db: Db,
  login: {
    id: string
    username: string
    userId: string | null
    serverState: string
    expiresAt: number
    now: number
    client: AuditClient
    purpose: PendingLoginPurpose
  },
): Promise<void> {
  await lapsePendingLogins(db, login.now)
  await db
    .insertInto('pending_logins')
    .values({
      id: login.id,
      username: login.username,
      user_id: login.userId,
      server_state: login.serverState,
      expires_at: login.expiresAt,
      ip: login.client.ip,
      user_agent: login.client.userAgent,
      purpose: login.purpose,
    })
    .execute()
}

/**
 * Ends sign-ins started and never finished. With OPAQUE a wrong password is noticed by the
 * client, which then sends nothing more, so this is how the server learns of it: each one is a
 * `login.failed` in the audit log. DELETE … RETURNING hands each row to one deleter only.
 */
export async function lapsePendingLogins(db: Db, now: number): Promise<void> {
  const lapse = async (trx: Db) => {
    const lapsed = await trx
      .deleteFrom('pending_logins')
      .where('expires_at', '<=', now)
      .returning(['username', 'user_id', 'ip', 'user_agent', 'expires_at', 'purpose'])
      .execute()
    await recordAuditEvents(
      trx,
      lapsed.map((row) => lapsedLogin(row, now)),
    )
  }
  if (db.isTransaction) await lapse(db)
  else await db.transaction().execute(lapse)
}

/**
 * The audit event of a login started and never finished in time: a failed sign-in, or, when a
 * signed-in user was proving their password again, that user's own failed proof.
 */
function lapsedLogin(
  row: {
    username: string
    user_id: string | null
    ip: string | null
    user_agent: string | null
    purpose: PendingLoginPurpose
  },
  now: number,
): NewAuditEvent {
  const client = { ip: row.ip, userAgent: row.user_agent }
  if (row.purpose === 'password_proof') {
    return {
      actorId: row.user_id,
      action: 'account.password_proof_failed',
      targetId: row.user_id,
      now,
      client,
      details: { reason: 'not finished' },
    }
  }
  return {
    actorId: null,
    action: 'login.failed',
    targetId: row.user_id,
    now,
    client,
    details: { username: row.username, reason: 'not finished' },
  }
}

/**
 * Takes a pending login once: it is deleted whether or not it is still valid. One taken too
 * late is recorded as lapsed, as the sweep would have: finishing it late hides no failure.
 */
export async function takePendingLogin(
  db: Db,
  login: { id: string; purpose: PendingLoginPurpose },
  now: number,
) {
  return db.transaction().execute(async (trx) => {
    // A proof's login cannot finish a sign-in, nor a sign-in's stand as a proof.
    const row = await trx
      .deleteFrom('pending_logins')
      .where('id', '=', login.id)
      .where('purpose', '=', login.purpose)
      .returning([
        'id',
        'username',
        'user_id',
        'server_state',
        'expires_at',
        'ip',
        'user_agent',
        'purpose',
      ])
      .executeTakeFirst()
    if (!row) return undefined
    if (row.expires_at > now) return row
    await recordAuditEvents(trx, [lapsedLogin(row, now)])
    return undefined
  })
}
