// Child-process entry of the inbox baseline (see startBareInbox in servers.ts): a
// bare Fastify route that runs the server's inbox query with better-sqlite3 and
// answers the same JSON, with no session, hooks or response schema. What is
// left between it and Sealpost's route is the framework and our own code.
import Database from 'better-sqlite3'
import Fastify from 'fastify'
import { DEEP_PAGE, FIRST_PAGE, LIMIT } from './inbox-sql.js'

const [port, dbFile, userId] = process.argv.slice(2)
if (!port || !dbFile || !userId) throw new Error('usage: bare-inbox-server <port> <db> <userId>')

type Row = {
  id: string
  envelope: string
  attachmentCount: number
  requestId: string | null
  wrappedKey: string
  readAt: number | null
  senderId: string
  senderUsername: string
  senderDisplayName: string
}
type Envelope = {
  recipientIds: string[]
  sentAt: string
  expiresAt: string | null
  highPriority: boolean
  replyTo: string | null
  header: unknown
}

const db = new Database(dbFile, { readonly: true })
const firstPage = db.prepare<unknown[], Row>(FIRST_PAGE)
const deepPage = db.prepare<unknown[], Row>(DEEP_PAGE)

// The seeded inbox holds member messages only, so one shape is enough.
function summary(row: Row) {
  const envelope = JSON.parse(row.envelope) as Envelope
  return {
    id: row.id,
    key: JSON.parse(row.wrappedKey) as unknown,
    attachmentCount: row.attachmentCount,
    readAt: row.readAt === null ? null : new Date(row.readAt).toISOString(),
    origin: 'member',
    sender: { id: row.senderId, username: row.senderUsername, displayName: row.senderDisplayName },
    recipientIds: envelope.recipientIds,
    sentAt: envelope.sentAt,
    expiresAt: envelope.expiresAt,
    highPriority: envelope.highPriority,
    replyTo: envelope.replyTo,
    header: envelope.header,
  }
}

const app = Fastify({ logger: false })
app.get<{ Querystring: { before?: string } }>('/inbox', (request) => {
  const now = Date.now()
  let rows: Row[]
  const before = request.query.before
  if (before) {
    const [sentAt, id] = Buffer.from(before, 'base64url').toString().split(':')
    const at = Number(sentAt)
    rows = deepPage.all(userId, now, 1, at, at, at, id, LIMIT)
  } else {
    rows = firstPage.all(userId, now, 1, LIMIT)
  }
  const items = rows.slice(0, LIMIT - 1).map(summary)
  const last = items.at(-1)
  return {
    items,
    nextCursor:
      rows.length >= LIMIT && last
        ? Buffer.from(`${Date.parse(last.sentAt)}:${last.id}`).toString('base64url')
        : null,
  }
})
app.get('/', () => ({ status: 'ok' }))
await app.listen({ port: Number(port), host: '127.0.0.1' })
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)))
