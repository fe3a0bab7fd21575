// The inbox keyset query exactly as the server's listInbox
// (apps/server/src/features/messages/queries.ts) compiles it through Kysely
// for SQLite, run directly with better-sqlite3 as the database baseline.
import Database from 'better-sqlite3'
import { percentile, round } from './report.js'

const SELECT = `select "messages"."id", "messages"."envelope", "messages"."attachment_count" as "attachmentCount", "messages"."request_id" as "requestId", "message_recipients"."wrapped_key" as "wrappedKey", "message_recipients"."read_at" as "readAt", "sender"."id" as "senderId", "sender"."username" as "senderUsername", "sender"."display_name" as "senderDisplayName" from "message_recipients" inner join "messages" on "messages"."id" = "message_recipients"."message_id" inner join "users" as "sender" on "sender"."id" = "messages"."sender_id" where "message_recipients"."user_id" = ? and ("message_recipients"."expires_at" is null or "message_recipients"."expires_at" > ?) and "message_recipients"."in_inbox" = ? and "message_recipients"."deleted_at" is null`
const ORDER = ` order by "message_recipients"."sent_at" desc, "message_recipients"."message_id" desc limit ?`
export const FIRST_PAGE = SELECT + ORDER
export const DEEP_PAGE = `${SELECT} and "message_recipients"."sent_at" <= ? and ("message_recipients"."sent_at" < ? or ("message_recipients"."sent_at" = ? and "message_recipients"."message_id" < ?))${ORDER}`
/** The API's default page of 50, plus the one row that tells whether there is a next page. */
export const LIMIT = 51

export type Cursor = { sentAt: number; id: string }

/** The API's `before` cursor (encodeCursor in queries.ts). */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.sentAt}:${cursor.id}`).toString('base64url')
}

export type QueryTiming = {
  runs: number
  p50Ms: number
  p99Ms: number
  meanMs: number
  rows: number
  plan: string[]
}

/**
 * Times the first page and the page before `cursor`, each for up to `maxRuns`
 * runs or `seconds`, after a short warm-up; with each query's plan.
 */
export async function timeInboxQueries(
  dbFile: string,
  userId: string,
  cursor: Cursor,
  options: { maxRuns: number; seconds: number },
): Promise<{ firstPage: QueryTiming; deepPage: QueryTiming }> {
  const db = new Database(dbFile, { readonly: true })
  try {
    // The server's connection settings that matter for reads.
    db.pragma('busy_timeout = 5000')
    const now = Date.now()
    return {
      firstPage: await time(db, FIRST_PAGE, [userId, now, 1, LIMIT], options),
      deepPage: await time(
        db,
        DEEP_PAGE,
        [userId, now, 1, cursor.sentAt, cursor.sentAt, cursor.sentAt, cursor.id, LIMIT],
        options,
      ),
    }
  } finally {
    db.close()
  }
}

async function time(
  db: Database.Database,
  sql: string,
  params: unknown[],
  options: { maxRuns: number; seconds: number },
): Promise<QueryTiming> {
  const statement = db.prepare(sql)
  const plan = db
    .prepare(`explain query plan ${sql}`)
    .all(...params)
    .map((row) => (row as { detail: string }).detail)
  let rows = 0
  for (let i = 0; i < 20; i++) rows = statement.all(...params).length
  const times: number[] = []
  const deadline = performance.now() + options.seconds * 1000
  while (times.length < options.maxRuns && performance.now() < deadline) {
    // Let signals (Ctrl-C) through now and then, outside the timed part.
    if (times.length % 50 === 49) await new Promise((resolve) => setImmediate(resolve))
    const before = performance.now()
    statement.all(...params)
    times.push(performance.now() - before)
  }
  const mean = times.reduce((sum, ms) => sum + ms, 0) / Math.max(1, times.length)
  times.sort((a, b) => a - b)
  return {
    runs: times.length,
    p50Ms: round(percentile(times, 0.5), 3),
    p99Ms: round(percentile(times, 0.99), 3),
    meanMs: round(mean, 3),
    rows,
    plan,
  }
}
