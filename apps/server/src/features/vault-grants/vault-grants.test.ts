import {
  addVaultMember,
  createSharedVault,
  loadItems,
  saveItem,
  sealPendingGrants,
  sealVaultKeyTo,
} from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { dialects, hasPostgres, type TestServer } from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'
import { keyOf, sharedVault } from '../../test-support/vaults.js'

const entry = (name: string) => ({
  name,
  type: 'credential' as const,
  username: `${name}-user`,
  password: `${name}-password`,
  fields: [],
})

/** The passwords `p` can read in the vault, or the error status when they cannot. */
async function readable(p: Person, id: string): Promise<string[] | number> {
  const vault = await sharedVault(p, id)
  if (!vault) return (await apiError(() => p.api.vaultItems(id))).status
  return (await loadItems(p.api, vault)).map((item) => item.content.password ?? '')
}

describe.each(dialects)('shared vaults granted to groups on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person
  let carol: Person
  let dave: Person
  let vaultId: string
  let opsId: string

  beforeEach(async () => {
    ;({
      server,
      admin,
      members: [bob, carol, dave],
    } = await startWithPeople(dialect, ['bob', 'carol', 'dave']))
    vaultId = await createSharedVault(admin.api, keyOf(admin), 'Ops secrets')
    const vault = (await sharedVault(admin, vaultId))!
    await saveItem(admin.api, vault, {
      parentId: null,
      kind: 'entry',
      content: entry('vpn'),
      baseRevision: 0,
    })
    opsId = (await admin.api.createGroup({ name: 'Ops' })).id
    await admin.api.changeGroupMembers(opsId, { add: [bob.session.user.id] })
  })
  afterEach(async () => {
    await server.close()
  })

  it('lets a group’s members read once an administrator’s device sealed the key to them', async () => {
    await admin.api.putVaultGroupGrant(vaultId, opsId, { canWrite: false })
    // Granted, but nobody has sealed the key to bob yet: he is told, and cannot read.
    expect(await bob.api.waitingVaults()).toEqual({ waiting: [{ vaultId, groups: ['Ops'] }] })
    expect(await readable(bob, vaultId)).toBe(404)
    expect(await admin.api.pendingVaultGrants()).toEqual({
      pending: [{ vaultId, userId: bob.session.user.id, canWrite: false }],
    })
    expect((await admin.api.vaultGroupGrants(vaultId)).grants).toEqual([
      { groupId: opsId, name: 'Ops', canWrite: false, memberCount: 1, waiting: 1 },
    ])

    // Nobody the person at the device did not approve gets the key, whatever the server lists.
    expect(await sealPendingGrants(admin.api, admin.account, admin.session.user, () => false)).toBe(
      0,
    )
    expect(await readable(bob, vaultId)).toBe(404)
    expect(await sealPendingGrants(admin.api, admin.account, admin.session.user, () => true)).toBe(
      1,
    )
    expect(await readable(bob, vaultId)).toEqual(['vpn-password'])
    expect(await bob.api.waitingVaults()).toEqual({ waiting: [] })
    // Who was given the key, and by whom.
    expect((await admin.api.listAudit({ action: 'vault.key_sealed' })).events).toMatchObject([
      { actorUsername: 'admin', targetId: vaultId, details: { userId: bob.session.user.id } },
    ])
    expect(await admin.api.pendingVaultGrants()).toEqual({ pending: [] })
    // Read-only, as granted.
    const bobs = (await sharedVault(bob, vaultId))!
    expect(bobs.canWrite).toBe(false)
    expect(
      await apiError(() =>
        saveItem(bob.api, bobs, {
          parentId: null,
          kind: 'entry',
          content: entry('mine'),
          baseRevision: 0,
        }),
      ),
    ).toMatchObject({ status: 403 })

    // A newcomer waits, and is sealed to in turn; a read-write grant gives write access.
    await admin.api.changeGroupMembers(opsId, { add: [carol.session.user.id] })
    await admin.api.putVaultGroupGrant(vaultId, opsId, { canWrite: true })
    expect(await sealPendingGrants(admin.api, admin.account, admin.session.user, () => true)).toBe(
      1,
    )
    expect(await readable(carol, vaultId)).toEqual(['vpn-password'])
    expect((await sharedVault(bob, vaultId))!.canWrite).toBe(true)
  })

  it('ends access the moment a member leaves the group or the grant ends, not a direct one', async () => {
    await admin.api.changeGroupMembers(opsId, {
      add: [carol.session.user.id, dave.session.user.id],
    })
    await admin.api.putVaultGroupGrant(vaultId, opsId, { canWrite: false })
    expect(await sealPendingGrants(admin.api, admin.account, admin.session.user, () => true)).toBe(
      3,
    )
    // Dave also has the vault in his own right.
    await addVaultMember(admin.api, (await sharedVault(admin, vaultId))!, keyOf(dave), false)
    // Removing someone who has it through Ops alone would change nothing: refused, saying so.
    expect(
      await apiError(() => admin.api.removeVaultMember(vaultId, carol.session.user.id)),
    ).toMatchObject({
      status: 409,
      code: 'granted_by_group',
      message: expect.stringContaining('Ops') as string,
    })

    await admin.api.changeGroupMembers(opsId, { remove: [bob.session.user.id] })
    expect(await readable(bob, vaultId)).toBe(404)
    expect(await readable(carol, vaultId)).toEqual(['vpn-password'])

    await admin.api.removeVaultGroupGrant(vaultId, opsId)
    expect(await readable(carol, vaultId)).toBe(404)
    expect(await readable(dave, vaultId)).toEqual(['vpn-password'])
    expect(await bob.api.waitingVaults()).toEqual({ waiting: [] })
    const rows = await server.db
      .selectFrom('vault_members')
      .select('user_id')
      .where('vault_id', '=', vaultId)
      .execute()
    expect(rows.map((r) => r.user_id).sort()).toEqual(
      [admin.session.user.id, dave.session.user.id].sort(),
    )
  })

  it('ends the access a deleted group gave', async () => {
    await admin.api.putVaultGroupGrant(vaultId, opsId, { canWrite: true })
    await sealPendingGrants(admin.api, admin.account, admin.session.user, () => true)
    expect(await readable(bob, vaultId)).toEqual(['vpn-password'])
    await admin.api.deleteGroup(opsId)
    expect(await readable(bob, vaultId)).toBe(404)
  })

  it('keeps grants to administrators who hold the vault, and answers others as strangers', async () => {
    await admin.api.putVaultGroupGrant(vaultId, opsId, { canWrite: false })
    // Members may not grant, list what waits or seal.
    expect(
      await apiError(() => bob.api.putVaultGroupGrant(vaultId, opsId, { canWrite: true })),
    ).toMatchObject({ status: 403 })
    expect(await apiError(() => bob.api.pendingVaultGrants())).toMatchObject({ status: 403 })
    const vault = (await sharedVault(admin, vaultId))!
    const key = await sealVaultKeyTo(
      { raw: vault.raw!, key: vault.key },
      { userId: bob.session.user.id, x25519PublicKey: bob.session.keys.x25519PublicKey },
      vaultId,
    )
    expect(
      await apiError(() => bob.api.sealVaultGrant({ vaultId, userId: bob.session.user.id, key })),
    ).toMatchObject({ status: 403 })
    // A member of the vault who is not in the group sees its grants, a stranger does not.
    expect(await apiError(() => carol.api.vaultGroupGrants(vaultId))).toMatchObject({
      status: 404,
    })
    // An administrator who does not hold the vault: not found, and nothing pending for them.
    await admin.api.updateUser(dave.session.user.id, { role: 'admin' })
    expect(
      await apiError(() => dave.api.putVaultGroupGrant(vaultId, opsId, { canWrite: true })),
    ).toMatchObject({ status: 404 })
    expect(await dave.api.pendingVaultGrants()).toEqual({ pending: [] })
    // No grant covers carol: the seal is refused and stores nothing.
    expect(
      await apiError(() =>
        admin.api.sealVaultGrant({ vaultId, userId: carol.session.user.id, key }),
      ),
    ).toMatchObject({ status: 404 })
    expect(await readable(carol, vaultId)).toBe(404)
    // Unknown group and unknown grant.
    expect(
      await apiError(() =>
        admin.api.putVaultGroupGrant(vaultId, crypto.randomUUID(), { canWrite: true }),
      ),
    ).toMatchObject({ status: 404 })
    await admin.api.removeVaultGroupGrant(vaultId, opsId)
    expect(await apiError(() => admin.api.removeVaultGroupGrant(vaultId, opsId))).toMatchObject({
      status: 404,
    })
  })

  it.runIf(dialect === 'postgres' && hasPostgres)(
    'never leaves a member who left the group with a key sealed at the same moment',
    async () => {
      await admin.api.putVaultGroupGrant(vaultId, opsId, { canWrite: false })
      const vault = (await sharedVault(admin, vaultId))!
      for (let round = 0; round < 10; round++) {
        await admin.api.changeGroupMembers(opsId, { add: [bob.session.user.id] })
        const key = await sealVaultKeyTo(
          { raw: vault.raw!, key: vault.key },
          { userId: bob.session.user.id, x25519PublicKey: bob.session.keys.x25519PublicKey },
          vaultId,
        )
        await Promise.allSettled([
          admin.api.sealVaultGrant({ vaultId, userId: bob.session.user.id, key }),
          admin.api.changeGroupMembers(opsId, { remove: [bob.session.user.id] }),
        ])
        expect(await readable(bob, vaultId), `round ${round}`).toBe(404)
      }
    },
    60_000,
  )
})
