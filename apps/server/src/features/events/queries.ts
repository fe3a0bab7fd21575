import type { Db } from '../../db/database.js'

/** A stream's heartbeat refreshes it every 25 s; missing two beats and more, it is gone. */
export const STREAM_FRESH_MS = 60_000

/**
 * Open event streams, in the database so that every server process knows who has the app
 * open (PostgreSQL runs several). A stream's heartbeat refreshes its row and closing removes
 * it; a process that dies leaves rows that stop counting once they are older than the window.
 */
export async function recordStream(db: Db, id: string, userId: string, now: number) {
  await db.insertInto('event_streams').values({ id, user_id: userId, seen_at: now }).execute()
}

export async function refreshStream(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable('event_streams').set({ seen_at: now }).where('id', '=', id).execute()
}

export async function forgetStream(db: Db, id: string): Promise<void> {
  await db.deleteFrom('event_streams').where('id', '=', id).execute()
}

/** Those of `userIds` with a stream seen after `since`. */
export async function usersWithOpenStreams(
  db: Db,
  userIds: string[],
  since: number,
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set()
  const rows = await db
    .selectFrom('event_streams')
    .select('user_id')
    .distinct()
    .where('user_id', 'in', userIds)
    .where('seen_at', '>', since)
    .execute()
  return new Set(rows.map((r) => r.user_id))
}

/** Rows left by processes that died mid-stream. */
export async function pruneStreams(db: Db, before: number): Promise<void> {
  await db.deleteFrom('event_streams').where('seen_at', '<=', before).execute()
}
