import { createRecoveryCode, signIn } from '@sealpost/core'
import type { FastifyRequest } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { apiError, inviteAndAccept, setupAdmin } from '../test-support/accounts.js'
import { dialects, rawRequest, startTestServer, type TestServer } from '../test-support/harness.js'
import { signedInUser } from './auth.js'

describe.each(dialects)('session checks on %s', (dialect) => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('names the cookie __Host-sealpost and marks it Secure when served over TLS', async () => {
    server = await startTestServer(dialect, {
      env: { SEALPOST_PUBLIC_URL: 'https://sealpost.test' },
    })
    const setup = await setupAdmin(server)
    const cookie = setup.api.session.cookie ?? ''
    expect(cookie).toMatch(/^__Host-sealpost=[A-Za-z0-9_-]{43}$/)
    expect(
      (await rawRequest(server.app, { method: 'GET', url: '/api/auth/session', cookie })).status,
    ).toBe(200)
    // The same token under the plain name is not a session on a TLS server.
    const plain = cookie.replace('__Host-sealpost=', 'sealpost=')
    expect(
      (await rawRequest(server.app, { method: 'GET', url: '/api/auth/session', cookie: plain }))
        .status,
    ).toBe(401)
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, 'x-sealpost-csrf': setup.session.csrfToken },
    })
    expect(String(login.headers['set-cookie'])).toMatch(/^__Host-sealpost=;.*Secure/)
  })

  it('names the cookie sealpost without Secure over plain HTTP', async () => {
    server = await startTestServer(dialect)
    const setup = await setupAdmin(server)
    expect(setup.api.session.cookie).toMatch(/^sealpost=[A-Za-z0-9_-]{43}$/)
    const logout = await server.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: {
        cookie: setup.api.session.cookie ?? '',
        'x-sealpost-csrf': setup.session.csrfToken,
      },
    })
    expect(String(logout.headers['set-cookie'])).not.toMatch(/Secure/)
  })

  it('lets HEAD and OPTIONS through without a CSRF token, and nothing else', async () => {
    server = await startTestServer(dialect)
    const { api } = await setupAdmin(server)
    const cookie = api.session.cookie ?? ''
    const head = await server.app.inject({
      method: 'HEAD',
      url: '/api/auth/session',
      headers: { cookie },
    })
    expect(head.statusCode).toBe(200)
    const options = await server.app.inject({
      method: 'OPTIONS',
      url: '/api/auth/session',
      headers: { cookie },
    })
    expect(options.statusCode).not.toBe(403)
    const stateChanging = [
      ['POST', '/api/auth/logout'],
      ['PUT', '/api/admin/settings'],
      ['PATCH', `/api/admin/users/${crypto.randomUUID()}`],
      ['DELETE', `/api/messages/${crypto.randomUUID()}`],
    ] as const
    for (const [method, url] of stateChanging) {
      const response = await server.app.inject({ method, url, headers: { cookie } })
      expect(response.statusCode, method).toBe(403)
      expect(response.json<{ error: { code: string } }>().error.code).toBe('csrf_required')
    }
  })

  it('refuses a token of the wrong length as it refuses a wrong one', async () => {
    server = await startTestServer(dialect)
    const { api, session } = await setupAdmin(server)
    const cookie = api.session.cookie ?? ''
    for (const csrf of ['1', session.csrfToken.slice(1), `${session.csrfToken}A`]) {
      const response = await rawRequest(server.app, {
        method: 'POST',
        url: '/api/auth/logout',
        cookie,
        csrf,
      })
      expect({ status: response.status, code: response.json().error?.code }, csrf).toEqual({
        status: 403,
        code: 'csrf_required',
      })
    }
  })

  it('records activity at most once a minute', async () => {
    server = await startTestServer(dialect)
    const { api } = await setupAdmin(server)
    const lastSeen = async () =>
      (await server!.db.selectFrom('sessions').select('last_seen_at').executeTakeFirstOrThrow())
        .last_seen_at
    const signedInAt = await lastSeen()
    server.clock.advance(60_000)
    await api.getSession()
    expect(await lastSeen()).toBe(signedInAt)
    server.clock.advance(1)
    await api.getSession()
    expect(await lastSeen()).toBe(signedInAt + 60_001)
  })

  it('lets a sign-in that must set up two-factor only see itself and its factors, prove its password, keep a recovery code and sign out', async () => {
    server = await startTestServer(dialect)
    const admin = await setupAdmin(server)
    const bob = await inviteAndAccept(server, admin.api, 'bob')
    await admin.api.setTwoFactorPolicy({ required: true })
    const api = server.client()
    const { session } = await signIn(api, { username: 'bob', password: bob.password })
    expect(session.mustSetUpTwoFactor).toBe(true)
    // Allowed: each on the way to setting a factor up, or leaving.
    expect((await api.getSession()).user.username).toBe('bob')
    expect((await api.recoveryCodeStatus()).createdAt).toBeNull()
    await createRecoveryCode(api, { username: 'bob', keys: session.keys, password: bob.password })
    expect((await api.recoveryCodeStatus()).createdAt).not.toBeNull()
    expect((await api.twoFactorStatus()).required).toBe(true)
    // Refused: reads and changes alike, before anything happens.
    const refused = [
      () => api.inbox(),
      () => api.listVaults(),
      () => api.listSessions(),
      () => api.endOtherSessions(),
    ]
    for (const call of refused) {
      expect(await apiError(call)).toMatchObject({ status: 403, code: 'two_factor_required' })
    }
    // bob's session from accepting the invite was not ended by the refused request.
    expect((await bob.api.getSession()).user.username).toBe('bob')
    await api.logout()
    expect(await apiError(() => api.getSession())).toMatchObject({ status: 401 })
  })

  it('keeps administration to administrators, after checking the CSRF token', async () => {
    server = await startTestServer(dialect)
    const admin = await setupAdmin(server)
    const bob = await inviteAndAccept(server, admin.api, 'bob')
    const cookie = bob.api.session.cookie ?? ''
    const list = await rawRequest(server.app, { method: 'GET', url: '/api/admin/users', cookie })
    expect({ status: list.status, code: list.json().error?.code }).toEqual({
      status: 403,
      code: 'admin_only',
    })
    const body = { username: 'carol', email: 'carol@example.org' }
    const forged = await rawRequest(server.app, {
      method: 'POST',
      url: '/api/admin/users',
      cookie,
      csrf: '1',
      body,
    })
    expect(forged.json().error?.code).toBe('csrf_required')
    const own = await rawRequest(server.app, {
      method: 'POST',
      url: '/api/admin/users',
      cookie,
      csrf: bob.session.csrfToken,
      body,
    })
    expect(own.json().error?.code).toBe('admin_only')
    expect(
      (
        await rawRequest(server.app, {
          method: 'GET',
          url: '/api/admin/users',
          cookie: admin.api.session.cookie,
        })
      ).status,
    ).toBe(200)
  })
})

describe('signedInUser', () => {
  it('refuses a request that reached a handler without a session', () => {
    expect(() => signedInUser({ user: undefined } as FastifyRequest)).toThrow(
      expect.objectContaining({ code: 'not_signed_in' }),
    )
  })
})
