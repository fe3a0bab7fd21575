import { CSRF_HEADER } from '@sealpost/core'
import { afterEach, describe, expect, it } from 'vitest'
import { setupAdmin } from '../test-support/accounts.js'
import { dialects, startTestServer, type TestServer } from '../test-support/harness.js'

describe.each(dialects)('a refused CSRF check on %s', (dialect) => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('tells a client whether the header was missing or held the wrong token', async () => {
    server = await startTestServer(dialect)
    const { api } = await setupAdmin(server)
    const cookie = api.session.cookie ?? ''
    const refusals = await Promise.all(
      [{ cookie }, { cookie, [CSRF_HEADER]: 'not-the-token' }].map(async (headers) => {
        const response = await server!.app.inject({
          method: 'POST',
          url: '/api/auth/logout',
          headers,
        })
        return { status: response.statusCode, ...response.json<{ error: object }>().error }
      }),
    )
    expect(refusals).toEqual([
      { status: 403, code: 'csrf_required', message: `missing ${CSRF_HEADER} header` },
      { status: 403, code: 'csrf_required', message: `invalid ${CSRF_HEADER} header` },
    ])
  })
})
