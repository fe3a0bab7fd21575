import {
  acceptInvite,
  changePassword,
  addVaultMember,
  createLink,
  createRequest,
  createSharedVault,
  inviteTokenFrom,
  openMessageDetail,
  openVaults,
  saveItem,
  saveMessageToVault,
  sealPendingGrants,
  setupAdministrator,
  signIn,
  createRecoveryCode,
  provePassword,
  enableAccountRecovery,
  enrollInAccountRecovery,
  shareRecoveryKey,
  createResetLink,
  rekeyVault,
} from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { totpCode } from '../features/two-factor/totp.js'
import { dialects, startTestServer, type TestServer } from '../test-support/harness.js'
import { type Person, send } from '../test-support/messages.js'
import { type RecordedRequest, recordingClient } from '../test-support/recording-client.js'

/** State-changing routes without a session: their CSRF check is the header alone. */
const SESSIONLESS = new Set([
  'POST /api/setup/start',
  'POST /api/setup/finish',
  'POST /api/auth/login/start',
  'POST /api/auth/login/finish',
  'POST /api/invites/lookup',
  'POST /api/invites/register/start',
  'POST /api/invites/register/finish',
  'POST /api/public/links/{id}/check',
  'POST /api/public/links/{id}/reveal',
  'POST /api/public/links/{id}/open',
  'POST /api/public/requests/{id}/view',
  'PUT /api/public/requests/{id}/uploads/{blobId}/chunks/{index}',
  'PUT /api/public/requests/{id}/answers/{answerId}',
  'POST /api/recovery/start',
  'POST /api/recovery/finish',
  'POST /api/auth/login/second-factor',
  'POST /api/reset/start',
  'POST /api/reset/finish',
])

type Recorded = RecordedRequest & { owner: 'admin' | 'bob' }

