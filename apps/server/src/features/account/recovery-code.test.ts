import {
  createRecoveryCode,
  fromBase64Url,
  keyFingerprint,
  loadItems,
  opaqueClient,
  opaqueReady,
  openMessageDetail,
  openVaults,
  recoverAccount,
  saveItem,
  signIn,
  toHex,
  utf8,
} from '@sealpost/core'
import { deriveAesKey, openEnvelope } from '@sealpost/core/primitives'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  apiError,
  inviteAndAccept,
  setupAdmin,
  startWithPeople,
} from '../../test-support/accounts.js'
import { expectKeptFromRest, traceLog } from '../../test-support/at-rest.js'
import { dialects, startTestServer, type TestServer } from '../../test-support/harness.js'
import { type Person, send } from '../../test-support/messages.js'

const NEW_PASSWORD = 'recovered password for bob'
type Bob = Person & { password: string; exportKey: string }

describe.each(dialects)('recovery code on %s', (dialect) => {
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

  const newCode = (person: Bob = bob) =>
    createRecoveryCode(person.api, {
      username: 'bob',
      keys: person.session.keys,
      exportKey: person.exportKey,
    })

  it('recovers the account: keys, messages and vault stay; the old password and every session end', async () => {
    const now = () => server.clock.now()
    const { id } = await send(admin, [bob], { subject: 'Kept through recovery' }, now)
    const [vault] = await openVaults(bob.api, bob.account, bob.session.user)
    if (!vault) throw new Error('no vault')
    await saveItem(bob.api, vault, {
      parentId: null,
      kind: 'entry',
      content: { name: 'wifi', type: 'note', fields: [], notes: 'guest wifi key' },
      baseRevision: 0,
    })
    const code = await newCode()
    expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/)
    expect(await bob.api.recoveryCodeStatus()).toEqual({ createdAt: now().toISOString() })
    const fingerprint = await keyFingerprint(bob.session.keys)

    // Typed by a person: lower case, spaces instead of dashes.
    const typed = code.toLowerCase().replaceAll('-', ' ')
    await recoverAccount(server.client(), {
      username: 'Bob',
      code: typed,
      newPassword: NEW_PASSWORD,
    })

    expect(await apiError(() => bob.api.getSession())).toMatchObject({ status: 401 })
    expect(
      await apiError(() => signIn(server.client(), { username: 'bob', password: bob.password })),
    ).toMatchObject({ status: 401, code: 'invalid_credentials' })
    const api = server.client()
    const again = await signIn(api, { username: 'bob', password: NEW_PASSWORD })
    expect(await keyFingerprint(again.session.keys)).toBe(fingerprint)
    const opened = await openMessageDetail(
      again.account,
      again.session.user.id,
      await api.getMessage(id),
      now(),
    )
    expect(opened.subject).toBe('Kept through recovery')
    const [reopened] = await openVaults(api, again.account, again.session.user)
    if (!reopened) throw new Error('vault gone')
    expect((await loadItems(api, reopened)).map((i) => i.content.notes)).toEqual(['guest wifi key'])
    // The code is spent; the user is asked for a new one.
    expect(await api.recoveryCodeStatus()).toEqual({ createdAt: null })
    const audit = await server.db
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', bob.session.user.id)
      .execute()
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['recovery_code.created', 'account.recovered']),
    )
  })

  it('spends the code: it works once', async () => {
    const code = await newCode()
    await recoverAccount(server.client(), { username: 'bob', code, newPassword: NEW_PASSWORD })
    const again = await apiError(() =>
      recoverAccount(server.client(), { username: 'bob', code, newPassword: 'another one' }),
    )
    expect(again).toMatchObject({ status: 401, code: 'invalid_credentials' })
    await expect(
      signIn(server.client(), { username: 'bob', password: NEW_PASSWORD }),
    ).resolves.toBeDefined()
  })

  it('replaces the old code with a new one', async () => {
    const first = await newCode()
    const second = await newCode()
    expect(second).not.toBe(first)
    expect(
      await apiError(() =>
        recoverAccount(server.client(), { username: 'bob', code: first, newPassword: 'x y z w' }),
      ),
    ).toMatchObject({ status: 401 })
    await recoverAccount(server.client(), {
      username: 'bob',
      code: second,
      newPassword: NEW_PASSWORD,
    })
  })

  it('answers a wrong code, an unknown user and a user without a code alike', async () => {
    const code = await newCode()
    const other = await inviteAndAccept(server, admin.api, 'carol')
    const answers = await Promise.all(
      [
        { username: 'bob', code: code.replace(/^./, code.startsWith('0') ? '1' : '0') },
        { username: 'nobody', code },
        { username: 'carol', code },
      ].map((input) =>
        apiError(() => recoverAccount(server.client(), { ...input, newPassword: 'p a s s' })),
      ),
    )
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1)
    expect(answers[0]).toMatchObject({ status: 401, code: 'invalid_credentials' })
    expect((await other.api.getSession()).user.username).toBe('carol')
  })

  it('limits guessing: after 5 wrong codes from one address even the right one waits', async () => {
    const code = await newCode()
    for (let i = 0; i < 5; i++) {
      const wrong = await apiError(() =>
        recoverAccount(server.client(), {
          username: 'bob',
          code: '0000-0000-0000-0000-0000-0000-0000-000' + String(i),
          newPassword: NEW_PASSWORD,
        }),
      )
      expect(wrong.code).toBe('invalid_credentials')
    }
    const limited = await apiError(() =>
      recoverAccount(server.client(), { username: 'bob', code, newPassword: NEW_PASSWORD }),
    )
    expect(limited).toMatchObject({ status: 429, code: 'rate_limited' })
    // Nothing changed meanwhile.
    await expect(
      signIn(server.client(), { username: 'bob', password: bob.password }),
    ).resolves.toBeDefined()
  })

  it('needs the password again once the session is older than a few minutes', async () => {
    server.clock.advance(11 * 60_000)
    expect(await apiError(() => newCode())).toMatchObject({ status: 403, code: 'forbidden' })
    expect(
      await apiError(() =>
        createRecoveryCode(bob.api, {
          username: 'bob',
          keys: bob.session.keys,
          password: 'not bob’s password',
        }),
      ),
    ).toMatchObject({ status: 401, code: 'invalid_credentials' })
    expect(await bob.api.recoveryCodeStatus()).toEqual({ createdAt: null })
    const code = await createRecoveryCode(bob.api, {
      username: 'bob',
      keys: bob.session.keys,
      password: bob.password,
    })
    await recoverAccount(server.client(), { username: 'bob', code, newPassword: NEW_PASSWORD })
  })

  it('refuses a stolen session’s proof of another user’s password', async () => {
    await opaqueReady
    server.clock.advance(11 * 60_000)
    const login = opaqueClient.startLogin('admin password for tests')
    const { loginId, loginResponse } = await server
      .client()
      .loginStart({ username: 'admin', startLoginRequest: login.startLoginRequest })
    const proven = opaqueClient.finishLogin({
      password: 'admin password for tests',
      loginResponse,
      clientLoginState: login.clientLoginState,
    })
    if (!proven) throw new Error('admin login failed')
    const error = await apiError(() =>
      bob.api.putRecoveryCode({
        verifier: 'A'.repeat(43),
        wrappedAccountKey: bob.session.keys.wrappedAccountKey,
        proof: { loginId, finishLoginRequest: proven.finishLoginRequest },
      }),
    )
    expect(error).toMatchObject({ status: 401 })
    expect(await bob.api.recoveryCodeStatus()).toEqual({ createdAt: null })
  })
})

