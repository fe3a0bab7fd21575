import { provePassword, signIn, type ApiClient } from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, inviteAndAccept, startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'
import { totpCode, totpStep } from './totp.js'

type Bob = Person & { password: string }

describe('TOTP', () => {
  // RFC 6238 appendix B, SHA-1, secret "12345678901234567890": 94287082 at T = 59 s.
  const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'

  it('matches the RFC 6238 test vector in its last 6 digits, one step either side', () => {
    expect(totpCode(RFC_SECRET, 59_000)).toBe('287082')
    expect(totpStep(RFC_SECRET, '287082', 59_000)).toBe(1)
    expect(totpStep(RFC_SECRET, '287082', 89_000)).toBe(1)
    expect(totpStep(RFC_SECRET, '287082', 29_000)).toBe(1)
    expect(totpStep(RFC_SECRET, '287082', 119_000)).toBeUndefined()
  })
})

describe.each(dialects)('two-factor sign-in on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Bob
  beforeEach(async () => {
    ;({
      server,
      admin,
      members: [bob],
    } = await startWithPeople(dialect, ['bob']))
  })
  afterEach(async () => {
    await server.close()
  })

  const now = () => server.clock.now().getTime()
  const countSessions = async () =>
    (await server.db.selectFrom('sessions').select('id').execute()).length

  /** Turns TOTP on for bob; answers the secret and the backup codes. */
  async function enableTotp(api: ApiClient = bob.api) {
    const { secret, uri } = await api.totpSetup()
    expect(uri).toMatch(/^otpauth:\/\/totp\/Sealpost:bob\?/)
    expect(uri).toContain(`secret=${secret}`)
    const { backupCodes } = await api.totpConfirm({ code: totpCode(secret, now()) })
    // The next code is a new step: confirmation spent this one.
    server.clock.advance(30_000)
    return { secret, backupCodes }
  }

  const signInWith = (answer: { totp: string } | { backupCode: string }) =>
    signIn(server.client(), {
      username: 'bob',
      password: bob.password,
      secondFactor: async ({ error }) => {
        if (error) throw error
        return answer
      },
    })

  it('asks for the TOTP code after the password and opens no session before it', async () => {
    const { secret, backupCodes } = await enableTotp()
    expect(backupCodes).toHaveLength(10)
    expect(new Set(backupCodes).size).toBe(10)
    expect(await bob.api.twoFactorStatus()).toMatchObject({ totp: true, backupCodesLeft: 10 })

    const before = await countSessions()
    const missing = await apiError(() =>
      signIn(server.client(), { username: 'bob', password: bob.password }),
    )
    expect(missing).toMatchObject({ status: 401, code: 'second_factor_required' })
    expect(await countSessions()).toBe(before)

    const signedIn = await signInWith({ totp: totpCode(secret, now()) })
    expect(signedIn.session.user.username).toBe('bob')
    expect(await countSessions()).toBe(before + 1)
  })

  it('refuses a wrong code, a reused code, and a code without the password', async () => {
    const { secret } = await enableTotp()
    const code = totpCode(secret, now())
    const wrong = code === '000000' ? '000001' : '000000'
    expect(await apiError(() => signInWith({ totp: wrong }))).toMatchObject({
      status: 401,
      code: 'invalid_second_factor',
    })
    await signInWith({ totp: code })
    // The same code again, still within its 30 seconds: refused.
    expect(await apiError(() => signInWith({ totp: code }))).toMatchObject({
      code: 'invalid_second_factor',
    })
    // A code one step old is accepted (clock drift), two steps old is not.
    server.clock.advance(60_000)
    await signInWith({ totp: totpCode(secret, now() - 30_000) })
    server.clock.advance(90_000)
    expect(
      await apiError(() => signInWith({ totp: totpCode(secret, now() - 60_000) })),
    ).toMatchObject({ code: 'invalid_second_factor' })
    // No password step behind the token: nothing to answer.
    const before = await countSessions()
    for (const token of ['made-up-token', 'A'.repeat(43)]) {
      expect(
        await apiError(() =>
          server.client().loginSecondFactor({ token, totp: totpCode(secret, now()) }),
        ),
      ).toMatchObject({ status: 401, code: 'invalid_credentials' })
    }
    expect(await countSessions()).toBe(before)
  })

  it('drops the sign-in after five wrong answers', async () => {
    const { secret } = await enableTotp()
    let tries = 0
    const error = await apiError(() =>
      signIn(server.client(), {
        username: 'bob',
        password: bob.password,
        secondFactor: async () => {
          tries++
          // Five wrong codes, then the right one: too late, the sign-in is gone.
          return { totp: tries <= 5 ? '000000' : totpCode(secret, now()) }
        },
      }),
    )
    expect(tries).toBe(6)
    expect(error).toMatchObject({ status: 401, code: 'invalid_credentials' })
  })

  it('accepts each backup code once', async () => {
    const { backupCodes } = await enableTotp()
    const [first = '', second = ''] = backupCodes
    await signInWith({ backupCode: first.toUpperCase() })
    expect(await apiError(() => signInWith({ backupCode: first }))).toMatchObject({
      code: 'invalid_second_factor',
    })
    await signInWith({ backupCode: second.replace('-', ' ') })
    expect((await bob.api.twoFactorStatus()).backupCodesLeft).toBe(8)
  })

  it('forces set-up right after sign-in when the organisation requires two-factor', async () => {
    expect(await apiError(() => bob.api.setTwoFactorPolicy({ required: true }))).toMatchObject({
      status: 403,
    })
    await admin.api.setTwoFactorPolicy({ required: true })
    const api = server.client()
    const signedIn = await signIn(api, { username: 'bob', password: bob.password })
    expect(signedIn.session.mustSetUpTwoFactor).toBe(true)
    expect(await apiError(() => api.inbox())).toMatchObject({
      status: 403,
      code: 'two_factor_required',
    })
    expect(await apiError(() => api.listVaults())).toMatchObject({ code: 'two_factor_required' })
    const { secret } = await api.totpSetup()
    await api.totpConfirm({ code: totpCode(secret, now()) })
    expect((await api.getSession()).mustSetUpTwoFactor).toBeUndefined()
    await expect(api.inbox()).resolves.toBeDefined()
    // Turning it off is refused while the organisation requires it.
    const { proof } = await provePassword(api, bob.password)
    expect(await apiError(() => api.twoFactorOff({ proof }))).toMatchObject({ status: 403 })
  })

  it('lets an administrator remove a user’s factors, audited; a member may not', async () => {
    await enableTotp()
    const carol = await inviteAndAccept(server, admin.api, 'carol')
    expect(await apiError(() => carol.api.removeUserTwoFactor(bob.session.user.id))).toMatchObject({
      status: 403,
    })
    await admin.api.removeUserTwoFactor(bob.session.user.id)
    await expect(
      signIn(server.client(), { username: 'bob', password: bob.password }),
    ).resolves.toBeDefined()
    const audit = await server.db
      .selectFrom('audit_events')
      .select(['actor_id', 'target_id'])
      .where('action', '=', 'two_factor.removed_by_admin')
      .execute()
    expect(audit).toEqual([{ actor_id: admin.session.user.id, target_id: bob.session.user.id }])
    expect(await apiError(() => admin.api.removeUserTwoFactor(crypto.randomUUID()))).toMatchObject({
      status: 404,
    })
  })

  it('turns two-factor off only with the password', async () => {
    await enableTotp()
    expect(await apiError(() => provePassword(bob.api, 'not bob’s password'))).toMatchObject({
      status: 401,
    })
    const { proof } = await provePassword(bob.api, bob.password)
    await bob.api.twoFactorOff({ proof })
    expect(await bob.api.twoFactorStatus()).toMatchObject({ totp: false, backupCodesLeft: 0 })
    await expect(
      signIn(server.client(), { username: 'bob', password: bob.password }),
    ).resolves.toBeDefined()
  })

  it('needs a recent sign-in or the password to start TOTP set-up', async () => {
    server.clock.advance(11 * 60_000)
    expect(await apiError(() => bob.api.totpSetup())).toMatchObject({ status: 403 })
    const { proof } = await provePassword(bob.api, bob.password)
    const setup = await bob.api.totpSetup({ proof })
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/)
  })
})