describe.each(dialects)('CSRF tokens on %s', (dialect) => {
  let server: TestServer

  beforeEach(async () => {
    server = await startTestServer(dialect)
  })
  afterEach(async () => {
    await server.close()
  })

  /** Every state-changing request the real flows send, as the administrator and as bob. */
  async function recordFlows(): Promise<{ recorded: Recorded[]; admin: Person; bob: Person }> {
    const adminClient = recordingClient(server)
    const admin = {
      api: adminClient.api,
      ...(await setupAdministrator(adminClient.api, {
        username: 'admin',
        displayName: 'Ada Admin',
        email: 'ada@example.org',
        password: 'admin password for tests',
      })),
    }
    const invite = await admin.api.inviteUser({ username: 'bob', email: 'bob@example.org' })
    const bobClient = recordingClient(server)
    const bob = {
      api: bobClient.api,
      ...(await acceptInvite(bobClient.api, {
        token: inviteTokenFrom(invite.inviteUrl),
        password: 'bob password for tests',
      })),
    }
    const carol = await admin.api.inviteUser({ username: 'carol', email: 'carol@example.org' })
    await admin.api.reinviteUser(carol.user.id)
    await admin.api.updateUser(bob.session.user.id, { canCreateLinks: true })
    await admin.api.updateSettings({ maxExpiryDays: 200 })
    await admin.api.setOrgPolicy({ defaultExpiry: '1d', maxLinkViews: 50, maxExpiryDays: 0 })
    await admin.api.setUserPolicy(bob.session.user.id, { canSendEmail: true, maxLinkViews: null })
    const ops = await admin.api.createGroup({ name: 'Ops' })
    await admin.api.renameGroup(ops.id, { name: 'Operations' })
    await admin.api.changeGroupMembers(ops.id, { add: [bob.session.user.id] })
    await admin.api.setGroupPolicy(ops.id, { maxLinkViews: 20 })
    await admin.api.deleteGroup((await admin.api.createGroup({ name: 'Gone' })).id)
    // Webhooks: nothing is delivered here (no worker runs), the routes are what is recorded.
    const hook = await admin.api.createWebhook({ url: 'http://127.0.0.1:9/hook' })
    await admin.api.updateWebhook(hook.id, { description: 'changed' })
    const test = await admin.api.testWebhook(hook.id)
    await admin.api.redeliverWebhook(hook.id, test.id)
    await admin.api.deleteWebhook(hook.id)

    const now = () => server.clock.now()
    const file = { name: 'notes.txt', bytes: new TextEncoder().encode('a file') }
    await send(bob, [admin], { files: [file] }, now)
    const received = await send(admin, [bob], { files: [file] }, now)
    await bob.api.recordReceipt(received.id, 'opened')
    await bob.api.markRead(received.id)

    const link = await createLink(bob.api, {
      origin: 'http://sealpost.test',
      account: bob.account,
      text: 'a link',
      expiresAt: new Date(now().getTime() + 3_600_000).toISOString(),
      maxViews: 1,
      argon2: { memoryKiB: 8 * 1024, iterations: 1, parallelism: 1 },
    })
    // No mail server: the route answers 409, after the CSRF check.
    await expect(
      bob.api.emailLink(link.id, { to: ['x@example.org'], url: link.url }),
    ).rejects.toMatchObject({ code: 'mail_not_configured' })
    await bob.api.deleteLink(link.id)

    const request = await createRequest(bob.api, {
      origin: 'http://sealpost.test',
      account: bob.account,
      me: { displayName: 'bob', username: 'bob' },
      note: 'a request',
      expiresAt: new Date(now().getTime() + 3_600_000).toISOString(),
      maxAnswers: 1,
      allowFiles: false,
    })
    await expect(
      bob.api.emailRequest(request.id, { to: ['x@example.org'], url: request.url }),
    ).rejects.toMatchObject({ code: 'mail_not_configured' })
    await bob.api.deleteRequest(request.id)

    // Shared vaults and their members are the administrator's; items are anyone's.
    const adminMe = {
      id: admin.session.user.id,
      x25519PublicKey: admin.session.keys.x25519PublicKey,
    }
    const sharedId = await createSharedVault(admin.api, adminMe, 'Team')
    const shared = (await openVaults(admin.api, admin.account, adminMe)).find(
      (v) => v.id === sharedId,
    )!
    await addVaultMember(
      admin.api,
      shared,
      { id: bob.session.user.id, x25519PublicKey: bob.session.keys.x25519PublicKey },
      false,
    )
    await admin.api.removeVaultMember(shared.id, bob.session.user.id)
    // Group grants: the grant, the key sealed to bob through it, and the grant's end.
    await admin.api.putVaultGroupGrant(shared.id, ops.id, { canWrite: false })
    expect(await sealPendingGrants(admin.api, admin.account, adminMe, () => true)).toBe(1)
    await admin.api.removeVaultGroupGrant(shared.id, ops.id)
    // Re-keying: one swap after the new key is sealed to every member.
    await rekeyVault(admin.api, shared)

    const me = { id: bob.session.user.id }
    const vault = (await openVaults(bob.api, bob.account, me)).find((v) => v.kind === 'user')!
    const item = await saveItem(bob.api, vault, {
      parentId: null,
      kind: 'folder',
      content: { name: 'Servers', type: 'folder', fields: [] },
      baseRevision: 0,
    })
    const opened = await openMessageDetail(
      bob.account,
      bob.session.user.id,
      await bob.api.getMessage(received.id),
      now(),
    )
    await saveMessageToVault(bob.api, {
      messageId: received.id,
      opened,
      vault,
      parentId: item.id,
      siblingNames: new Set(),
    })
    await bob.api.deleteItem(vault.id, item.id)
    await bob.api.deleteMessage(received.id)

    await createRecoveryCode(bob.api, {
      username: 'bob',
      keys: bob.session.keys,
      password: 'bob password for tests',
    })

    // Two-factor: bob turns TOTP on and off; a made-up security key answer is refused after
    // the CSRF check; the administrator sets the policy and removes bob's factors.
    const { secret } = await bob.api.totpSetup()
    await bob.api.totpConfirm({ code: totpCode(secret, now().getTime()) })
    await bob.api.webauthnRegistrationOptions()
    await expect(bob.api.webauthnRegister({ name: 'key', response: {} })).rejects.toMatchObject({
      code: 'invalid_second_factor',
    })
    const { proof } = await provePassword(bob.api, 'bob password for tests')
    await bob.api.twoFactorOff({ proof })
    await admin.api.setTwoFactorPolicy({ required: false })
    await admin.api.removeUserTwoFactor(bob.session.user.id)

    // Account recovery: the administrator turns it on, bob enrols (by hand: his sign-ins above
    // came before), the administrator shares the key with himself again and creates a reset.
    await enableAccountRecovery(admin.api, admin.account, [
      { userId: admin.session.user.id, x25519PublicKey: admin.session.keys.x25519PublicKey },
    ])
    await enrollInAccountRecovery(bob.api, {
      userId: bob.session.user.id,
      username: 'bob',
      exportKey: bob.exportKey,
      keys: bob.session.keys,
    })
    await shareRecoveryKey(
      admin.api,
      { account: admin.account, userId: admin.session.user.id },
      { userId: admin.session.user.id, x25519PublicKey: admin.session.keys.x25519PublicKey },
    )
    await createResetLink(admin.api, {
      origin: 'http://sealpost.test',
      me: { account: admin.account, userId: admin.session.user.id },
      userId: bob.session.user.id,
    })

    // Account and sessions. Changing the password ends bob's other sessions, and each way of
    // ending a session ends one of bob's other sign-ins, never the one replayed below.
    await changePassword(bob.api, {
      username: 'bob',
      keys: bob.session.keys,
      currentPassword: 'bob password for tests',
      newPassword: 'bob new password for tests',
    })
    const otherSignIn = async () => {
      const client = recordingClient(server)
      await signIn(client.api, { username: 'bob', password: 'bob new password for tests' })
      return client
    }
    await bob.api.setNotifications({ notifyByEmail: false })
    const phone = await otherSignIn()
    const { sessions } = await bob.api.listSessions()
    await bob.api.endSession(sessions.find((s) => !s.isCurrent)!.id)
    await otherSignIn()
    await bob.api.endOtherSessions()
    await admin.api.endUserSessions(carol.user.id)
    const laptop = await otherSignIn()
    await laptop.api.logout()

    const recorded = [
      ...adminClient.requests.map((r) => ({ ...r, owner: 'admin' as const })),
      ...[...bobClient.requests, ...phone.requests, ...laptop.requests].map((r) => ({
        ...r,
        owner: 'bob' as const,
      })),
    ].filter((r) => r.hadSession)
    return { recorded, admin, bob }
  }

  /** The route template (as in the OpenAPI document) a request path belongs to. */
  function routesOf(): Array<{
    route: string
    matches: (method: string, path: string) => boolean
  }> {
    const paths = (server.app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths
    return Object.entries(paths).flatMap(([template, methods]) =>
      Object.keys(methods)
        .map((m) => m.toUpperCase())
        .filter((m) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(m))
        .map((method) => {
          const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}(\\?.*)?$`)
          return {
            route: `${method} ${template}`,
            matches: (m: string, path: string) => m === method && pattern.test(path),
          }
        }),
    )
  }

  it('refuses every state-changing request sent with another session’s token', async () => {
    const { recorded, admin, bob } = await recordFlows()
    // The sessions as they are now: changing the password gave bob a new CSRF token.
    const cookies = { admin: admin.api.session.cookie!, bob: bob.api.session.cookie! }
    const tokens = { admin: admin.api.session.csrfToken!, bob: bob.api.session.csrfToken! }
    expect(tokens.admin).not.toBe(tokens.bob)

    // Every state-changing route that needs a session was sent by the flows above.
    const routes = routesOf()
    expect(routes.map((r) => r.route)).toEqual(expect.arrayContaining([...SESSIONLESS]))
    const unexercised = routes
      .filter(({ route }) => !SESSIONLESS.has(route))
      .filter(({ matches }) => !recorded.some((r) => matches(r.method, r.path)))
      .map(({ route }) => route)
    expect(
      unexercised,
      'exercise these in the flows above, or list them in SESSIONLESS if they take no session',
    ).toEqual([])

    for (const request of recorded) {
      const name = `${request.method} ${request.path} by ${request.owner}`
      expect(request.status, `${name} was refused to its own session`).not.toBe(403)
      const other = request.owner === 'admin' ? 'bob' : 'admin'
      const replayed = await server.app.inject({
        method: request.method,
        url: request.path,
        headers: {
          cookie: cookies[request.owner],
          'x-sealpost-csrf': tokens[other],
          ...(request.contentType ? { 'content-type': request.contentType } : {}),
        },
        ...(request.body === undefined ? {} : { payload: request.body }),
      })
      expect(
        {
          status: replayed.statusCode,
          code: replayed.json<{ error?: { code: string } }>().error?.code,
        },
        name,
      ).toEqual({ status: 403, code: 'csrf_required' })
    }
  })
})
