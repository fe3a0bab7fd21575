import { acceptInvite, inviteTokenFrom, signIn } from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  ADMIN_PASSWORD,
  apiError,
  inviteAndAccept,
  setupAdmin,
} from '../../test-support/accounts.js'
import {
  dialects,
  rawRequest,
  startTestServer,
  type TestServer,
} from '../../test-support/harness.js'

describe.each(dialects)('user administration on %s', (dialect) => {
  let server: TestServer
  beforeEach(async () => {
    server = await startTestServer(dialect)
  })
  afterEach(async () => {
    await server.close()
  })

  it('invites a user with a one-time link; the invitee chooses a password and gets keys', async () => {
    const admin = await setupAdmin(server)
    const invite = await admin.api.inviteUser({
      username: 'Bob',
      email: 'bob@example.org',
      displayName: 'Bob Builder',
    })
    expect(invite.inviteUrl).toMatch(/^http:\/\/sealpost\.test\/invite#[A-Za-z0-9_-]{43}$/)
    expect(invite.user).toMatchObject({ username: 'bob', status: 'invited', role: 'member' })
    expect(Date.parse(invite.expiresAt) - server.clock.now().getTime()).toBe(7 * 24 * 3_600_000)

    const token = inviteTokenFrom(invite.inviteUrl)
    const bob = server.client()
    expect(await bob.inviteLookup({ token })).toMatchObject({
      username: 'bob',
      displayName: 'Bob Builder',
    })
    const accepted = await acceptInvite(bob, {
      token,
      password: 'bob chooses this',
      displayName: 'Bobby',
    })
    expect(accepted.session.user).toMatchObject({
      username: 'bob',
      displayName: 'Bobby',
      role: 'member',
    })
    // The token is not stored in clear.
    const stored = await server.db.selectFrom('invites').select('token_hash').execute()
    expect(stored.map((r) => r.token_hash)).not.toContain(token)

    const reuse = await apiError(() =>
      acceptInvite(server.client(), { token, password: 'attacker password' }),
    )
    expect(reuse).toMatchObject({ status: 400, code: 'invalid_invite' })
    await expect(
      signIn(server.client(), { username: 'bob', password: 'bob chooses this' }),
    ).resolves.toBeDefined()
    const users = (await admin.api.listUsers()).users
    expect(users.find((u) => u.username === 'bob')?.status).toBe('active')
  })

  it('refuses an invite after 7 days, and a new link replaces the old one', async () => {
    const admin = await setupAdmin(server)
    const first = await admin.api.inviteUser({ username: 'carol', email: 'carol@example.org' })
    server.clock.advance(7 * 24 * 3_600_000 + 1)
    const expired = await apiError(() =>
      server.client().inviteLookup({ token: inviteTokenFrom(first.inviteUrl) }),
    )
    expect(expired.code).toBe('invalid_invite')

    // A week later the admin's own session has expired too: sign in again.
    await signIn(admin.api, { username: 'admin', password: ADMIN_PASSWORD })
    const second = await admin.api.reinviteUser(first.user.id)
    const stale = await apiError(() =>
      acceptInvite(server.client(), {
        token: inviteTokenFrom(first.inviteUrl),
        password: 'p4ssword long',
      }),
    )
    expect(stale.code).toBe('invalid_invite')
    await expect(
      acceptInvite(server.client(), {
        token: inviteTokenFrom(second.inviteUrl),
        password: 'p4ssword long',
      }),
    ).resolves.toBeDefined()
    const again = await apiError(() => admin.api.reinviteUser(first.user.id))
    expect(again.status).toBe(400)
  })

  it('answers 403 to a member on every admin route', async () => {
    const admin = await setupAdmin(server)
    const member = await inviteAndAccept(server, admin.api, 'mallory')
    const id = admin.session.user.id
    const attempts: Array<() => Promise<unknown>> = [
      () => member.api.listUsers(),
      () => member.api.inviteUser({ username: 'eve', email: 'eve@example.org' }),
      () => member.api.reinviteUser(id),
      () => member.api.updateUser(id, { status: 'disabled' }),
      () => member.api.updateUser(member.session.user.id, { role: 'admin' }),
      () => member.api.getSettings(),
      () =>
        member.api.updateSettings({
          defaultCanSendMessages: false,
          defaultCanSendAttachments: false,
        }),
    ]
    for (const attempt of attempts) {
      expect(await apiError(attempt)).toMatchObject({ status: 403, code: 'admin_only' })
    }
    expect((await admin.api.listUsers()).users.find((u) => u.username === 'mallory')?.role).toBe(
      'member',
    )
  })

  it('answers 404 for unknown user ids and 401 without a session', async () => {
    const admin = await setupAdmin(server)
    const unknown = '00000000-0000-4000-8000-000000000000'
    expect(await apiError(() => admin.api.updateUser(unknown, { role: 'admin' }))).toMatchObject({
      status: 404,
      code: 'not_found',
    })
    expect(await apiError(() => admin.api.reinviteUser(unknown))).toMatchObject({ status: 404 })
    const anonymous = await rawRequest(server.app, { method: 'GET', url: '/api/admin/users' })
    expect(anonymous.status).toBe(401)
    const directory = await rawRequest(server.app, { method: 'GET', url: '/api/users' })
    expect(directory.status).toBe(401)
  })

  it('edits role and permissions; users without an override follow the organisation values', async () => {
    const admin = await setupAdmin(server)
    const bob = await inviteAndAccept(server, admin.api, 'bob')
    expect(bob.session.user).toMatchObject({ canSendMessages: true, canSendAttachments: true })

    const updated = await admin.api.updateUser(bob.session.user.id, {
      canSendMessages: false,
      role: 'admin',
    })
    expect(updated.user).toMatchObject({
      canSendMessages: false,
      canSendAttachments: true,
      role: 'admin',
    })
    expect((await bob.api.getSession()).user).toMatchObject({
      canSendMessages: false,
      role: 'admin',
    })

    expect(await admin.api.getSettings()).toEqual({
      defaultCanSendMessages: true,
      defaultCanSendAttachments: true,
      defaultCanCreateLinks: true,
      defaultCanRequestSecrets: true,
      // No maximum: a message may also never expire.
      maxExpiryDays: 0,
      // Senders see receipts unless the organisation turns them off.
      receiptsEnabled: true,
      // Members who have not chosen are emailed about new messages while away.
      defaultNotifyByEmail: true,
    })
    await admin.api.updateSettings({
      defaultCanSendMessages: true,
      defaultCanSendAttachments: false,
      defaultCanRequestSecrets: false,
    })
    const carol = await inviteAndAccept(server, admin.api, 'carol')
    expect(carol.session.user).toMatchObject({
      canSendMessages: true,
      canSendAttachments: false,
      canRequestSecrets: false,
    })
    // bob's own override stays; the rest follows the organisation, as for carol.
    expect((await bob.api.getSession()).user).toMatchObject({
      canSendMessages: false,
      canSendAttachments: false,
      canRequestSecrets: false,
    })
    const allowed = await admin.api.updateUser(carol.session.user.id, { canRequestSecrets: true })
    expect(allowed.user.canRequestSecrets).toBe(true)
    expect((await carol.api.getSession()).user.canRequestSecrets).toBe(true)
  })

  it('disabling a user ends their sessions at once and blocks sign-in; enabling restores it', async () => {
    const admin = await setupAdmin(server)
    const bob = await inviteAndAccept(server, admin.api, 'bob')
    await admin.api.updateUser(bob.session.user.id, { status: 'disabled' })
    expect(await apiError(() => bob.api.getSession())).toMatchObject({
      status: 401,
      code: 'not_signed_in',
    })
    const rows = await server.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', bob.session.user.id)
      .execute()
    expect(rows).toHaveLength(0)
    expect(
      (await apiError(() => signIn(server.client(), { username: 'bob', password: bob.password })))
        .code,
    ).toBe('invalid_credentials')
    expect((await admin.api.directory()).users.map((u) => u.username)).toEqual(['admin'])

    await admin.api.updateUser(bob.session.user.id, { status: 'active' })
    await expect(
      signIn(server.client(), { username: 'bob', password: bob.password }),
    ).resolves.toBeDefined()
    // The audit log tells the disabling from other changes, and says what was given.
    const { events } = await admin.api.listAudit({ limit: 10 })
    expect(
      events
        .filter((e) => e.targetId === bob.session.user.id && e.action.startsWith('user.'))
        .map((e) => [e.action, e.details]),
    ).toEqual([
      ['user.updated', { status: 'active' }],
      ['user.disabled', { status: 'disabled' }],
      ['user.invited', null],
    ])
  })

  it('keeps at least one active administrator', async () => {
    const admin = await setupAdmin(server)
    const id = admin.session.user.id
    expect(await apiError(() => admin.api.updateUser(id, { role: 'member' }))).toMatchObject({
      status: 409,
      code: 'last_administrator',
    })
    expect(await apiError(() => admin.api.updateUser(id, { status: 'disabled' }))).toMatchObject({
      status: 409,
    })
    const bob = await inviteAndAccept(server, admin.api, 'bob')
    await admin.api.updateUser(bob.session.user.id, { role: 'admin' })
    await expect(admin.api.updateUser(id, { role: 'member' })).resolves.toBeDefined()
  })

  it('refuses a taken username and invalid invite input', async () => {
    const admin = await setupAdmin(server)
    expect(
      await apiError(() => admin.api.inviteUser({ username: 'admin', email: 'x@example.org' })),
    ).toMatchObject({
      status: 409,
      code: 'username_taken',
    })
    const bad = await apiError(() => admin.api.inviteUser({ username: 'ok-name', email: 'nope' }))
    expect(bad).toMatchObject({ status: 400, code: 'invalid_input' })
    expect(bad.message).toMatch(/email/)
    expect((await admin.api.listUsers()).users).toHaveLength(1)
  })

  it('lists active users with their public keys in the directory', async () => {
    const admin = await setupAdmin(server)
    const bob = await inviteAndAccept(server, admin.api, 'bob')
    await admin.api.inviteUser({ username: 'pending', email: 'p@example.org' })
    const directory = (await bob.api.directory()).users
    expect(directory.map((u) => u.username).sort()).toEqual(['admin', 'bob'])
    expect(directory.find((u) => u.username === 'bob')?.x25519PublicKey).toBe(
      bob.session.keys.x25519PublicKey,
    )
  })
})
