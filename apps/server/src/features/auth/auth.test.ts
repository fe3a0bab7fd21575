import {
  createApiClient,
  fromBase64Url,
  opaqueClient,
  opaqueReady,
  signIn,
  toBase64Url,
  toHex,
  utf8,
} from '@sealpost/core'
import { deriveAesKey, importAesKey, openEnvelope } from '@sealpost/core/primitives'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  ADMIN_PASSWORD,
  apiError,
  inviteAndAccept,
  setupAdmin,
} from '../../test-support/accounts.js'
import { expectKeptFromRest, traceLog } from '../../test-support/at-rest.js'
import {
  dialects,
  injectFetch,
  rawRequest,
  startTestServer,
  type TestServer,
} from '../../test-support/harness.js'

describe.each(dialects)('auth on %s', (dialect) => {
  let server: TestServer
  beforeEach(async () => {
    server = await startTestServer(dialect)
  })
  afterEach(async () => {
    await server.close()
  })

  it('asks for setup until the administrator exists, then refuses a second setup', async () => {
    const api = server.client()
    expect(await api.setupStatus()).toEqual({ needsSetup: true })
    const { session } = await setupAdmin(server)
    expect(session.user).toMatchObject({ username: 'admin', role: 'admin', canSendMessages: true })
    expect(await api.setupStatus()).toEqual({ needsSetup: false })
    const error = await apiError(() => setupAdmin(server))
    expect(error).toMatchObject({ status: 409, code: 'setup_done' })
  })

  it('signs in with the password and unlocks the same keys that were created at setup', async () => {
    const { account } = await setupAdmin(server)
    const api = server.client()
    const again = await signIn(api, { username: 'Admin', password: ADMIN_PASSWORD })
    expect(toBase64Url(again.account.x25519PublicKey)).toBe(toBase64Url(account.x25519PublicKey))
    expect((await api.getSession()).user.username).toBe('admin')
  })

  it('gives a wrong password and an unknown user the same answer', async () => {
    await setupAdmin(server)
    const wrong = await apiError(() =>
      signIn(server.client(), { username: 'admin', password: 'wrong password' }),
    )
    const unknown = await apiError(() =>
      signIn(server.client(), { username: 'nobody', password: 'wrong password' }),
    )
    expect(wrong).toEqual(unknown)
    expect(wrong).toMatchObject({ status: 401, code: 'invalid_credentials' })

    // A client that skips its own check and sends a forged finish gets the same 401.
    await opaqueReady
    for (const username of ['admin', 'nobody']) {
      const api = server.client()
      const { startLoginRequest, clientLoginState } = opaqueClient.startLogin('guess')
      const { loginId, loginResponse } = await api.loginStart({ username, startLoginRequest })
      expect(loginResponse.length).toBeGreaterThan(0)
      expect(
        opaqueClient.finishLogin({ password: 'guess', loginResponse, clientLoginState }),
      ).toBeUndefined()
      const forged = await apiError(() =>
        api.loginFinish({ loginId, finishLoginRequest: toBase64Url(new Uint8Array(64)) }),
      )
      expect(forged).toMatchObject({ status: 401, code: 'invalid_credentials' })
    }
  })

  // Eleven full sign-ins with the client's deliberately slow key stretching: a longer limit.
  it(
    'rate-limits repeated failed sign-ins per username with 429 and Retry-After',
    { timeout: 120_000 },
    async () => {
      await setupAdmin(server)
      for (let i = 0; i < 10; i++) {
        const e = await apiError(() =>
          signIn(server.client(), { username: 'admin', password: `guess ${i}` }),
        )
        expect(e.code).toBe('invalid_credentials')
      }
      const limited = await apiError(() =>
        signIn(server.client(), { username: 'admin', password: ADMIN_PASSWORD }),
      )
      expect(limited).toMatchObject({ status: 429, code: 'rate_limited' })
      const raw = await rawRequest(server.app, {
        method: 'POST',
        url: '/api/auth/login/start',
        csrf: '1',
        body: {
          username: 'admin',
          startLoginRequest: opaqueClient.startLogin('x').startLoginRequest,
        },
      })
      expect(raw.status).toBe(429)
      expect(Number(raw.headers['retry-after'])).toBeGreaterThan(0)
      // Another username from another address is not affected...
      const other = await apiError(() =>
        signIn(server.client({ remoteAddress: '10.9.9.9' }), {
          username: 'someone',
          password: 'x',
        }),
      )
      expect(other.code).toBe('invalid_credentials')
      // ...and the window ends.
      server.clock.advance(15 * 60_000 + 1)
      await expect(
        signIn(server.client(), { username: 'admin', password: ADMIN_PASSWORD }),
      ).resolves.toBeDefined()
    },
  )

  it('rate-limits one address that tries many usernames', async () => {
    await setupAdmin(server)
    const ip = '192.0.2.7'
    for (let i = 0; i < 100; i++) {
      const api = server.client({ remoteAddress: ip })
      await api.loginStart({
        username: `user${i}`,
        startLoginRequest: opaqueClient.startLogin('x').startLoginRequest,
      })
    }
    const limited = await apiError(() =>
      signIn(server.client({ remoteAddress: ip }), { username: 'admin', password: ADMIN_PASSWORD }),
    )
    expect(limited.status).toBe(429)
  })

  // Another session's token: see http/csrf.test.ts, which replays every route with it.
  it('refuses state-changing requests without the CSRF header, or with a made-up token', async () => {
    const { api, session } = await setupAdmin(server)
    const cookie = api.session.cookie
    expect(cookie).toBeDefined()
    const noHeader = await rawRequest(server.app, {
      method: 'POST',
      url: '/api/auth/logout',
      cookie,
    })
    expect(noHeader.status).toBe(403)
    expect(noHeader.json().error?.code).toBe('csrf_required')
    const wrongToken = await rawRequest(server.app, {
      method: 'POST',
      url: '/api/auth/logout',
      cookie,
      csrf: 'x'.repeat(43),
    })
    expect(wrongToken.status).toBe(403)
    const unauthenticated = await rawRequest(server.app, {
      method: 'POST',
      url: '/api/setup/start',
      body: {},
    })
    expect(unauthenticated.status).toBe(403)
    // The session survived both attempts; the right token works.
    expect((await api.getSession()).user.id).toBe(session.user.id)
    const ok = await rawRequest(server.app, {
      method: 'POST',
      url: '/api/auth/logout',
      cookie,
      csrf: session.csrfToken,
    })
    expect(ok.status).toBe(204)
  })

  it('sets an HttpOnly SameSite=Strict cookie and stores only the token’s SHA-256', async () => {
    const { api } = await setupAdmin(server)
    const fetchRaw = injectFetch(server.app)
    const response = await fetchRaw('http://sealpost.test/api/auth/session', {
      method: 'GET',
      headers: { cookie: api.session.cookie ?? '' },
      body: undefined,
      credentials: 'same-origin',
    })
    expect(response.status).toBe(200)
    const login = await rawRequest(server.app, {
      method: 'POST',
      url: '/api/auth/login/start',
      csrf: '1',
      body: {
        username: 'admin',
        startLoginRequest: opaqueClient.startLogin('x').startLoginRequest,
      },
    })
    expect(login.status).toBe(200)
    const token = api.session.cookie?.split('=')[1] ?? ''
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const rows = await server.db.selectFrom('sessions').select(['id']).execute()
    expect(rows.map((r) => r.id)).not.toContain(token)
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.id))).toBe(true)

    const setCookie: string[] = []
    const spy = createApiClient({
      baseUrl: 'http://sealpost.test',
      manageCookies: true,
      fetch: async (input, init) => {
        const res = await injectFetch(server.app)(input, init)
        const value = res.headers.get('set-cookie')
        if (value) setCookie.push(value)
        return res
      },
    })
    await signIn(spy, { username: 'admin', password: ADMIN_PASSWORD })
    expect(setCookie[0]).toMatch(/^sealpost=[A-Za-z0-9_-]{43};/)
    expect(setCookie[0]).toMatch(/HttpOnly/)
    expect(setCookie[0]).toMatch(/SameSite=Strict/)
  })

  it('keeps the session cookie for the whole site until the session’s end, and sign-out clears it there', async () => {
    const { session } = await setupAdmin(server)
    const signedInAt = server.clock.now().getTime()
    const setCookie: string[] = []
    const api = createApiClient({
      baseUrl: 'http://sealpost.test',
      manageCookies: true,
      fetch: async (input, init) => {
        const res = await injectFetch(server.app)(input, init)
        const value = res.headers.get('set-cookie')
        if (value) setCookie.push(value)
        return res
      },
    })
    const { session: signedIn } = await signIn(api, { username: 'admin', password: ADMIN_PASSWORD })
    expect(signedIn.user.id).toBe(session.user.id)
    const cookie = setCookie[0] ?? ''
    // Path=/: the cookie must reach every /api route, and a clearing cookie only replaces one
    // with the same path. It ends with the session's absolute limit, not with the browser.
    expect(cookie.split('; ')).toEqual(
      expect.arrayContaining([
        'Path=/',
        `Expires=${new Date(signedInAt + server.config.sessionMaxMs).toUTCString()}`,
      ]),
    )
    await api.logout()
    const cleared = (setCookie[1] ?? '').split('; ')
    expect(cleared[0]).toBe('sealpost=')
    expect(cleared).toEqual(
      expect.arrayContaining(['Path=/', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT']),
    )
  })

  it('records the device a session signed in from, at most 256 characters of it', async () => {
    await setupAdmin(server)
    const chrome =
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'
    const signInAs = async (userAgent: string | undefined) => {
      const api = createApiClient({
        baseUrl: 'http://sealpost.test',
        manageCookies: true,
        fetch: (input, init) =>
          injectFetch(server.app)(input, {
            ...init,
            headers: {
              ...init.headers,
              ...(userAgent === undefined ? {} : { 'user-agent': userAgent }),
            },
          }),
      })
      await signIn(api, { username: 'admin', password: ADMIN_PASSWORD })
      const current = (await api.listSessions()).sessions.find((s) => s.isCurrent)
      return current?.device
    }
    // The sessions list is how someone spots a sign-in that is not theirs.
    expect(await signInAs(chrome)).toBe('Chrome on Linux')
    expect(await signInAs(undefined)).toBe('Unknown device')
    await signInAs(`${chrome} ${'x'.repeat(2000)}`)
    const stored = await server.db.selectFrom('sessions').select('user_agent').execute()
    expect(stored.map((row) => row.user_agent?.length ?? 0).sort((a, b) => b - a)[0]).toBe(256)
  })

  it('ends a session after the idle limit and after the absolute limit', async () => {
    const { api } = await setupAdmin(server)
    server.clock.advance(server.config.sessionIdleMs - 60_000)
    await expect(api.getSession()).resolves.toBeDefined()
    server.clock.advance(server.config.sessionIdleMs + 1)
    expect(await apiError(() => api.getSession())).toMatchObject({
      status: 401,
      code: 'not_signed_in',
    })

    const again = server.client()
    await signIn(again, { username: 'admin', password: ADMIN_PASSWORD })
    const step = server.config.sessionIdleMs / 2
    for (let t = 0; t < server.config.sessionMaxMs - step; t += step) {
      server.clock.advance(step)
      await again.getSession()
    }
    server.clock.advance(step)
    expect(await apiError(() => again.getSession())).toMatchObject({ status: 401 })
  })

  it('opens nothing with a session whose user is no longer active', async () => {
    const { api } = await setupAdmin(server)
    const bob = await inviteAndAccept(server, api, 'bob')
    // Disabling deletes the user's sessions in the same transaction; a row left behind anyway
    // (a restore from backup, a manual edit) must still open nothing.
    await server.db
      .updateTable('users')
      .set({ status: 'disabled' })
      .where('id', '=', bob.session.user.id)
      .execute()
    expect(await apiError(() => bob.api.getSession())).toMatchObject({
      status: 401,
      code: 'not_signed_in',
    })
    expect((await api.getSession()).user.username).toBe('admin')
  })

  it('signs out: the cookie no longer opens a session', async () => {
    const { api } = await setupAdmin(server)
    const cookie = api.session.cookie
    await api.logout()
    const replay = await rawRequest(server.app, { method: 'GET', url: '/api/auth/session', cookie })
    expect(replay.status).toBe(401)
  })

  it('rejects malformed input with a clear 400', async () => {
    const bad = await rawRequest(server.app, {
      method: 'POST',
      url: '/api/setup/finish',
      csrf: '1',
      body: { username: 'x', displayName: '', email: 'not-an-email' },
    })
    expect(bad.status).toBe(400)
    const error = bad.json().error
    expect(error?.code).toBe('invalid_input')
    expect(error?.message).toMatch(/username/)
    expect(error?.message).toMatch(/email/)
  })

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await rawRequest(server.app, { method: 'GET', url: '/api/nothing-here' })
    expect(res.status).toBe(404)
    expect(res.json().error?.code).toBe('not_found')
  })
})

