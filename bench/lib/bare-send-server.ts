// Child-process entry of the send baseline (see startBareSend in servers.ts): a
// bare Fastify route that validates the same body as `PUT /api/messages/:id`
// with the same zod schema and inserts one row in one transaction, on SQLite
// with the server's settings. No session, policy, recipients or events.
import Database from 'better-sqlite3'
import { MessageIdParams, PutMessageRequest } from '@sealpost/core'
import Fastify from 'fastify'
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'

const [port, dbFile] = process.argv.slice(2)
if (!port || !dbFile) throw new Error('usage: bare-send-server <port> <db>')

const db = new Database(dbFile)
db.pragma('journal_mode = WAL')
db.pragma('synchronous = NORMAL')
db.exec('create table if not exists messages (id text primary key, envelope text, keys text)')
const insert = db.prepare('insert into messages (id, envelope, keys) values (?, ?, ?)')
const insertOne = db.transaction((id: string, envelope: string, keys: string) => {
  insert.run(id, envelope, keys)
})

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 }).withTypeProvider<ZodTypeProvider>()
app.setValidatorCompiler(validatorCompiler)
app.put(
  '/api/messages/:id',
  { schema: { params: MessageIdParams, body: PutMessageRequest } },
  (request, reply) => {
    const { envelope, keys } = request.body
    if (envelope.id !== request.params.id) return reply.code(400).send({ error: 'id' })
    insertOne(envelope.id, JSON.stringify(envelope), JSON.stringify(keys))
    return { id: envelope.id }
  },
)
app.get('/', () => ({ status: 'ok' }))
await app.listen({ port: Number(port), host: '127.0.0.1' })
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)))
