import {
  createResetLink,
  enableAccountRecovery,
  fromBase64Url,
  keyFingerprint,
  loadItems,
  opaqueReady,
  openMessageDetail,
  openVaults,
  resetPassword,
  resetSecretFrom,
  saveItem,
  shareRecoveryKey,
  signIn,
  signRecoveryKey,
  toBase64Url,
  toHex,
  utf8,
} from '@sealpost/core'
import { deriveAesKey, generateX25519KeyPair, openEnvelope } from '@sealpost/core/primitives'
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

const NEW_PASSWORD = 'reset by an administrator'
type Member = Person & { password: string; exportKey: string }

describe.each(dialects)('administrator-assisted recovery on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Member
  const origin = 'http://sealpost.test'
  const adminMe = () => ({ account: admin.account, userId: admin.session.user.id })

  beforeEach(async () => {
    ;({
      server,
      admin,
      members: [bob],
    } = await startWithPeople(dialect, ['bob']))
    await enableAccountRecovery(admin.api, admin.account, [
      { userId: admin.session.user.id, x25519PublicKey: admin.session.keys.x25519PublicKey },
    ])
  })
  afterEach(async () => {
    await server.close()
  })

  /** Bob signs in once while recovery is on: his client enrols him. */
  async function enrolBob() {
    await signIn(server.client(), { username: 'bob', password: bob.password })
    expect((await bob.api.recoveryPolicy()).enrolled).toBe(true)
  }

  it('enrols users at sign-in and lets an administrator reset a forgotten password', async () => {
    const now = () => server.clock.now()
    const { id } = await send(admin, [bob], { subject: 'Kept through a reset' }, now)
    const [vault] = await openVaults(bob.api, bob.account, bob.session.user)
    if (!vault) throw new Error('no vault')
    await saveItem(bob.api, vault, {
      parentId: null,
      kind: 'entry',
      content: { name: 'door', type: 'note', fields: [], notes: 'door code 4711' },
      baseRevision: 0,
    })
    expect((await admin.api.recoveryOverview()).enrolledUserIds).toEqual([])
    await enrolBob()
    expect((await admin.api.recoveryOverview()).enrolledUserIds).toEqual([bob.session.user.id])
    const fingerprint = await keyFingerprint(bob.session.keys)

    const { url, expiresAt } = await createResetLink(admin.api, {
      origin,
      me: adminMe(),
      userId: bob.session.user.id,
    })
    expect(url).toMatch(/^http:\/\/sealpost\.test\/reset#[A-Za-z0-9_-]{43}$/)
    expect(expiresAt).toBe(new Date(now().getTime() + 24 * 3_600_000).toISOString())

    await resetPassword(server.client(), {
      secret: resetSecretFrom(url),
      newPassword: NEW_PASSWORD,
    })
    expect(await apiError(() => bob.api.getSession())).toMatchObject({ status: 401 })
    expect(
      await apiError(() => signIn(server.client(), { username: 'bob', password: bob.password })),
    ).toMatchObject({ code: 'invalid_credentials' })
    const api = server.client()
    const again = await signIn(api, { username: 'bob', password: NEW_PASSWORD })
    expect(await keyFingerprint(again.session.keys)).toBe(fingerprint)
    const opened = await openMessageDetail(
      again.account,
      again.session.user.id,
      await api.getMessage(id),
      now(),
    )
    expect(opened.subject).toBe('Kept through a reset')
    const [reopened] = await openVaults(api, again.account, again.session.user)
    if (!reopened) throw new Error('vault gone')
    expect((await loadItems(api, reopened)).map((i) => i.content.notes)).toEqual(['door code 4711'])
    const audit = await server.db
      .selectFrom('audit_events')
      .select(['action', 'actor_id'])
      .where('target_id', '=', bob.session.user.id)
      .where('action', 'like', 'account_recovery.%')
      .execute()
    expect(audit.map((a) => a.action).sort()).toEqual([
      'account_recovery.enrolled',
      'account_recovery.reset',
      'account_recovery.reset_link',
    ])
  })

  /** Bob's escrow rows, straight from the database. */
  const bobsEscrows = () =>
    server.db
      .selectFrom('recovery_escrows')
      .select('key_id')
      .where('user_id', '=', bob.session.user.id)
      .execute()
  const attackerKey = async () => toBase64Url((await generateX25519KeyPair()).publicKey)

  it('escrows nothing to a recovery key a compromised server swapped in, and still signs in', async () => {
    const genuine = await server.db
      .selectFrom('org_recovery_keys')
      .select(['public_key', 'signer_id', 'signature'])
      .executeTakeFirstOrThrow()
    // The server keeps the administrator's signature but serves its own public key.
    await server.db
      .updateTable('org_recovery_keys')
      .set({ public_key: await attackerKey() })
      .execute()
    const refused = await signIn(server.client(), { username: 'bob', password: bob.password })
    expect(refused.session.user.id).toBe(bob.session.user.id)
    expect(refused.enrolmentError).toMatchObject({
      name: 'CryptoError',
      code: 'recovery_key_unverified',
    })
    expect(await bobsEscrows()).toEqual([])
    expect((await bob.api.recoveryPolicy()).enrolled).toBe(false)

    await server.db
      .updateTable('org_recovery_keys')
      .set({ public_key: genuine.public_key })
      .execute()
    const enrolled = await signIn(server.client(), { username: 'bob', password: bob.password })
    expect(enrolled.enrolmentError).toBeUndefined()
    expect(await bobsEscrows()).toHaveLength(1)
  })

  it('escrows nothing to a key the server made up while no administrator turned recovery on', async () => {
    await server.db.deleteFrom('org_recovery_keys').execute()
    await server.db
      .insertInto('org_recovery_keys')
      .values({
        id: 1,
        key_id: crypto.randomUUID(),
        public_key: await attackerKey(),
        created_by: null,
        created_at: server.clock.now().getTime(),
        signer_id: admin.session.user.id,
        signature: toBase64Url(crypto.getRandomValues(new Uint8Array(64))),
      })
      .execute()
    const refused = await signIn(server.client(), { username: 'bob', password: bob.password })
    expect(refused.enrolmentError).toMatchObject({ code: 'recovery_key_unverified' })
    await server.db
      .updateTable('org_recovery_keys')
      .set({ signer_id: null, signature: null })
      .execute()
    const unsigned = await signIn(server.client(), { username: 'bob', password: bob.password })
    expect(unsigned.enrolmentError).toMatchObject({ code: 'recovery_key_unverified' })
    expect(await bobsEscrows()).toEqual([])
  })

  it('refuses to turn recovery on with a key its administrator did not sign', async () => {
    await server.db.deleteFrom('recovery_shares').execute()
    await server.db.deleteFrom('org_recovery_keys').execute()
    const key = { keyId: crypto.randomUUID(), publicKey: await attackerKey() }
    const shares = [{ userId: admin.session.user.id, box: { v: 1 as const, enc: 'AA', ct: 'AA' } }]
    const signature = await signRecoveryKey(bob.account, key)
    expect(
      await apiError(() => admin.api.enableRecovery({ ...key, signature, shares })),
    ).toMatchObject({ status: 400, code: 'invalid_input' })
    expect(await server.db.selectFrom('org_recovery_keys').select('key_id').execute()).toEqual([])
  })

  it('answers a used, an expired and an unknown reset link alike', async () => {
    await enrolBob()
    const used = await createResetLink(admin.api, {
      origin,
      me: adminMe(),
      userId: bob.session.user.id,
    })
    await resetPassword(server.client(), {
      secret: resetSecretFrom(used.url),
      newPassword: NEW_PASSWORD,
    })
    const answers = [
      await apiError(() =>
        resetPassword(server.client(), { secret: resetSecretFrom(used.url), newPassword: 'x y z' }),
      ),
    ]
    const expired = await createResetLink(admin.api, {
      origin,
      me: adminMe(),
      userId: bob.session.user.id,
    })
    server.clock.advance(24 * 3_600_000 + 1)
    answers.push(
      await apiError(() =>
        resetPassword(server.client(), {
          secret: resetSecretFrom(expired.url),
          newPassword: 'x y',
        }),
      ),
      await apiError(() =>
        resetPassword(server.client(), {
          secret: toBase64Url(crypto.getRandomValues(new Uint8Array(32))),
          newPassword: 'x y',
        }),
      ),
    )
    expect(answers[0]).toMatchObject({ status: 404, code: 'not_available' })
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1)
    await expect(
      signIn(server.client(), { username: 'bob', password: NEW_PASSWORD }),
    ).resolves.toBeDefined()
  })

  it('keeps escrows and the recovery private key from members (404)', async () => {
    await enrolBob()
    const carol = await inviteAndAccept(server, admin.api, 'carol')
    for (const target of [bob.session.user.id, admin.session.user.id, carol.session.user.id]) {
      expect(await apiError(() => carol.api.userEscrow(target))).toMatchObject({
        status: 404,
        code: 'not_found',
      })
    }
    expect(await apiError(() => carol.api.myRecoveryShare())).toMatchObject({ status: 404 })
    expect(await apiError(() => bob.api.myRecoveryShare())).toMatchObject({ status: 404 })
    expect(
      await apiError(() =>
        carol.api.createReset(bob.session.user.id, {
          resetId: 'A'.repeat(43),
          verifier: 'A'.repeat(43),
          wrappedAccountKey: bob.session.keys.wrappedAccountKey,
        }),
      ),
    ).toMatchObject({ status: 403 })
  })

  it('refuses to reset a user who is not enrolled, with a clear error', async () => {
    const error = await apiError(() =>
      createResetLink(admin.api, { origin, me: adminMe(), userId: bob.session.user.id }),
    )
    expect(error).toMatchObject({ status: 409, code: 'not_enrolled' })
    expect(error.message).toMatch(/not enrolled/)
  })

  it('gives a promoted administrator the recovery key through the promoting admin’s client', async () => {
    await enrolBob()
    const carol = await inviteAndAccept(server, admin.api, 'carol')
    await admin.api.updateUser(carol.session.user.id, { role: 'admin' })
    expect(await apiError(() => carol.api.myRecoveryShare())).toMatchObject({ status: 404 })
    await shareRecoveryKey(admin.api, adminMe(), {
      userId: carol.session.user.id,
      x25519PublicKey: carol.session.keys.x25519PublicKey,
    })
    const carolAgain = server.client()
    const signedIn = await signIn(carolAgain, { username: 'carol', password: carol.password })
    const { url } = await createResetLink(carolAgain, {
      origin,
      me: { account: signedIn.account, userId: carol.session.user.id },
      userId: bob.session.user.id,
    })
    await resetPassword(server.client(), {
      secret: resetSecretFrom(url),
      newPassword: NEW_PASSWORD,
    })
  })
})

