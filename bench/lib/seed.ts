// Seeds a migrated Sealpost SQLite database directly with better-sqlite3: users
// with real X25519 public keys but no OPAQUE record (they never sign in),
// sessions for them, and messages with valid-looking sealed envelopes that
// nobody will decrypt. Run only while the server is stopped.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { statSync } from 'node:fs'
import { Base64Url, toBase64Url } from '@sealpost/core'
import { generateX25519KeyPair } from '@sealpost/core/primitives'
import Database from 'better-sqlite3'
import { round } from './report.js'

export type SeedPlan = {
  /** Messages from `senderId`, each to the member and `recipientsPerMessage - 1` seeded users. */
  messages: number
  recipientsPerMessage: number
  users: number
  sessionsPerUser: number
  /** Where the deep-page cursor points, as a fraction of the member's inbox from the top. */
  deepFraction: number
}

export type SeededUser = { id: string; x25519PublicKey: Base64Url; cookies: string[] }

export type SeedResult = {
  seconds: number
  users: number
  sessions: number
  messages: number
  /** in_inbox = 1 rows, for the member and the seeded users. */
  inboxRows: number
  /** The sender's own key row per message (in_inbox = 0), as a real send writes. */
  senderRows: number
  memberInboxRows: number
  dbMiB: number
  deepCursor: { sentAt: number; id: string; position: number }
  seeded: SeededUser[]
}

const DAY_MS = 86_400_000
const b64 = (bytes: number) => toBase64Url(randomBytes(bytes))
/** Random strings to pick from: content that is never opened need not be unique. */
const pool = <T>(size: number, make: () => T): T[] => Array.from({ length: size }, make)

