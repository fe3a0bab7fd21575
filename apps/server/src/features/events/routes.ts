import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { AppContext } from '../../app-context.js'
import { requireUser, signedInUser } from '../../http/auth.js'
import { AppError } from '../../http/errors.js'
import { findSessionUser } from '../auth/queries.js'
import { forgetStream, recordStream, refreshStream } from './queries.js'

const HEARTBEAT_MS = 25_000

/** GET /api/events: Server-Sent Events for the signed-in user (DESIGN.md §4). */
export function eventRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // Open streams in this process. A stream is a connection to one process, so its count
  // lives here; every process applies the same caps to its own connections.
  const perSession = new Map<string, number>()
  const perUser = new Map<string, number>()
  const { perSession: maxPerSession, perUser: maxPerUser } = ctx.config.streams
  const change = (counts: Map<string, number>, key: string, by: number) => {
    const next = (counts.get(key) ?? 0) + by
    if (next > 0) counts.set(key, next)
    else counts.delete(key)
  }

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
      async (request, reply) => {
        const user = signedInUser(request)
        if ((perSession.get(user.sessionId) ?? 0) >= maxPerSession) {
          throw new AppError(
            'rate_limited',
            `at most ${maxPerSession} open event streams per sign-in`,
            {
              retryAfter: 30,
            },
          )
        }
        if ((perUser.get(user.id) ?? 0) >= maxPerUser) {
          throw new AppError('rate_limited', `at most ${maxPerUser} open event streams per user`, {
            retryAfter: 30,
          })
        }
        // Written before the stream answers: once a client sees it open, every process knows
        // the user is online (new-message emails wait for them to be away).
        const streamId = crypto.randomUUID()
        await recordStream(ctx.db, streamId, user.id, ctx.clock.now().getTime())
        change(perSession, user.sessionId, 1)
        change(perUser, user.id, 1)
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
          for (const { id, event } of ctx.events.replay(user.id, lastEventId)) {
            if (event.type !== 'sessions.ended') send(id, event.type, event)
          }
        }
        const unsubscribe = ctx.events.subscribe(user.id, ({ id, event }) => {
          if (event.type !== 'sessions.ended') return send(id, event.type, event)
          if (!event.sessionIds || event.sessionIds.includes(user.sessionId)) res.end()
        })
        // Heartbeats keep proxies from closing the stream and end it once the session is gone.
        const heartbeat = setInterval(() => {
          void findSessionUser(
            ctx.db,
            user.sessionId,
            ctx.clock.now().getTime(),
            ctx.config.sessionIdleMs,
          )
            .then(async (still) => {
              if (!still) return res.end()
              res.write(': ping\n\n')
              await refreshStream(ctx.db, streamId, ctx.clock.now().getTime())
            })
            .catch(() => res.end())
        }, HEARTBEAT_MS)
        heartbeat.unref()
        let stopped = false
        const stop = () => {
          if (stopped) return
          stopped = true
          clearInterval(heartbeat)
          unsubscribe()
          change(perSession, user.sessionId, -1)
          change(perUser, user.id, -1)
          forgetStream(ctx.db, streamId).catch(() => undefined)
        }
        res.on('close', stop)
        res.on('error', stop)
      },
    )
  }
}
