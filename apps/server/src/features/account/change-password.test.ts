import {
  changePassword,
  keyFingerprint,
  loadItems,
  opaqueClient,
  opaqueReady,
  openMessageDetail,
  openVaults,
  saveItem,
  signIn,
  toHex,
} from '@sealpost/core'
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
import { openEventStream } from '../../test-support/sse.js'

/** Waits for the stream to end well before the 25 s heartbeat that would also end it. */
async function endsPromptly(stream: { ended: Promise<void> }) {
  let timer: NodeJS.Timeout | undefined
  const tooLate = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the stream stayed open')), 10_000)
  })
  try {
    await Promise.race([stream.ended, tooLate])
  } finally {
    clearTimeout(timer)
  }
}

const NEW_PASSWORD = 'a brand new password for bob'

async function passwordRow(server: TestServer, userId: string) {
  return server.db
    .selectFrom('users')
    .select(['opaque_record', 'account_keys'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow()
}

describe.each(dialects)('change password on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person & { password: string }
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

  it('keeps keys, messages and vault items; only the new password signs in', async () => {
    const now = () => server.clock.now()
    const { id } = await send(admin, [bob], { subject: 'Before the change' }, now)
    const [vault] = await openVaults(bob.api, bob.account, bob.session.user)
    if (!vault) throw new Error('bob has no vault')
    await saveItem(bob.api, vault, {
      parentId: null,
      kind: 'entry',
      content: { name: 'router', type: 'note', fields: [], notes: 'admin/admin' },
      baseRevision: 0,
    })
    const fingerprintBefore = await keyFingerprint(bob.session.keys)

    const changed = await changePassword(bob.api, {
      username: 'bob',
      keys: bob.session.keys,
      currentPassword: bob.password,
      newPassword: NEW_PASSWORD,
    })
    // This session goes on with the same public keys.
    expect((await bob.api.getSession()).user.id).toBe(bob.session.user.id)
    expect(changed.session.keys.x25519PublicKey).toBe(bob.session.keys.x25519PublicKey)
    expect(changed.session.keys.wrappedAccountKey).not.toEqual(bob.session.keys.wrappedAccountKey)

    const old = await apiError(() =>
      signIn(server.client(), { username: 'bob', password: bob.password }),
    )
    expect(old).toMatchObject({ status: 401, code: 'invalid_credentials' })

    const api = server.client()
    const again = await signIn(api, { username: 'bob', password: NEW_PASSWORD })
    expect(again.exportKey).toBe(changed.exportKey)
    expect(await keyFingerprint(again.session.keys)).toBe(fingerprintBefore)
    const directory = await admin.api.directory()
    const listed = directory.users.find((u) => u.username === 'bob')
    expect(listed && (await keyFingerprint(listed))).toBe(fingerprintBefore)

    const opened = await openMessageDetail(
      again.account,
      again.session.user.id,
      await api.getMessage(id),
      now(),
    )
    expect(opened.subject).toBe('Before the change')
    const [reopened] = await openVaults(api, again.account, again.session.user)
    if (!reopened) throw new Error('bob lost his vault')
    const items = await loadItems(api, reopened)
    expect(items.map((item) => item.content.notes)).toEqual(['admin/admin'])
  })

  it('ends every other session of the user, and their event streams at once', async () => {
    const url = await server.app.listen({ port: 0, host: '127.0.0.1' })
    const laptop = server.client()
    await signIn(laptop, { username: 'bob', password: bob.password })
    const stream = await openEventStream(url, laptop.session.cookie ?? '')
    expect(stream.status).toBe(200)
    const adminStream = await openEventStream(url, admin.api.session.cookie ?? '')
    try {
      await changePassword(bob.api, {
        username: 'bob',
        keys: bob.session.keys,
        currentPassword: bob.password,
        newPassword: NEW_PASSWORD,
      })
      await endsPromptly(stream)
      expect(await apiError(() => laptop.getSession())).toMatchObject({ status: 401 })
      // Another user's session and stream are not touched.
      const { id } = await send(admin, [bob], {}, () => server.clock.now())
      const event = await adminStream.next((e) => e.type === 'message.created')
      expect(event.data).toMatchObject({ id })
    } finally {
      stream.close()
      adminStream.close()
    }
  })

  it('changes nothing when the current password is wrong', async () => {
    const before = await passwordRow(server, bob.session.user.id)
    const laptop = server.client()
    await signIn(laptop, { username: 'bob', password: bob.password })
    const error = await apiError(() =>
      changePassword(bob.api, {
        username: 'bob',
        keys: bob.session.keys,
        currentPassword: 'not bob’s password',
        newPassword: NEW_PASSWORD,
      }),
    )
    expect(error).toMatchObject({ status: 401, code: 'invalid_credentials' })
    expect(await passwordRow(server, bob.session.user.id)).toEqual(before)
    expect((await laptop.getSession()).user.username).toBe('bob')
    await expect(
      signIn(server.client(), { username: 'bob', password: bob.password }),
    ).resolves.toBeDefined()
  })

  it('refuses a forged proof: the client skips its own check and sends garbage', async () => {
    await opaqueReady
    const before = await passwordRow(server, bob.session.user.id)
    const login = opaqueClient.startLogin('a guess')
    const registration = opaqueClient.startRegistration(NEW_PASSWORD)
    const started = await bob.api.changePasswordStart({
      startLoginRequest: login.startLoginRequest,
      registrationRequest: registration.registrationRequest,
    })
    const { registrationRecord } = opaqueClient.finishRegistration({
      password: NEW_PASSWORD,
      registrationResponse: started.registrationResponse,
      clientRegistrationState: registration.clientRegistrationState,
    })
    const error = await apiError(() =>
      bob.api.changePasswordFinish({
        loginId: started.loginId,
        finishLoginRequest: opaqueClient.startLogin('x').startLoginRequest,
        registrationRecord,
        wrappedAccountKey: bob.session.keys.wrappedAccountKey,
      }),
    )
    expect(error).toMatchObject({ status: 401, code: 'invalid_credentials' })
    expect(await passwordRow(server, bob.session.user.id)).toEqual(before)
  })

  it('refuses a proof of another user’s password (a stolen session cannot use its own login)', async () => {
    await opaqueReady
    const before = await passwordRow(server, bob.session.user.id)
    // Someone holding bob's session cookie knows the admin password only: they start a real
    // sign-in as admin and finish it correctly, then offer it as proof for bob.
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
    const registration = opaqueClient.startRegistration(NEW_PASSWORD)
    const started = await bob.api.changePasswordStart({
      startLoginRequest: opaqueClient.startLogin('a guess').startLoginRequest,
      registrationRequest: registration.registrationRequest,
    })
    const { registrationRecord } = opaqueClient.finishRegistration({
      password: NEW_PASSWORD,
      registrationResponse: started.registrationResponse,
      clientRegistrationState: registration.clientRegistrationState,
    })
    const error = await apiError(() =>
      bob.api.changePasswordFinish({
        loginId,
        finishLoginRequest: proven.finishLoginRequest,
        registrationRecord,
        wrappedAccountKey: bob.session.keys.wrappedAccountKey,
      }),
    )
    expect(error).toMatchObject({ status: 401, code: 'invalid_credentials' })
    expect(await passwordRow(server, bob.session.user.id)).toEqual(before)
  })

  it('limits guesses of the current password like sign-ins', async () => {
    for (let i = 0; i < 10; i++) {
      const error = await apiError(() =>
        changePassword(bob.api, {
          username: 'bob',
          keys: bob.session.keys,
          currentPassword: `guess ${i}`,
          newPassword: NEW_PASSWORD,
        }),
      )
      expect(error.code).toBe('invalid_credentials')
    }
    const limited = await apiError(() =>
      changePassword(bob.api, {
        username: 'bob',
        keys: bob.session.keys,
        currentPassword: bob.password,
        newPassword: NEW_PASSWORD,
      }),
    )
    expect(limited).toMatchObject({ status: 429, code: 'rate_limited' })
  })

  it('needs a session', async () => {
    const error = await apiError(() =>
      server.client().changePasswordStart({
        startLoginRequest: opaqueClient.startLogin('x').startLoginRequest,
        registrationRequest: opaqueClient.startRegistration('y').registrationRequest,
      }),
    )
    expect(error).toMatchObject({ status: 401, code: 'not_signed_in' })
  })
})

describe.each(dialects)('change password secrets at rest on %s', (dialect) => {
  it('keeps the old and the new password out of the database and the log', async () => {
    const { logger, lines } = traceLog()
    const server = await startTestServer(dialect, { logger })
    try {
      await opaqueReady
      const admin = await setupAdmin(server)
      const bob = await inviteAndAccept(server, admin.api, 'bob')
      const canary = `canary-${toHex(crypto.getRandomValues(new Uint8Array(12)))}`
      await changePassword(bob.api, {
        username: 'bob',
        keys: bob.session.keys,
        currentPassword: bob.password,
        newPassword: canary,
      })
      await signIn(server.client(), { username: 'bob', password: canary })
      await expectKeptFromRest({
        server,
        dialect,
        lines,
        secrets: [
          ['new password', canary],
          ['old password', bob.password],
        ],
        inClear: 'bob@example.org',
        encoded: Buffer.from(bob.session.keys.x25519PublicKey, 'base64url'),
        inLog: '/api/account/password/finish',
      })
    } finally {
      await server.close()
    }
  })
})
