import {
  expandGroups,
  GroupSendError,
  MESSAGE_RECIPIENTS_MAX,
  openMessageDetail,
  sendMessage,
} from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Member, startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'

describe.each(dialects)('sending to a group on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Member
  let carol: Member
  let dave: Member

  beforeEach(async () => {
    ;({
      server,
      admin,
      members: [bob, carol, dave],
    } = await startWithPeople(dialect, ['bob', 'carol', 'dave']))
  })
  afterEach(async () => {
    await server.close()
  })

  const idOf = (person: Person) => person.session.user.id
  const sendToGroups = async (groupIds: string[]) => {
    const { recipients, groups } = await expandGroups(admin.api, groupIds, idOf(admin))
    const { id } = await sendMessage(admin.api, {
      me: { id: idOf(admin), x25519PublicKey: admin.session.keys.x25519PublicKey },
      account: admin.account,
      recipients,
      groups,
      subject: 'Deploy tonight',
      body: 'The window opens at 22:00.',
      expiresAt: null,
      highPriority: false,
      now: () => server.clock.now(),
    })
    return { id, groups }
  }
  /** Whose inbox the message reached. */
  const recipientsOf = async (messageId: string) =>
    (
      await server.db
        .selectFrom('message_recipients')
        .select('user_id')
        .where('message_id', '=', messageId)
        .where('in_inbox', '=', 1)
        .execute()
    )
      .map((row) => row.user_id)
      .sort()

  it('reaches exactly the active members at send time, the sender aside; later changes change nothing sent', async () => {
    const ops = await admin.api.createGroup({ name: 'Ops' })
    await admin.api.changeGroupMembers(ops.id, {
      add: [idOf(admin), idOf(bob), idOf(carol), idOf(dave)],
    })
    await admin.api.updateUser(idOf(dave), { status: 'disabled' })

    const { id, groups } = await sendToGroups([ops.id])
    expect(groups).toEqual([{ name: 'Ops', count: 2 }])
    expect(await recipientsOf(id)).toEqual([idOf(bob), idOf(carol)].sort())
    for (const reader of [bob, carol, admin]) {
      const opened = await openMessageDetail(
        reader.account,
        idOf(reader),
        await reader.api.getMessage(id),
      )
      expect(opened.groups).toEqual([{ name: 'Ops', count: 2 }])
    }

    await admin.api.changeGroupMembers(ops.id, { remove: [idOf(carol)] })
    await admin.api.updateUser(idOf(dave), { status: 'active' })
    expect(await recipientsOf(id)).toEqual([idOf(bob), idOf(carol)].sort())
    expect((await carol.api.inbox()).items.map((m) => m.id)).toContain(id)
  })

  it('counts someone in two groups once and names both groups', async () => {
    const ops = await admin.api.createGroup({ name: 'Ops' })
    const oncall = await admin.api.createGroup({ name: 'On-call' })
    await admin.api.changeGroupMembers(ops.id, { add: [idOf(bob), idOf(carol)] })
    await admin.api.changeGroupMembers(oncall.id, { add: [idOf(carol), idOf(dave)] })
    const { id, groups } = await sendToGroups([ops.id, oncall.id])
    expect(groups).toEqual([
      { name: 'Ops', count: 2 },
      { name: 'On-call', count: 2 },
    ])
    expect(await recipientsOf(id)).toEqual([idOf(bob), idOf(carol), idOf(dave)].sort())
  })

  it('refuses a group with no one else in it', async () => {
    const alone = await admin.api.createGroup({ name: 'Alone' })
    await admin.api.changeGroupMembers(alone.id, { add: [idOf(admin)] })
    await expect(sendToGroups([alone.id])).rejects.toMatchObject({
      code: 'group_empty',
      group: 'Alone',
      memberCount: 0,
    })
  })

  it(`refuses a group larger than ${MESSAGE_RECIPIENTS_MAX} and seals to one of exactly that many`, async () => {
    // Active users with keys, made behind the server's back: inviting 1,001 people through
    // OPAQUE would take minutes. They share bob's public keys, which is all a send needs.
    const bobRow = await server.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', idOf(bob))
      .executeTakeFirstOrThrow()
    const many = Array.from({ length: MESSAGE_RECIPIENTS_MAX + 1 }, (_, index) => ({
      ...bobRow,
      id: crypto.randomUUID(),
      username: `crowd${index}`,
      email: `crowd${index}@example.org`,
    }))
    await server.db.insertInto('users').values(many).execute()
    const crowd = await admin.api.createGroup({ name: 'Crowd' })
    const ids = many.map((user) => user.id)
    await admin.api.changeGroupMembers(crowd.id, { add: ids.slice(0, MESSAGE_RECIPIENTS_MAX) })
    await admin.api.changeGroupMembers(crowd.id, { add: ids.slice(MESSAGE_RECIPIENTS_MAX) })

    const refused = await sendToGroups([crowd.id]).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(GroupSendError)
    expect(refused).toMatchObject({
      code: 'group_too_large',
      group: 'Crowd',
      memberCount: MESSAGE_RECIPIENTS_MAX + 1,
      message: `the group Crowd has ${MESSAGE_RECIPIENTS_MAX + 1} members; a message can go to at most ${MESSAGE_RECIPIENTS_MAX} people`,
    })
    expect(await server.db.selectFrom('messages').select('id').execute()).toEqual([])

    await admin.api.changeGroupMembers(crowd.id, { remove: [ids[0]!] })
    const { id } = await sendToGroups([crowd.id])
    expect(await recipientsOf(id)).toHaveLength(MESSAGE_RECIPIENTS_MAX)
  }, 120_000)
})