describe.each(dialects)('account recovery secrets at rest on %s', (dialect) => {
  it('keeps the reset secret, the new password and the account key out of the database and the log', async () => {
    const { logger, lines } = traceLog()
    const server = await startTestServer(dialect, { logger })
    try {
      await opaqueReady
      const admin = await setupAdmin(server)
      const bob = await inviteAndAccept(server, admin.api, 'bob')
      await enableAccountRecovery(admin.api, admin.account, [
        { userId: admin.session.user.id, x25519PublicKey: admin.session.keys.x25519PublicKey },
      ])
      await signIn(server.client(), { username: 'bob', password: bob.password })
      const { url } = await createResetLink(admin.api, {
        origin: 'http://sealpost.test',
        me: { account: admin.account, userId: admin.session.user.id },
        userId: bob.session.user.id,
      })
      const secret = resetSecretFrom(url)
      const canary = `canary-${toHex(crypto.getRandomValues(new Uint8Array(12)))}`
      await resetPassword(server.client(), { secret, newPassword: canary })
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
          ['reset secret', fromBase64Url(secret)],
          ['reset link', url],
          ['new password', canary],
          ['account key', accountKey],
        ],
        inClear: 'bob@example.org',
        encoded: fromBase64Url(bob.session.keys.x25519PublicKey),
        inLog: '/api/reset/finish',
      })
    } finally {
      await server.close()
    }
  })
})