describe.each(dialects)('secrets at rest on %s', (dialect) => {
  it('keeps the password and the unwrapped private keys out of the database and the log', async () => {
    const { logger, lines } = traceLog()
    const server = await startTestServer(dialect, { logger })
    try {
      const canary = `canary-${toHex(crypto.getRandomValues(new Uint8Array(12)))}`
      await opaqueReady
      const { api, session } = await setupAdmin(server, canary)
      const member = await inviteAndAccept(server, api, 'bob')
      await signIn(server.client(), { username: 'admin', password: canary })

      // Sign in by hand to get OPAQUE's export key, so the test can unwrap what the server stores.
      const login = opaqueClient.startLogin(canary)
      const { loginResponse } = await server
        .client()
        .loginStart({ username: 'admin', startLoginRequest: login.startLoginRequest })
      const finished = opaqueClient.finishLogin({
        password: canary,
        loginResponse,
        clientLoginState: login.clientLoginState,
      })
      if (!finished) throw new Error('login failed')
      const wrapKey = await deriveAesKey(
        fromBase64Url(finished.exportKey),
        'sealpost/v1/account-key-wrap',
      )
      const accountKeyRaw = await openEnvelope(
        wrapKey,
        session.keys.wrappedAccountKey,
        utf8('sealpost/v1/account-key/admin'),
      )
      const accountKey = await importAesKey(accountKeyRaw)
      const x25519Private = await openEnvelope(
        accountKey,
        session.keys.wrappedX25519PrivateKey,
        utf8('sealpost/v1/x25519-private-key/admin'),
      )
      const ed25519Private = await openEnvelope(
        accountKey,
        session.keys.wrappedEd25519PrivateKey,
        utf8('sealpost/v1/ed25519-private-key/admin'),
      )
      const vaultKey = await openEnvelope(
        accountKey,
        session.keys.wrappedUserVaultKey,
        utf8('sealpost/v1/user-vault-key/admin'),
      )

      expect(member.session.user.username).toBe('bob')
      // The session cookie token is never stored or logged either.
      const token = member.api.session.cookie?.split('=')[1] ?? ''
      await expectKeptFromRest({
        server,
        dialect,
        lines,
        secrets: [
          ['password', canary],
          ['account key', accountKeyRaw],
          ['x25519 private key', x25519Private],
          ['ed25519 private key (pkcs8 tail)', ed25519Private.slice(-32)],
          ['user vault key', vaultKey],
          ['session token', token],
        ],
        inClear: 'ada@example.org',
        encoded: fromBase64Url(session.keys.x25519PublicKey),
        inLog: '/api/auth/login/start',
      })
    } finally {
      await server.close()
    }
  })
})
