import { opaqueClient, signIn } from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, setupAdmin } from '../../test-support/accounts.js'
import { dialects, startTestServer, type TestServer } from '../../test-support/harness.js'

const ATTACKER = '127.0.0.2'
const OWNER = '127.0.0.1'

describe.each(dialects)('sign-in limits on %s', (dialect) => {
  let server: TestServer
  beforeEach(async () => {
    server = await startTestServer(dialect, { env: { SEALPOST_LOGIN_ATTEMPTS_PER_USER: '15' } })
  })
  afterEach(async () => {
    await server.close()
  })

  /**
   * One guess: the attempt counts when a sign-in starts (a wrong password never gives it
   * back), so starting is enough and skips the client's deliberately slow key stretching.
   */
  async function guess(remoteAddress: string, password: string) {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/auth/login/start',
      remoteAddress,
      headers: { 'x-sealpost-csrf': '1' },
      payload: {
        username: 'admin',
        startLoginRequest: opaqueClient.startLogin(password).startLoginRequest,
      },
    })
    const body = response.json<{ error?: { code: string; message: string } }>()
    return {
      status: response.statusCode,
      code: body.error?.code,
      message: body.error?.message ?? '',
    }
  }

  it('stops guesses from one address without locking the real user out from another', async () => {
    await setupAdmin(server)
    for (let i = 0; i < 10; i++) {
      expect((await guess(ATTACKER, `guess ${i}`)).status).toBe(200)
    }
    expect(await guess(ATTACKER, ADMIN_PASSWORD)).toMatchObject({
      status: 429,
      code: 'rate_limited',
    })
    await expect(
      signIn(server.client({ remoteAddress: OWNER }), {
        username: 'admin',
        password: ADMIN_PASSWORD,
      }),
    ).resolves.toBeDefined()
  })

  it('backs off a username guessed from many addresses instead of locking it for the window', async () => {
    await setupAdmin(server)
    // 15 failures from 15 addresses reach the per-username limit without any
    // per-address limit being hit...
    for (let i = 0; i < 15; i++) {
      expect((await guess(`10.0.0.${i + 1}`, `guess ${i}`)).status).toBe(200)
    }
    // ...the next one is still answered but makes the one after wait...
    expect((await guess('10.0.1.1', 'guess 15')).status).toBe(200)
    const limited = await guess(OWNER, ADMIN_PASSWORD)
    expect(limited).toMatchObject({ status: 429, code: 'rate_limited' })
    expect(limited.message).toContain('1 s')
    // ...for seconds, not for the rest of the 15-minute window.
    server.clock.advance(1_000)
    await expect(
      signIn(server.client({ remoteAddress: OWNER }), {
        username: 'admin',
        password: ADMIN_PASSWORD,
      }),
    ).resolves.toBeDefined()
  })

  it('doubles the wait with every further failure, up to a minute', async () => {
    await setupAdmin(server)
    for (let i = 0; i < 16; i++) await guess(`10.0.0.${i + 1}`, `guess ${i}`)
    const waits: string[] = []
    for (let i = 0; i < 9; i++) {
      const wait = Number(/in (\d+) s/.exec((await guess(OWNER, 'wrong')).message)?.[1])
      waits.push(String(wait))
      server.clock.advance(wait * 1000)
      expect((await guess(`10.0.2.${i}`, 'wrong')).status).toBe(200)
    }
    expect(waits).toEqual(['1', '2', '4', '8', '16', '32', '60', '60', '60'])
  })
})
