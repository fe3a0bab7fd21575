import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppContext } from '../../app-context.js'
import { requireUser, signedInUser } from '../../http/auth.js'
import { findSessionUser } from '../auth/queries.js'

const HEARTBEAT_MS = 25_000

/** GET /api/events: Server-Sent Events for the signed-in user (DESIGN.md §4). */
export function eventRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/events',
      {
        schema: {
          tags: ['events'],
          summary:
            'Server-Sent Events: message.created, message.read, message.deleted. Reconnect with Last-Event-ID.',
        },
        preHandler: requireUser,
      },
      (request, reply) => {
        const user = signedInUser(request)
        const lastEventId = Number(request.headers['last-event-id'] ?? NaN)
        reply.hijack()
        const res = reply.raw
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        })
        const send = (id: number, type: string, data: unknown) =>
          res.write(`id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`)
        res.write('retry: 3000\n: connected\n\n')
        if (Number.isFinite(lastEventId)) {
          for (const { id, event } of ctx.events.replay(user.id, lastEventId))
            send(id, event.type, event)
        }
        const unsubscribe = ctx.events.subscribe(user.id, ({ id, event }) =>
          send(id, event.type, event),
        )
        // Heartbeats keep proxies from closing the stream and end it once the session is gone.
        const heartbeat = setInterval(() => {
          void findSessionUser(
            ctx.db,
            user.sessionId,
            ctx.clock.now().getTime(),
            ctx.config.sessionIdleMs,
          )
            .then((still) => (still ? res.write(': ping\n\n') : res.end()))
            .catch(() => res.end())
        }, HEARTBEAT_MS)
        heartbeat.unref()
        const stop = () => {
          clearInterval(heartbeat)
          unsubscribe()
        }
        res.on('close', stop)
        res.on('error', stop)
      },
    )
  }
}
