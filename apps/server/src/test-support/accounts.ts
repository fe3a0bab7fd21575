import { acceptInvite, type ApiClient, inviteTokenFrom, setupAdministrator } from '@sealpost/core'
import type { DatabaseSnapshot } from './database.js'
import type { Dialect } from '../db/database.js'
import { startTestServer, type TestServer } from './harness.js'

export const ADMIN_PASSWORD = 'admin password for tests'

export async function setupAdmin(server: TestServer, password = ADMIN_PASSWORD) {
  const api = server.client()
  const signedIn = await setupAdministrator(api, {
    username: 'admin',
    displayName: 'Ada Admin',
    email: 'ada@example.org',
    password,
  })
  return { api, ...signedIn }
}

export async function inviteAndAccept(
  server: TestServer,
  adminApi: ApiClient,
  username: string,
  password = `${username} password for tests`,
) {
  const invite = await adminApi.inviteUser({ username, email: `${username}@example.org` })
  const api = server.client()
  const signedIn = await acceptInvite(api, { token: inviteTokenFrom(invite.inviteUrl), password })
  return { api, password, invite, ...signedIn }
}

export type Admin = Awaited<ReturnType<typeof setupAdmin>>
export type Member = Awaited<ReturnType<typeof inviteAndAccept>>

type StartOptions = NonNullable<Parameters<typeof startTestServer>[1]>
type Cast = { snapshot: DatabaseSnapshot; admin: Admin; members: Member[] }

const casts = new Map<string, Promise<Cast>>()

/**
 * A server with the administrator and the members `usernames` signed in, as setupAdmin and
 * inviteAndAccept leave them. Creating an account runs OPAQUE's Argon2id (0.2 s), the bulk of
 * most tests' time; so a test file creates each cast once, keeps its database, and every test
 * starts on a copy of it, with the same people, keys and sessions and a fresh server.
 */
export async function startWithPeople<const Usernames extends readonly string[]>(
  dialect: Dialect,
  usernames: Usernames,
  options: Omit<StartOptions, 'from'> = {},
): Promise<{
  server: TestServer
  admin: Admin
  members: { -readonly [K in keyof Usernames]: Member }
}> {
  const key = JSON.stringify([dialect, usernames, options.env ?? {}])
  let cast = casts.get(key)
  if (!cast) {
    cast = createCast(dialect, usernames, options.env)
    casts.set(key, cast)
  }
  const { snapshot, admin, members } = await cast
  const server = await startTestServer(dialect, { ...options, from: snapshot })
  const signedIn = <P extends Admin | Member>(person: P): P => ({
    ...person,
    api: server.client({ session: person.api.session }),
  })
  return {
    server,
    admin: signedIn(admin),
    members: members.map(signedIn) as { -readonly [K in keyof Usernames]: Member },
  }
}

async function createCast(
  dialect: Dialect,
  usernames: readonly string[],
  env: Record<string, string> | undefined,
): Promise<Cast> {
  const server = await startTestServer(dialect, env ? { env } : {})
  const admin = await setupAdmin(server)
  const members: Member[] = []
  for (const username of usernames) members.push(await inviteAndAccept(server, admin.api, username))
  // Every test of the cast shares these objects: one that changed them would change the next.
  for (const person of [admin, ...members]) deepFreeze(person.session)
  return { snapshot: await server.keep(), admin, members }
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return
  Object.freeze(value)
  for (const inner of Object.values(value)) deepFreeze(inner)
}

/** Runs `fn` and returns the ApiError it must throw. */
export async function apiError(
  fn: () => Promise<unknown>,
): Promise<{ status: number; code: string; message: string }> {
  try {
    await fn()
  } catch (error) {
    const e = error as { status?: number; code?: string; message: string }
    if (typeof e.status === 'number' && typeof e.code === 'string') {
      return { status: e.status, code: e.code, message: e.message }
    }
    throw error
  }
  throw new Error('expected the call to fail, but it succeeded')
}
