import type { Db } from '../../db/database.js'

/** The user's live sessions (neither idle too long nor past their end), newest first. */
export async function listUserSessions(db: Db, userId: string, now: number, idleMs: number) {
  return db
    .selectFrom('sessions')
    .select(['id', 'public_id', 'user_agent', 'ip', 'created_at', 'last_seen_at'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .where('last_seen_at', '>', now - idleMs)
    .orderBy('last_seen_at', 'desc')
    .execute()
}

/** Deletes the user's session with this public id; answers its row id, or undefined. */
export async function deleteUserSession(
  db: Db,
  userId: string,
  publicId: string,
): Promise<string | undefined> {
  const row = await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('public_id', '=', publicId)
    .returning('id')
    .executeTakeFirst()
  return row?.id
}
