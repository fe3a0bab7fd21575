import {
  type ApiClient,
  bytesSource,
  createApiClient,
  createRequest,
  type CreateRequestInput,
} from '@sealpost/core'
import { injectFetch, type TestServer } from './harness.js'
import type { Person } from './messages.js'

export const ORIGIN = 'http://sealpost.test'
export const HOUR = 3_600_000

/** Someone without an account: a client with no cookie, from `remoteAddress`. */
export function visitor(server: TestServer, remoteAddress?: string): ApiClient {
  return createApiClient({ baseUrl: ORIGIN, fetch: injectFetch(server.app, remoteAddress) })
}

/** A request of `requester`'s through the real client flow; a week, one answer, files allowed. */
export function createRequestOf(
  server: TestServer,
  requester: Person,
  options: Partial<Omit<CreateRequestInput, 'account' | 'me' | 'origin'>> & {
    expiresInMs?: number
  } = {},
) {
  const { expiresInMs, ...rest } = options
  return createRequest(requester.api, {
    origin: ORIGIN,
    account: requester.account,
    me: {
      displayName: requester.session.user.displayName,
      username: requester.session.user.username,
    },
    note: 'VPN password for the Berlin router',
    label: null,
    expiresAt: new Date(
      server.clock.now().getTime() + (expiresInMs ?? 7 * 24 * HOUR),
    ).toISOString(),
    maxAnswers: 1,
    allowFiles: true,
    ...rest,
  })
}

/** A file of `size` bytes that differ from one offset to the next. */
export function fileBytes(size: number, seed = 7): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size)
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) & 0xff
  return out
}

export const fileOf = (name: string, bytes: Uint8Array<ArrayBuffer>) =>
  bytesSource(name, 'application/octet-stream', bytes)
