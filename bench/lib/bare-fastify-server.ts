// Child-process entry of the baseline server (see startBareFastify in servers.ts):
// the least a Fastify JSON route can cost on this machine.
import Fastify from 'fastify'

const port = Number(process.argv[2])
const app = Fastify({ logger: false })
app.get('/', () => ({ status: 'ok' }))
await app.listen({ port, host: '127.0.0.1' })
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)))
