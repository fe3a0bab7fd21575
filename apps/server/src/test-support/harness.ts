import fs from 'node:fs'
import {
  type ApiClient,
  createApiClient,
  type FetchLike,
  opaqueReady,
  opaqueServer,
} from '@sealpost/core'
import type { FastifyInstance } from 'fastify'
import { testDialects } from '../../../../scripts/postgres.mjs'
import { buildApp } from '../app.js'
import type { Clock } from '../app-context.js'
import { type Config, loadConfig } from '../config.js'
import { type Db, type Dialect, openDatabase } from '../db/database.js'
import { createPostgresEventBus, type EventBus } from '../features/events/bus.js'
import type { Mailer } from '../features/mail/mailer.js'
import { type DatabaseSnapshot, freshDatabase, snapshotOf } from './database.js'

/** Every database test runs on both (STYLE.md rule 13); SEALPOST_TEST_DIALECTS narrows it locally. */
export const dialects: Dialect[] = testDialects()

/** For what only PostgreSQL has (advisory locks, LISTEN/NOTIFY across processes): skipped when narrowed to SQLite. */
export const hasPostgres: boolean = dialects.includes('postgres')

/** A clock the test moves by hand, so expiry is tested without sleeping. */
export function movableClock(start = new Date('2026-11-25T09:00:00Z')) {
  let now = start.getTime()
  const clock: Clock & { advance(ms: number): void } = {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms
    },
  }
  return clock
}

export type TestServer = {
  app: FastifyInstance
  db: Db
  config: Config
  clock: ReturnType<typeof movableClock>
  dataDir: string
  /**
   * A fresh API client (its own cookie jar) talking to this app through inject(); with
   * `session`, signed in as that session (a client of a server this one was copied from).
   */
  client(options?: { remoteAddress?: string; session?: ClientSession }): ApiClient
  close(): Promise<void>
  /** Closes the server and keeps its database, for later servers to start from copies of it. */
  keep(): Promise<DatabaseSnapshot>
}

/** What an API client needs to go on with a session: its cookie and CSRF token. */
export type ClientSession = ApiClient['session']

let serverSetup: string | undefined

export async function startTestServer(
  dialect: Dialect,
  options: {
    env?: Record<string, string>
    logger?: unknown
    mailer?: Mailer
    /**
     * On PostgreSQL, deliver events through LISTEN/NOTIFY as main.ts does, instead of in
     * process. Delivery is then asynchronous: wait for events, never expect them at once.
     */
    listenNotify?: boolean
    /** Start on a copy of this database (a kept server's); by default an empty, migrated one. */
    from?: DatabaseSnapshot
  } = {},
): Promise<TestServer> {
  const fresh = await freshDatabase(dialect, options.from)
  const { dataDir, databaseUrl } = fresh
  const config = loadConfig({
    SEALPOST_DATA_DIR: dataDir,
    SEALPOST_PUBLIC_URL: 'http://sealpost.test',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...options.env,
  })
  const { db } = openDatabase({ databaseUrl, dataDir })
  await opaqueReady
  serverSetup ??= opaqueServer.createSetup()
  const clock = movableClock()
  let events: EventBus | undefined
  if (options.listenNotify && databaseUrl) {
    events = await createPostgresEventBus(databaseUrl, {
      error: (obj, msg) => console.error(msg, obj),
    })
  }
  const app = await buildApp({
    config,
    db,
    dialect,
    clock,
    opaqueServerSetup: serverSetup,
    logger: options.logger as never,
    ...(options.mailer ? { mailer: options.mailer } : {}),
    ...(events ? { events } : {}),
  })
  await app.ready()
  const stop = async () => {
    await app.close()
    await events?.close()
    await db.destroy()
  }
  return {
    app,
    db,
    config,
    clock,
    dataDir,
    client: (clientOptions) =>
      createApiClient({
        baseUrl: 'http://sealpost.test',
        manageCookies: true,
        fetch: injectFetch(app, clientOptions?.remoteAddress),
        ...clientOptions?.session,
      }),
    close: async () => {
      await stop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
    keep: async () => {
      await stop()
      return snapshotOf(fresh)
    },
  }
}

/** A fetch that goes through Fastify's inject(): the real routing, no socket. */
export function injectFetch(app: FastifyInstance, remoteAddress = '127.0.0.1'): FetchLike {
  return async (input, init) => {
    const url = new URL(input)
    const response = await app.inject({
      method: init.method as 'GET',
      url: url.pathname + url.search,
      headers: init.headers,
      payload: typeof init.body === 'string' ? init.body : init.body && Buffer.from(init.body),
      remoteAddress,
    })
    const out = new Headers()
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue
      for (const v of Array.isArray(value) ? value : [String(value)]) out.append(name, v)
    }
    return new Response(response.statusCode === 204 ? null : new Uint8Array(response.rawPayload), {
      status: response.statusCode,
      headers: out,
    })
  }
}

/** Raw request helper for attack tests: full control over headers and cookies. */
export async function rawRequest(
  app: FastifyInstance,
  request: {
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
    url: string
    body?: unknown
    cookie?: string
    csrf?: string
  },
) {
  const headers: Record<string, string> = {}
  if (request.body !== undefined) headers['content-type'] = 'application/json'
  if (request.cookie) headers.cookie = request.cookie
  if (request.csrf) headers['x-sealpost-csrf'] = request.csrf
  const response = await app.inject({
    method: request.method,
    url: request.url,
    headers,
    payload: request.body === undefined ? undefined : JSON.stringify(request.body),
  })
  return {
    status: response.statusCode,
    headers: response.headers,
    json: () =>
      response.json<{ error?: { code: string; message: string } } & Record<string, unknown>>(),
  }
}
