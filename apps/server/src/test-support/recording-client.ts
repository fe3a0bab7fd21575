import { type ApiClient, createApiClient } from '@sealpost/core'
import { injectFetch, type TestServer } from './harness.js'

/** A state-changing request as a real client sent it, to be sent again by an attack test. */
export type RecordedRequest = {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  contentType: string | undefined
  body: string | Buffer | undefined
  /** Whether it went with a session cookie. */
  hadSession: boolean
  /** What the server answered the real client. */
  status: number
}

/**
 * An API client (own cookie jar) that records every request other than GET it sends, so a
 * test can replay exactly what the real flows send, with other credentials.
 */
export function recordingClient(server: TestServer): {
  api: ApiClient
  requests: RecordedRequest[]
} {
  const requests: RecordedRequest[] = []
  const inner = injectFetch(server.app)
  const api = createApiClient({
    baseUrl: 'http://sealpost.test',
    manageCookies: true,
    fetch: async (input, init) => {
      const response = await inner(input, init)
      const method = init.method.toUpperCase()
      if (method !== 'GET' && method !== 'HEAD') {
        const url = new URL(input)
        const headers = new Headers(init.headers)
        requests.push({
          method: method as RecordedRequest['method'],
          path: url.pathname + url.search,
          contentType: headers.get('content-type') ?? undefined,
          body:
            typeof init.body === 'string'
              ? init.body
              : init.body instanceof Uint8Array
                ? Buffer.from(init.body)
                : undefined,
          hadSession: headers.has('cookie'),
          status: response.status,
        })
      }
      return response
    },
  })
  return { api, requests }
}