export async function seedDatabase(
  dbFile: string,
  people: { senderId: string; memberId: string },
  plan: SeedPlan,
): Promise<SeedResult> {
  const started = performance.now()
  const now = Date.now()
  const seeded: Array<SeededUser & { tokenIds: string[]; username: string; keys: string }> = []
  for (let u = 0; u < plan.users; u++) {
    const { publicKey } = await generateX25519KeyPair()
    const sealed = () => ({ v: 1, iv: b64(12), ct: b64(48) })
    const tokens = pool(plan.sessionsPerUser, () => randomBytes(32).toString('base64url'))
    seeded.push({
      id: randomUUID(),
      username: `bench-user-${String(u).padStart(4, '0')}`,
      x25519PublicKey: Base64Url.parse(toBase64Url(publicKey)),
      keys: JSON.stringify({
        x25519PublicKey: toBase64Url(publicKey),
        ed25519PublicKey: b64(32),
        wrappedAccountKey: sealed(),
        wrappedX25519PrivateKey: sealed(),
        wrappedEd25519PrivateKey: sealed(),
        wrappedUserVaultKey: sealed(),
      }),
      cookies: tokens.map((token) => `sealpost=${token}`),
      tokenIds: tokens.map((token) => createHash('sha256').update(token).digest('hex')),
    })
  }

  // Sealed parts sized like a short subject and a 1 KiB body (plaintext + 16-byte tag).
  const headers = pool(256, () => ({ v: 1, iv: b64(12), ct: b64(40 + 16) }))
  const bodies = pool(256, () => ({ v: 1, iv: b64(12), ct: b64(1024 + 16) }))
  const signatures = pool(256, () => b64(64))
  const boxes = pool(256, () => JSON.stringify({ enc: b64(32), ct: b64(32 + 16) }))

  const db = new Database(dbFile)
  // Bulk-load settings for this connection only; the server sets its own on open.
  db.pragma('journal_mode = OFF')
  db.pragma('synchronous = OFF')
  db.pragma('foreign_keys = OFF')
  db.pragma('cache_size = -262144')
  const insertUser = db.prepare(
    `insert into users (id, username, display_name, email, role, status, opaque_record,
       account_keys, created_at, updated_at)
     values (?, ?, ?, ?, 'member', 'active', null, ?, ?, ?)`,
  )
  const insertSession = db.prepare(
    `insert into sessions (id, user_id, created_at, last_seen_at, expires_at) values (?, ?, ?, ?, ?)`,
  )
  const insertMessage = db.prepare(
    `insert into messages (id, sender_id, sent_at, expires_at, high_priority, reply_to, thread_id,
       attachment_count, size_bytes, envelope, created_at)
     values (?, ?, ?, ?, ?, null, ?, 0, 0, ?, ?)`,
  )
  const insertRecipient = db.prepare(
    `insert into message_recipients (message_id, user_id, in_inbox, wrapped_key, sent_at,
       expires_at, high_priority, read_at, deleted_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )

  const others = plan.recipientsPerMessage - 1
  const deepIndex = Math.floor(plan.messages * plan.deepFraction)
  let deepCursor = { sentAt: 0, id: '', position: deepIndex }
  let sessions = 0
  let inboxRows = 0
  let memberInboxRows = 0
  // Newest first, a minute apart, ending an hour ago.
  const newest = now - 3_600_000
  // One transaction, opened by hand so the loop can yield: Ctrl-C is handled
  // (and the temp dir removed) within a batch instead of after the whole load.
  db.exec('begin')
  for (const user of seeded) {
    insertUser.run(
      user.id,
      user.username,
      `Bench User ${user.username.slice(-4)}`,
      `${user.username}@example.test`,
      user.keys,
      now,
      now,
    )
    for (const tokenId of user.tokenIds) {
      insertSession.run(tokenId, user.id, now, now, now + 7 * DAY_MS)
      sessions++
    }
  }
  for (let i = 0; i < plan.messages; i++) {
    if (i % 5000 === 4999) await new Promise((resolve) => setImmediate(resolve))
    const id = randomUUID()
    const sentAt = newest - i * 60_000
    if (i === deepIndex) deepCursor = { sentAt, id, position: i }
    // A realistic mix: every 10th message expires in 30 days, every 50th was
    // removed from the inboxes, all but the newest 1,000 were read.
    const expiresAt = i % 10 === 3 ? now + 30 * DAY_MS : null
    const deletedAt = i % 50 === 7 ? sentAt + 120_000 : null
    const readAt = i >= 1000 ? sentAt + 60_000 : null
    const highPriority = i % 500 === 0
    const recipientIds = [people.memberId]
    for (let k = 0; k < others; k++) {
      const user = seeded[(i * others + k) % seeded.length]
      if (user) recipientIds.push(user.id)
    }
    const envelope = {
      v: 1,
      id,
      senderId: people.senderId,
      recipientIds,
      sentAt: new Date(sentAt).toISOString(),
      expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
      highPriority,
      replyTo: null,
      header: headers[i % headers.length],
      body: bodies[i % bodies.length],
      attachments: [],
      signature: signatures[i % signatures.length],
    }
    const priority = highPriority ? 1 : 0
    insertMessage.run(
      id,
      people.senderId,
      sentAt,
      expiresAt,
      priority,
      id,
      JSON.stringify(envelope),
      sentAt,
    )
    for (const [k, userId] of recipientIds.entries()) {
      const box = boxes[(i + k) % boxes.length]
      insertRecipient.run(id, userId, 1, box, sentAt, expiresAt, priority, readAt, deletedAt)
      inboxRows++
    }
    memberInboxRows++
    insertRecipient.run(
      id,
      people.senderId,
      0,
      boxes[i % boxes.length],
      sentAt,
      expiresAt,
      priority,
      sentAt,
      null,
    )
  }
  db.exec('commit')
  db.pragma('journal_mode = WAL')
  db.close()

  return {
    seconds: round((performance.now() - started) / 1000, 1),
    users: seeded.length,
    sessions,
    messages: plan.messages,
    inboxRows,
    senderRows: plan.messages,
    memberInboxRows,
    dbMiB: round(statSync(dbFile).size / 2 ** 20, 1),
    deepCursor,
    seeded: seeded.map(({ id, x25519PublicKey, cookies }) => ({ id, x25519PublicKey, cookies })),
  }
}
