import { acceptInvite, type ApiClient, inviteTokenFrom, setupAdministrator } from '@sealpost/core'
import type { TestServer } from './harness.js'

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
