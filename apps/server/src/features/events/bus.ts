import type { LiveEvent } from '@sealpost/core'
import pg from 'pg'

/**
 * Server-internal: the user's sessions (all of them, or the listed ones) ended, so their
 * event streams close at once instead of at the next heartbeat. Never sent to clients.
 */
export type SessionsEnded = { type: 'sessions.ended'; sessionIds?: string[] }
export type BusEvent = LiveEvent | SessionsEnded

export type DeliveredEvent = { id: number; event: BusEvent }
type Listener = (delivered: DeliveredEvent) => void
type Published = { id: number; userIds: string[]; event: BusEvent }

/** Recent events kept for reconnecting clients (Last-Event-ID). */
const REPLAY_SIZE = 2000
/** pg_notify payloads must stay under 8000 bytes; a UUID is 36 characters. */
const USERS_PER_NOTIFY = 150
const CHANNEL = 'sealpost_events'

/**
 * Fans message events out to the signed-in users' event streams. In one process
 * (SQLite) delivery is direct; on PostgreSQL every process LISTENs, so events
 * published by one server reach clients connected to another.
 */
export type EventBus = {
  publish(userIds: string[], event: BusEvent): Promise<void>
  subscribe(userId: string, listener: Listener): () => void
  /** Events for `userId` published after `lastId`, oldest first. */
  replay(userId: string, lastId: number): DeliveredEvent[]
  subscriberCount(): number
  close(): Promise<void>
}

function createLocalFanout() {
  const listeners = new Map<string, Set<Listener>>()
  const recent: Published[] = []
  let counter = 0
  return {
    nextId: () => Date.now() * 1000 + (counter++ % 1000),
    deliver: (published: Published) => {
      recent.push(published)
      if (recent.length > REPLAY_SIZE) recent.splice(0, recent.length - REPLAY_SIZE)
      for (const userId of published.userIds) {
        for (const listener of listeners.get(userId) ?? []) {
          listener({ id: published.id, event: published.event })
        }
      }
    },
    subscribe: (userId: string, listener: Listener) => {
      let set = listeners.get(userId)
      if (!set) listeners.set(userId, (set = new Set()))
      set.add(listener)
      return () => {
        set.delete(listener)
        if (set.size === 0) listeners.delete(userId)
      }
    },
    replay: (userId: string, lastId: number) =>
      recent
        .filter((p) => p.id > lastId && p.userIds.includes(userId))
        .map((p) => ({ id: p.id, event: p.event })),
    subscriberCount: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
  }
}

export function createLocalEventBus(): EventBus {
  const fanout = createLocalFanout()
  return {
    publish: async (userIds, event) =>
      fanout.deliver({ id: fanout.nextId(), userIds: [...new Set(userIds)], event }),
    subscribe: fanout.subscribe,
    replay: fanout.replay,
    subscriberCount: fanout.subscriberCount,
    close: async () => {},
  }
}

/** LISTEN/NOTIFY bus; delivery happens only through the notification, also for our own events. */
export async function createPostgresEventBus(
  databaseUrl: string,
  log: { error(obj: unknown, msg: string): void },
): Promise<EventBus> {
  const fanout = createLocalFanout()
  let closed = false
  let listener: pg.Client | undefined
  const publisher = new pg.Pool({ connectionString: databaseUrl, max: 2 })

  async function connect(): Promise<void> {
    const client = new pg.Client({ connectionString: databaseUrl })
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return
      try {
        fanout.deliver(JSON.parse(message.payload) as Published)
      } catch (error) {
        log.error({ err: error }, 'bad event notification')
      }
    })
    client.on('error', (error) => {
      log.error({ err: error }, 'event listener connection failed; reconnecting')
      void client.end().catch(() => {})
      if (!closed) setTimeout(() => void connect().catch(() => {}), 1000).unref()
    })
    await client.connect()
    await client.query(`LISTEN ${CHANNEL}`)
    listener = client
  }
  await connect()

  return {
    async publish(userIds, event) {
      const unique = [...new Set(userIds)]
      const id = fanout.nextId()
      for (let i = 0; i < unique.length; i += USERS_PER_NOTIFY) {
        const payload: Published = { id, userIds: unique.slice(i, i + USERS_PER_NOTIFY), event }
        await publisher.query('select pg_notify($1, $2)', [CHANNEL, JSON.stringify(payload)])
      }
    },
    subscribe: fanout.subscribe,
    replay: fanout.replay,
    subscriberCount: fanout.subscriberCount,
    async close() {
      closed = true
      await listener?.end()
      await publisher.end()
    },
  }
}
