import {
  bytesSource,
  createLink,
  type EffectivePolicy,
  policyCatalogue,
  policyKeys,
  signIn,
} from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import { type Person, send } from '../../test-support/messages.js'
import { createRequestOf, fileBytes } from '../../test-support/requests.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const ORIGIN = 'http://sealpost.test'
const FAST_ARGON2 = { memoryKiB: 8 * 1024, iterations: 1, parallelism: 1 }

describe.each(dialects)('policies on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person & { password: string }
  const now = () => server.clock.now()
  const inDays = (days: number) => new Date(now().getTime() + days * DAY).toISOString()

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

  const bobId = () => bob.session.user.id
  const link = (options: Partial<Parameters<typeof createLink>[1]> = {}) =>
    createLink(bob.api, {
      origin: ORIGIN,
      account: bob.account,
      text: 'the root password is hunter2',
      expiresAt: inDays(1),
      maxViews: 1,
      argon2: FAST_ARGON2,
      ...options,
    })
  const sources = (policy: EffectivePolicy) =>
    Object.fromEntries(policyKeys.map((key) => [key, policy[key].source]))

  it('gives every key its catalogue default before anyone sets a value', async () => {
    const policy = await bob.api.myPolicy()
    for (const key of policyKeys) {
      expect(policy[key]).toEqual({ value: policyCatalogue[key].default, source: 'default' })
    }
    expect(policy.defaultExpiry.value).toBe('7d')
  })

  it('resolves a key from the organisation, then from the user’s override, and back', async () => {
    await admin.api.setOrgPolicy({ canCreateLinks: false, defaultExpiry: '1d' })
    let policy = await bob.api.myPolicy()
    expect(policy.canCreateLinks).toEqual({ value: false, source: 'org' })
    expect(policy.defaultExpiry).toEqual({ value: '1d', source: 'org' })
    expect(policy.canSendEmail).toEqual({ value: true, source: 'default' })

    const set = await admin.api.setUserPolicy(bobId(), { canCreateLinks: true })
    expect(set.overrides).toEqual({ canCreateLinks: true })
    expect(set.effective.canCreateLinks).toEqual({ value: true, source: 'user' })
    policy = await bob.api.myPolicy()
    expect(policy.canCreateLinks).toEqual({ value: true, source: 'user' })
    // Someone else is not touched by bob's override.
    expect((await admin.api.myPolicy()).canCreateLinks).toEqual({ value: false, source: 'org' })

    await admin.api.setUserPolicy(bobId(), { canCreateLinks: null })
    expect((await admin.api.userPolicy(bobId())).overrides).toEqual({})
    expect((await bob.api.myPolicy()).canCreateLinks).toEqual({ value: false, source: 'org' })

    const org = await admin.api.orgPolicy()
    expect(org.settings).toEqual({ canCreateLinks: false, defaultExpiry: '1d' })
    expect(sources(org.effective)).toMatchObject({ canCreateLinks: 'org', maxFileMb: 'default' })
  })

  it('keeps the users table, the session and the old settings in step with the policy', async () => {
    await admin.api.updateUser(bobId(), { canSendMessages: false })
    expect((await admin.api.userPolicy(bobId())).overrides).toEqual({ canSendMessages: false })
    await admin.api.updateSettings({ defaultCanCreateLinks: false, maxExpiryDays: 30 })
    expect((await admin.api.orgPolicy()).settings).toEqual({
      canCreateLinks: false,
      maxExpiryDays: 30,
    })
    const listed = (await admin.api.listUsers()).users.find((u) => u.id === bobId())
    expect(listed).toMatchObject({ canSendMessages: false, canCreateLinks: false })
    expect((await bob.api.getSession()).user).toMatchObject({
      canSendMessages: false,
      canSendAttachments: true,
      canCreateLinks: false,
      canSendEmail: true,
    })
    expect((await bob.api.messagingLimits()).maxExpiryDays).toBe(30)
    // Send by email is its own policy: the session says so apart from links.
    await admin.api.setUserPolicy(bobId(), { canSendEmail: false })
    expect((await bob.api.getSession()).user).toMatchObject({ canSendEmail: false })
    expect((await admin.api.listUsers()).users.find((u) => u.id === bobId())).toMatchObject({
      canSendEmail: false,
    })
  })

  it('refuses unknown keys and values outside a key’s schema', async () => {
    for (const body of [
      { canFly: true },
      { maxLinkViews: 101 },
      { maxExpiryDays: -1 },
      { defaultExpiry: '7 days' },
      { allowedEmailDomains: ['not a domain'] },
      { canCreateLinks: 'no' },
    ]) {
      const refused = await apiError(() => admin.api.setOrgPolicy(body as never))
      expect(refused, JSON.stringify(body)).toMatchObject({ status: 400, code: 'invalid_input' })
    }
    expect((await admin.api.orgPolicy()).settings).toEqual({})
  })

  it('lets only administrators read and change policies, and answers 404 for an unknown user', async () => {
    const calls = [
      () => bob.api.orgPolicy(),
      () => bob.api.setOrgPolicy({ canCreateLinks: true }),
      () => bob.api.userPolicy(bobId()),
      () => bob.api.setUserPolicy(bobId(), { canCreateLinks: true }),
    ]
    for (const call of calls) {
      expect(await apiError(call)).toMatchObject({ status: 403, code: 'admin_only' })
    }
    const nobody = crypto.randomUUID()
    expect(await apiError(() => admin.api.userPolicy(nobody))).toMatchObject({ status: 404 })
    expect(
      await apiError(() => admin.api.setUserPolicy(nobody, { canCreateLinks: false })),
    ).toMatchObject({ status: 404 })
    expect((await admin.api.orgPolicy()).settings).toEqual({})
  })

  it('records each policy change in the audit log', async () => {
    await admin.api.setOrgPolicy({ maxFileMb: 5 })
    await admin.api.setUserPolicy(bobId(), { canSendEmail: false })
    const { events } = await admin.api.listAudit({ action: 'policy.updated' })
    expect(events.map((e) => e.targetId).sort()).toEqual([bobId(), null].sort())
  })

  it('lands two concurrent changes of different keys, losing neither', async () => {
    for (let round = 0; round < 5; round++) {
      await Promise.all([
        admin.api.setOrgPolicy({ maxLinkViews: 10 + round }),
        admin.api.setOrgPolicy({ maxFileMb: 20 + round }),
        admin.api.setUserPolicy(bobId(), { canSendEmail: round % 2 === 0 }),
        admin.api.setUserPolicy(bobId(), { maxLinkViews: 30 + round }),
      ])
      expect((await admin.api.orgPolicy()).settings).toEqual({
        maxLinkViews: 10 + round,
        maxFileMb: 20 + round,
      })
      expect((await admin.api.userPolicy(bobId())).overrides).toEqual({
        canSendEmail: round % 2 === 0,
        maxLinkViews: 30 + round,
      })
    }
  })

  describe('enforcement for a client that ignores the UI', () => {
    it('canSendMessages: 403 naming the policy', async () => {
      await admin.api.setUserPolicy(bobId(), { canSendMessages: false })
      const refused = await apiError(() => send(bob, [admin], {}, now))
      expect(refused).toMatchObject({ status: 403, code: 'sending_disabled' })
      expect(refused.message).toBe('policy canSendMessages forbids this')
      await admin.api.setUserPolicy(bobId(), { canSendMessages: null })
      await expect(send(bob, [admin], {}, now)).resolves.toBeDefined()
    })

    it('canSendAttachments: 403 for a file on a message and on a link', async () => {
      await admin.api.setOrgPolicy({ canSendAttachments: false })
      const files = [{ name: 'a.txt', bytes: fileBytes(10) }]
      expect(await apiError(() => send(bob, [admin], { files }, now))).toMatchObject({
        status: 403,
        code: 'attachments_disabled',
        message: 'policy canSendAttachments forbids this',
      })
      expect(
        await apiError(() => link({ files: [bytesSource('a', 'text/plain', fileBytes(3))] })),
      ).toMatchObject({ status: 403, message: 'policy canSendAttachments forbids this' })
      await expect(send(bob, [admin], {}, now)).resolves.toBeDefined()
    })

    it('canCreateLinks: 403 policy_forbids', async () => {
      await admin.api.setUserPolicy(bobId(), { canCreateLinks: false })
      expect(await apiError(() => link())).toMatchObject({
        status: 403,
        code: 'policy_forbids',
        message: 'policy canCreateLinks forbids this',
      })
    })

    it('canSendEmail: 403 for emailing a link or a request, checked before the mail server', async () => {
      const made = await link()
      const request = await createRequestOf(server, bob)
      const emailLink = () => bob.api.emailLink(made.id, { to: ['x@example.org'], url: made.url })
      const emailRequest = () =>
        bob.api.emailRequest(request.id, { to: ['x@example.org'], url: request.url })
      // Allowed: past the policy, the missing mail server answers.
      expect(await apiError(emailLink)).toMatchObject({ code: 'mail_not_configured' })
      await admin.api.setUserPolicy(bobId(), { canSendEmail: false })
      for (const call of [emailLink, emailRequest]) {
        expect(await apiError(call)).toMatchObject({
          status: 403,
          code: 'policy_forbids',
          message: 'policy canSendEmail forbids this',
        })
      }
    })

    it('allowedEmailDomains: 400 naming an address outside the domains', async () => {
      await admin.api.setOrgPolicy({ allowedEmailDomains: ['example.org', 'partner.test'] })
      const made = await link()
      const to = ['a@example.org', 'b@elsewhere.test']
      expect(await apiError(() => bob.api.emailLink(made.id, { to, url: made.url }))).toMatchObject(
        {
          status: 400,
          code: 'policy_limit',
          message:
            'policy allowedEmailDomains: b@elsewhere.test is not in example.org, partner.test',
        },
      )
      expect(
        await apiError(() => bob.api.emailLink(made.id, { to: ['a@Partner.test'], url: made.url })),
      ).toMatchObject({ code: 'mail_not_configured' })
    })

    it('canRequestSecrets: 403 policy_forbids', async () => {
      await admin.api.setUserPolicy(bobId(), { canRequestSecrets: false })
      expect(await apiError(() => createRequestOf(server, bob))).toMatchObject({
        status: 403,
        code: 'policy_forbids',
        message: 'policy canRequestSecrets forbids this',
      })
    })

    it('maxExpiryDays: 400 beyond it, and for never, on messages, links and requests', async () => {
      await admin.api.setUserPolicy(bobId(), { maxExpiryDays: 2 })
      const beyond = { status: 400, code: 'policy_limit' }
      expect(await apiError(() => send(bob, [admin], { expiresAt: inDays(3) }, now))).toMatchObject(
        { ...beyond, message: 'policy maxExpiryDays: expiresAt is more than 2 days away' },
      )
      expect(await apiError(() => send(bob, [admin], {}, now))).toMatchObject({
        ...beyond,
        message: 'policy maxExpiryDays: everything must expire within 2 days',
      })
      expect(await apiError(() => link({ expiresAt: inDays(3) }))).toMatchObject(beyond)
      expect(
        await apiError(() => createRequestOf(server, bob, { expiresInMs: 3 * DAY })),
      ).toMatchObject(beyond)
      await expect(send(bob, [admin], { expiresAt: inDays(2) }, now)).resolves.toBeDefined()
      await expect(link({ expiresAt: inDays(2) })).resolves.toBeDefined()
      // The administrator's own policy still allows never.
      await expect(send(admin, [bob], {}, now)).resolves.toBeDefined()
    })

    it('maxLinkViews: 400 above it', async () => {
      await admin.api.setOrgPolicy({ maxLinkViews: 3 })
      expect(await apiError(() => link({ maxViews: 4 }))).toMatchObject({
        status: 400,
        code: 'policy_limit',
        message: 'policy maxLinkViews: a link may allow at most 3 views',
      })
      await expect(link({ maxViews: 3 })).resolves.toBeDefined()
    })

    it('requireLinkPassphrase: 400 for a link without one', async () => {
      await admin.api.setOrgPolicy({ requireLinkPassphrase: true })
      expect(await apiError(() => link())).toMatchObject({
        status: 400,
        code: 'policy_limit',
        message: 'policy requireLinkPassphrase: a link needs a passphrase',
      })
      await expect(link({ passphrase: 'correct horse', argon2: undefined })).resolves.toBeDefined()
    })

    it('maxFileMb: 400 for a larger file on a message or a link', async () => {
      await admin.api.setUserPolicy(bobId(), { maxFileMb: 1 })
      const big = [{ name: 'big.bin', bytes: fileBytes(1024 * 1024 + 1) }]
      const refusal = {
        status: 400,
        code: 'policy_limit',
        message: 'policy maxFileMb: a file may be at most 1 MB',
      }
      expect(await apiError(() => send(bob, [admin], { files: big }, now))).toMatchObject(refusal)
      expect(
        await apiError(() =>
          link({ files: [bytesSource('big.bin', 'application/octet-stream', big[0]!.bytes)] }),
        ),
      ).toMatchObject(refusal)
      const fits = [{ name: 'fits.bin', bytes: fileBytes(1024 * 1024) }]
      await expect(send(bob, [admin], { files: fits }, now)).resolves.toBeDefined()
      expect((await bob.api.messagingLimits()).maxFileBytes).toBe(1024 * 1024)
    })

    it('requireTwoFactor: a user without a second factor must set one up after signing in', async () => {
      await admin.api.setUserPolicy(bobId(), { requireTwoFactor: true })
      const again = server.client()
      const signedIn = await signIn(again, { username: 'bob', password: bob.password })
      expect(signedIn.session.mustSetUpTwoFactor).toBe(true)
      expect(await apiError(() => again.inbox())).toMatchObject({
        status: 403,
        code: 'two_factor_required',
      })
      expect((await again.twoFactorStatus()).required).toBe(true)
      // The organisation's switch is untouched: others sign in as before.
      expect((await admin.api.twoFactorPolicy()).required).toBe(false)
    })
  })
})