describe.each(dialects)('recovery code secrets at rest on %s', (dialect) => {
  it('keeps the code, the new password and the account key out of the database and the log', async () => {
    const { logger, lines } = traceLog()
    const server = await startTestServer(dialect, { logger })
    try {
      await opaqueReady
      const admin = await setupAdmin(server)
      const bob = await inviteAndAccept(server, admin.api, 'bob')
      const code = await createRecoveryCode(bob.api, {
        username: 'bob',
        keys: bob.session.keys,
        exportKey: bob.exportKey,
      })
      const canary = `canary-${toHex(crypto.getRandomValues(new Uint8Array(12)))}`
      await recoverAccount(server.client(), { username: 'bob', code, newPassword: canary })
      const accountKey = await openEnvelope(
        await deriveAesKey(fromBase64Url(bob.exportKey), 'sealpost/v1/account-key-wrap'),
        bob.session.keys.wrappedAccountKey,
        utf8('sealpost/v1/account-key/bob'),
      )
      await expectKeptFromRest({
        server,
        dialect,
        lines,
        secrets: [
          ['recovery code', code],
          ['recovery code without dashes', code.replaceAll('-', '')],
          ['new password', canary],
          ['account key', accountKey],
        ],
        inClear: 'bob@example.org',
        encoded: fromBase64Url(bob.session.keys.x25519PublicKey),
        inLog: '/api/recovery/finish',
      })
    } finally {
      await server.close()
    }
  })
})
