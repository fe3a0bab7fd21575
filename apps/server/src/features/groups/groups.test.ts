import { createLink, GROUP_MEMBERS_PER_CHANGE } from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, type Member, startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'

const DAY = 24 * 3_600_000

describe.each(dialects)('groups on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Member
  let carol: Member

  beforeEach(async () => {
    ;({
      server,
      admin,
      members: [bob, carol],
    } = await startWithPeople(dialect, ['bob', 'carol']))
  })
  afterEach(async () => {
    await server.close()
  })

  const idOf = (person: Person) => person.session.user.id
  const groupRows = () => server.db.selectFrom('groups').select(['id', 'name']).execute()
  const memberRows = (groupId: string) =>
    server.db
      .selectFrom('group_members')
      .select('user_id')
      .where('group_id', '=', groupId)
      .execute()
      .then((rows) => rows.map((row) => row.user_id).sort())

  it('is created, filled, renamed and deleted by an administrator, and listed for everyone', async () => {
    const ops = await admin.api.createGroup({ name: '  Ops  ' })
    expect(ops).toMatchObject({ name: 'Ops', members: [] })
    const filled = await admin.api.changeGroupMembers(ops.id, { add: [idOf(bob), idOf(carol)] })
    expect(filled.members.map((m) => m.username)).toEqual(['bob', 'carol'])
    expect(await memberRows(ops.id)).toEqual([idOf(bob), idOf(carol)].sort())

    // A disabled member stays in the group but counts for nothing a member sees.
    await admin.api.updateUser(idOf(carol), { status: 'disabled' })
    expect(await bob.api.listGroups()).toEqual({
      groups: [{ id: ops.id, name: 'Ops', memberCount: 1 }],
    })
    expect((await bob.api.group(ops.id)).members.map((m) => m.username)).toEqual(['bob'])
    expect((await admin.api.adminGroup(ops.id)).members).toMatchObject([
      { username: 'bob', status: 'active' },
      { username: 'carol', status: 'disabled' },
    ])

    const renamed = await admin.api.renameGroup(ops.id, { name: 'Operations' })
    expect(renamed.name).toBe('Operations')
    const removed = await admin.api.changeGroupMembers(ops.id, { remove: [idOf(bob)] })
    expect(removed.members.map((m) => m.username)).toEqual(['carol'])

    await admin.api.deleteGroup(ops.id)
    expect(await groupRows()).toEqual([])
    expect(await memberRows(ops.id)).toEqual([])
    expect(await bob.api.listGroups()).toEqual({ groups: [] })
  })

  it('keeps names unique whatever their case, on create and on rename', async () => {
    const ops = await admin.api.createGroup({ name: 'Ops' })
    const dev = await admin.api.createGroup({ name: 'Dev' })
    expect(await apiError(() => admin.api.createGroup({ name: 'OPS' }))).toMatchObject({
      status: 409,
      code: 'group_exists',
    })
    expect(await apiError(() => admin.api.renameGroup(dev.id, { name: 'ops' }))).toMatchObject({
      status: 409,
      code: 'group_exists',
    })
    // Its own name in another case is no clash.
    expect((await admin.api.renameGroup(ops.id, { name: 'OPS' })).name).toBe('OPS')
    expect((await groupRows()).map((row) => row.name).sort()).toEqual(['Dev', 'OPS'])
  })

  it('refuses names that a recipient list could not read one way', async () => {
    for (const name of ['', ' ', 'ops,dev', 'group:ops', '-ops', 'x'.repeat(65), 'a\nb']) {
      expect(await apiError(() => admin.api.createGroup({ name })), name).toMatchObject({
        status: 400,
        code: 'invalid_input',
      })
    }
    expect(await groupRows()).toEqual([])
    expect((await admin.api.createGroup({ name: 'Équipe 2_b.c-d' })).name).toBe('Équipe 2_b.c-d')
  })

  it('adds nobody when one of the users to add does not exist, and caps one change', async () => {
    const ops = await admin.api.createGroup({ name: 'Ops' })
    const refused = await apiError(() =>
      admin.api.changeGroupMembers(ops.id, { add: [idOf(bob), crypto.randomUUID()] }),
    )
    expect(refused).toMatchObject({ status: 400, code: 'invalid_input' })
    expect(await memberRows(ops.id)).toEqual([])
    const tooMany = Array.from({ length: GROUP_MEMBERS_PER_CHANGE + 1 }, () => crypto.randomUUID())
    expect(
      await apiError(() => admin.api.changeGroupMembers(ops.id, { add: tooMany })),
    ).toMatchObject({ status: 400 })
    expect(await apiError(() => admin.api.changeGroupMembers(ops.id, {}))).toMatchObject({
      status: 400,
    })
    // Adding a member twice leaves one membership.
    await admin.api.changeGroupMembers(ops.id, { add: [idOf(bob), idOf(bob)] })
    await admin.api.changeGroupMembers(ops.id, { add: [idOf(bob)] })
    expect(await memberRows(ops.id)).toEqual([idOf(bob)])
  })

  it('lets only administrators change groups, and answers 404 for a group that is not there', async () => {
    const ops = await admin.api.createGroup({ name: 'Ops' })
    const memberCalls = [
      () => bob.api.createGroup({ name: 'Mine' }),
      () => bob.api.renameGroup(ops.id, { name: 'Mine' }),
      () => bob.api.deleteGroup(ops.id),
      () => bob.api.changeGroupMembers(ops.id, { add: [idOf(bob)] }),
      () => bob.api.adminGroup(ops.id),
      () => bob.api.groupPolicy(ops.id),
      () => bob.api.setGroupPolicy(ops.id, { canCreateLinks: true }),
    ]
    for (const call of memberCalls) {
      expect(await apiError(call)).toMatchObject({ status: 403, code: 'admin_only' })
    }
    expect((await admin.api.adminGroup(ops.id)).members).toEqual([])

    const nowhere = crypto.randomUUID()
    const adminCalls = [
      () => admin.api.adminGroup(nowhere),
      () => bob.api.group(nowhere),
      () => admin.api.renameGroup(nowhere, { name: 'X' }),
      () => admin.api.deleteGroup(nowhere),
      () => admin.api.changeGroupMembers(nowhere, { add: [idOf(bob)] }),
      () => admin.api.groupPolicy(nowhere),
      () => admin.api.setGroupPolicy(nowhere, { canCreateLinks: true }),
    ]
    for (const call of adminCalls) {
      expect(await apiError(call)).toMatchObject({ status: 404, code: 'not_found' })
    }
    expect(await server.db.selectFrom('policies').selectAll().execute()).toEqual([])
  })

  it('puts group values between the organisation’s and the user’s own; of two groups the more generous wins', async () => {
    const contractors = await admin.api.createGroup({ name: 'Contractors' })
    const ops = await admin.api.createGroup({ name: 'Ops' })
    await admin.api.setOrgPolicy({ canCreateLinks: true, maxLinkViews: 3 })
    await admin.api.setGroupPolicy(contractors.id, { canCreateLinks: false, maxLinkViews: 5 })
    await admin.api.setGroupPolicy(ops.id, { maxLinkViews: 10 })
    expect((await admin.api.groupPolicy(contractors.id)).settings).toEqual({
      canCreateLinks: false,
      maxLinkViews: 5,
    })

    await admin.api.changeGroupMembers(contractors.id, { add: [idOf(bob)] })
    let policy = await bob.api.myPolicy()
    expect(policy.canCreateLinks).toEqual({ value: false, source: 'group:Contractors' })
    expect(policy.maxLinkViews).toEqual({ value: 5, source: 'group:Contractors' })
    // Carol is in no group: the organisation's values.
    expect((await carol.api.myPolicy()).maxLinkViews).toEqual({ value: 3, source: 'org' })

    // The policy is enforced, not only shown.
    const link = () =>
      createLink(bob.api, {
        origin: 'http://sealpost.test',
        account: bob.account,
        text: 'wifi: hunter2',
        expiresAt: new Date(server.clock.now().getTime() + DAY).toISOString(),
        maxViews: 1,
      })
    expect(await apiError(link)).toMatchObject({ status: 403 })

    // Two groups disagree: allowed if any allows; the larger limit.
    await admin.api.setGroupPolicy(ops.id, { canCreateLinks: true })
    await admin.api.changeGroupMembers(ops.id, { add: [idOf(bob)] })
    policy = await bob.api.myPolicy()
    expect(policy.canCreateLinks).toEqual({ value: true, source: 'group:Ops' })
    expect(policy.maxLinkViews).toEqual({ value: 10, source: 'group:Ops' })
    await expect(link()).resolves.toBeDefined()

    // The user's own value wins over every group.
    await admin.api.setUserPolicy(idOf(bob), { maxLinkViews: 2 })
    expect((await bob.api.myPolicy()).maxLinkViews).toEqual({ value: 2, source: 'user' })
    await admin.api.setUserPolicy(idOf(bob), { maxLinkViews: null })

    // A renamed group is named by its new name; a deleted one's values go with it.
    await admin.api.renameGroup(ops.id, { name: 'Operations' })
    expect((await bob.api.myPolicy()).canCreateLinks.source).toBe('group:Operations')
    await admin.api.deleteGroup(ops.id)
    expect((await bob.api.myPolicy()).canCreateLinks).toEqual({
      value: false,
      source: 'group:Contractors',
    })
    const scopes = await server.db.selectFrom('policies').select('scope').distinct().execute()
    expect(scopes.map((row) => row.scope).sort()).toEqual(['org', `group:${contractors.id}`].sort())

    // Leaving the group leaves its values behind.
    await admin.api.changeGroupMembers(contractors.id, { remove: [idOf(bob)] })
    expect((await bob.api.myPolicy()).canCreateLinks).toEqual({ value: true, source: 'org' })
  })

  it('records every change to a group in the audit log', async () => {
    const ops = await admin.api.createGroup({ name: 'Ops' })
    await admin.api.renameGroup(ops.id, { name: 'Operations' })
    await admin.api.changeGroupMembers(ops.id, { add: [idOf(bob)] })
    await admin.api.setGroupPolicy(ops.id, { canSendEmail: false })
    await admin.api.deleteGroup(ops.id)
    const { events } = await admin.api.listAudit({})
    const actions = events
      .filter((event) => event.targetId === ops.id)
      .map((event) => event.action)
      .sort()
    expect(actions).toEqual(
      [
        'group.created',
        'group.renamed',
        'group.members_changed',
        'policy.updated',
        'group.deleted',
      ].sort(),
    )
    expect((await admin.api.verifyAudit()).ok).toBe(true)
  })

  it('lets one of many concurrent creations of a name win, and concurrent adds leave one membership', async () => {
    const outcomes = await Promise.allSettled(
      ['Ops', 'OPS', 'ops', 'oPs', 'Ops'].map((name) => admin.api.createGroup({ name })),
    )
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        expect(outcome.reason).toMatchObject({ status: 409, code: 'group_exists' })
      }
    }
    const [ops] = await groupRows()
    await Promise.all(
      Array.from({ length: 6 }, () =>
        admin.api.changeGroupMembers(ops!.id, { add: [idOf(bob), idOf(carol)] }),
      ),
    )
    expect(await memberRows(ops!.id)).toEqual([idOf(bob), idOf(carol)].sort())

    const dev = await admin.api.createGroup({ name: 'Dev' })
    const renames = await Promise.allSettled([
      admin.api.renameGroup(ops!.id, { name: 'Platform' }),
      admin.api.renameGroup(dev.id, { name: 'platform' }),
    ])
    expect(renames.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    expect(renames.find((o) => o.status === 'rejected')).toMatchObject({
      reason: { status: 409, code: 'group_exists' },
    })
  })
})
