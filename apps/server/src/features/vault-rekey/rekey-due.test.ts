import {
  addVaultMember,
  createSharedVault,
  type OpenVault,
  rekeyVault,
  saveItem,
  sealPendingGrants,
} from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'
import { keyOf, sharedVault } from '../../test-support/vaults.js'

/** The vault as `p` opens it now; they must be able to. */
async function openedBy(p: Person, id: string): Promise<OpenVault> {
  const vault = await sharedVault(p, id)
  if (!vault) throw new Error(`${p.session.user.username} cannot open the vault`)
  return vault
}

/** Whether `p`'s vault list says the vault should be re-keyed. */
async function isDue(p: Person, id: string): Promise<boolean | undefined> {
  return (await p.api.listVaults()).vaults.find((v) => v.id === id)?.rekeyDue
}

const departedNames = async (p: Person, id: string) =>
  (await p.api.vaultMembers(id)).departed.map((d) => d.username)

// Issue 13: a re-key is prompted whenever someone may still hold the vault's key without
// having the vault: they left it (directly, through a group, or with their group's grant), or
// their account was disabled. The re-key clears it; giving the vault back clears that person.
describe.each(dialects)('when a shared vault is due for re-keying on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person
  let carol: Person
  let vaultId: string

  beforeEach(async () => {
    ;({
      server,
      admin,
      members: [bob, carol],
    } = await startWithPeople(dialect, ['bob', 'carol']))
    vaultId = await createSharedVault(admin.api, keyOf(admin), 'Ops secrets')
    const vault = await openedBy(admin, vaultId)
    await saveItem(admin.api, vault, {
      parentId: null,
      kind: 'entry',
      content: { name: 'vpn', type: 'credential', password: 'first', fields: [] },
      baseRevision: 0,
    })
    await addVaultMember(admin.api, vault, keyOf(bob), true)
    await addVaultMember(admin.api, vault, keyOf(carol), false)
  })
  afterEach(async () => {
    await server.close()
  })

  it('is not due while everyone who ever had the key still has the vault', async () => {
    expect(await isDue(admin, vaultId)).toBe(false)
    expect(await isDue(carol, vaultId)).toBe(false)
    expect((await admin.api.vaultMembers(vaultId)).departed).toEqual([])
    // A user vault never is.
    const mine = (await admin.api.listVaults()).vaults.find((v) => v.kind === 'user')
    expect(mine?.rekeyDue).toBe(false)
  })

  it('is due once a member is removed, names them with the time, and is not after a re-key', async () => {
    const other = await createSharedVault(admin.api, keyOf(admin), 'Other')
    await addVaultMember(admin.api, await openedBy(admin, other), keyOf(bob), true)
    await admin.api.removeVaultMember(other, bob.session.user.id)
    server.clock.advance(60_000)
    const removedAt = server.clock.now().getTime()
    await admin.api.removeVaultMember(vaultId, bob.session.user.id)

    expect(await isDue(admin, vaultId)).toBe(true)
    // Every member sees it; only an administrator can act on it.
    expect(await isDue(carol, vaultId)).toBe(true)
    expect((await carol.api.vaultMembers(vaultId)).departed).toEqual([
      {
        userId: bob.session.user.id,
        username: 'bob',
        displayName: bob.session.user.displayName,
        departedAt: removedAt,
      },
    ])

    const result = await rekeyVault(admin.api, await openedBy(admin, vaultId))
    expect(result).toMatchObject({ keyVersion: 2, members: 2 })
    expect(await isDue(admin, vaultId)).toBe(false)
    expect(await departedNames(admin, vaultId)).toEqual([])
    // Only this vault's.
    expect(await departedNames(admin, other)).toEqual(['bob'])
    expect(await isDue(admin, other)).toBe(true)
  })

  it('forgets the one given the vault again, and no one else', async () => {
    await admin.api.removeVaultMember(vaultId, bob.session.user.id)
    await admin.api.removeVaultMember(vaultId, carol.session.user.id)
    expect(await departedNames(admin, vaultId)).toEqual(['bob', 'carol'])

    await addVaultMember(admin.api, await openedBy(admin, vaultId), keyOf(bob), true)
    expect(await departedNames(admin, vaultId)).toEqual(['carol'])
    expect(await isDue(admin, vaultId)).toBe(true)

    await addVaultMember(admin.api, await openedBy(admin, vaultId), keyOf(carol), false)
    expect(await departedNames(admin, vaultId)).toEqual([])
    expect(await isDue(bob, vaultId)).toBe(false)
  })

  it('counts a member who left a granted group, or whose group lost its grant, as departed', async () => {
    const other = await createSharedVault(admin.api, keyOf(admin), 'Other')
    const opsId = (await admin.api.createGroup({ name: 'Ops' })).id
    await admin.api.changeGroupMembers(opsId, { add: [bob.session.user.id] })
    await admin.api.putVaultGroupGrant(other, opsId, { canWrite: false })
    expect(await sealPendingGrants(admin.api, admin.account, admin.session.user, () => true)).toBe(
      1,
    )
    expect(await isDue(bob, other)).toBe(false)

    await admin.api.changeGroupMembers(opsId, { remove: [bob.session.user.id] })
    expect(await departedNames(admin, other)).toEqual(['bob'])
    expect(await isDue(admin, other)).toBe(true)
    // The vault bob still has directly is untouched.
    expect(await isDue(admin, vaultId)).toBe(false)

    // Back in the group and sealed to again: he holds the key by right.
    await admin.api.changeGroupMembers(opsId, { add: [bob.session.user.id] })
    await sealPendingGrants(admin.api, admin.account, admin.session.user, () => true)
    expect(await departedNames(admin, other)).toEqual([])

    await admin.api.removeVaultGroupGrant(other, opsId)
    expect(await departedNames(admin, other)).toEqual(['bob'])
  })

  it('is due while a member’s account is disabled, until a re-key drops them', async () => {
    await admin.api.updateUser(carol.session.user.id, { status: 'disabled' })
    expect(await isDue(admin, vaultId)).toBe(true)
    const { members, departed } = await admin.api.vaultMembers(vaultId)
    expect(members.map((m) => [m.username, m.active])).toEqual(
      expect.arrayContaining([
        ['carol', false],
        ['bob', true],
      ]),
    )
    expect(departed).toEqual([])

    expect(await rekeyVault(admin.api, await openedBy(admin, vaultId))).toMatchObject({
      dropped: 1,
    })
    expect(await isDue(admin, vaultId)).toBe(false)
  })
})
