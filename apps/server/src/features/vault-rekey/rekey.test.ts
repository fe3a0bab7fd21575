import {
  addVaultMember,
  bytesSource,
  createSharedVault,
  CryptoError,
  downloadItemFile,
  loadItems,
  type OpenVault,
  openChunk,
  openItem,
  prepareVaultRekey,
  rekeyVault,
  saveItem,
} from '@sealpost/core'
import { importAesKey } from '@sealpost/core/primitives'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { dialects, hasPostgres, type TestServer } from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'
import { keyOf, sharedVault } from '../../test-support/vaults.js'

const entry = (name: string, password: string) => ({
  name,
  type: 'credential' as const,
  password,
  fields: [],
})

/** Two chunks, so a file re-sealed under the new key is more than its first chunk. */
const FILE = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) % 251)

/**
 * Everything `p` reads in the vault with the key they hold now: each item's content, every
 * revision in its history and every file's bytes; or the status when they cannot.
 */
async function readAll(p: Person, id: string) {
  const vault = await sharedVault(p, id)
  if (!vault) return (await apiError(() => p.api.vaultItems(id))).status
  const items = await loadItems(p.api, vault)
  const out = []
  for (const item of items.sort((a, b) => a.content.name.localeCompare(b.content.name))) {
    const { entries } = await p.api.itemHistory(id, item.id)
    const history = await Promise.all(
      entries.map(async (e) => {
        const place = { vaultId: id, itemId: item.id, parentId: e.parentId, revision: e.revision }
        return (await openItem(vault.key, place, e.payload)).password
      }),
    )
    const files = await Promise.all(
      item.files.map(async (f) => Array.from(await downloadItemFile(p.api, vault, item.id, f))),
    )
    out.push({
      name: vault.name,
      item: item.content.name,
      password: item.content.password,
      fileNames: item.content.files.map((f) => f.name),
      history,
      files,
    })
  }
  return out
}

/** The vault exactly as the server holds it for `p`: key box, version, sealed items, history. */
async function stored(p: Person, id: string) {
  const { vaults } = await p.api.listVaults()
  const { items } = await p.api.vaultItems(id)
  const { entries } = await p.api.vaultHistory(id)
  return { vault: vaults.find((v) => v.id === id), items, entries }
}

describe.each(dialects)('re-keying a shared vault on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person
  let carol: Person
  let vaultId: string
  let vault: OpenVault

  beforeEach(async () => {
    ;({
      server,
      admin,
      members: [bob, carol],
    } = await startWithPeople(dialect, ['bob', 'carol']))
    vaultId = await createSharedVault(admin.api, keyOf(admin), 'Ops secrets')
    vault = (await sharedVault(admin, vaultId))!
    const folder = await saveItem(admin.api, vault, {
      parentId: null,
      kind: 'folder',
      content: { name: 'Servers', type: 'folder', fields: [] },
      baseRevision: 0,
    })
    const vpn = await saveItem(admin.api, vault, {
      parentId: folder.id,
      kind: 'entry',
      content: entry('vpn', 'first'),
      baseRevision: 0,
      newFiles: [bytesSource('vpn.conf', 'text/plain', FILE)],
    })
    await saveItem(admin.api, vault, {
      id: vpn.id,
      parentId: folder.id,
      kind: 'entry',
      content: entry('vpn', 'second'),
      baseRevision: vpn.revision,
      keepFiles: vpn.content.files.map((f) => ({
        ...f,
        ...vpn.files.find((s) => s.blobId === f.blobId)!,
      })),
    })
    await addVaultMember(admin.api, vault, keyOf(bob), true)
    await addVaultMember(admin.api, vault, keyOf(carol), false)
  })
  afterEach(async () => {
    await server.close()
  })

  it('leaves every member reading every item, revision and file, and a removed member’s old key opening nothing', async () => {
    const before = await readAll(admin, vaultId)
    expect(before).toMatchObject([
      { item: 'Servers', history: [undefined] },
      { item: 'vpn', password: 'second', history: ['second', 'first'], files: [Array.from(FILE)] },
    ])
    // Carol keeps the raw key she held, then loses access.
    const carolsVault = (await sharedVault(carol, vaultId))!
    const oldKey = await importAesKey(carolsVault.raw!.slice())
    const { items: oldItems } = await admin.api.vaultItems(vaultId)
    const oldVpn = oldItems.find((i) => i.files.length > 0)!
    const place = {
      vaultId,
      itemId: oldVpn.id,
      parentId: oldVpn.parentId,
      revision: oldVpn.revision,
    }
    // The key she kept opened the vault as it was.
    expect((await openItem(oldKey, place, oldVpn.payload)).password).toBe('second')
    await admin.api.removeVaultMember(vaultId, carol.session.user.id)

    expect(await rekeyVault(admin.api, vault)).toEqual({
      keyVersion: 2,
      items: 2,
      revisions: 3,
      files: 1,
      members: 2,
      dropped: 0,
    })

    const after = await readAll(admin, vaultId)
    expect(after).toEqual(before)
    expect(await readAll(bob, vaultId)).toEqual(before)
    expect(await readAll(carol, vaultId)).toBe(404)

    const reopened = (await sharedVault(admin, vaultId))!
    expect(reopened.keyVersion).toBe(2)
    const added = await saveItem(admin.api, reopened, {
      parentId: null,
      kind: 'entry',
      content: entry('db', 'after the re-key'),
      baseRevision: 0,
    })
    const { items } = await admin.api.vaultItems(vaultId)
    const vpn = items.find((i) => i.id === oldVpn.id)!
    const fresh = items.find((i) => i.id === added.id)!
    const refused = (p: Promise<unknown>) =>
      p.then(
        () => 'opened',
        (e: unknown) => (e instanceof CryptoError ? 'CryptoError' : e),
      )
    // The re-sealed item, its earlier revision, a new item and a re-sealed file chunk.
    expect(await refused(openItem(oldKey, place, vpn.payload))).toBe('CryptoError')
    const { entries } = await admin.api.itemHistory(vaultId, vpn.id)
    const first = entries.find((e) => e.revision === 1)!
    expect(
      await refused(
        openItem(oldKey, { ...place, revision: 1, parentId: first.parentId }, first.payload),
      ),
    ).toBe('CryptoError')
    expect(
      await refused(
        openItem(oldKey, { vaultId, itemId: fresh.id, parentId: null, revision: 1 }, fresh.payload),
      ),
    ).toBe('CryptoError')
    const file = vpn.files[0]!
    expect(file.blobId).not.toBe(oldVpn.files[0]!.blobId)
    const chunk = await admin.api.downloadItemChunk(vaultId, vpn.id, file.blobId, 0)
    expect(await refused(openChunk(oldKey, file.blobId, 0, false, chunk))).toBe('CryptoError')
    // The chunks sealed under the old key are gone from the server.
    expect(
      (
        await apiError(() =>
          admin.api.downloadItemChunk(vaultId, vpn.id, oldVpn.files[0]!.blobId, 0),
        )
      ).status,
    ).toBe(404)
  })

  it('records who re-keyed which vault, with counts only', async () => {
    await rekeyVault(admin.api, vault)
    const { events } = await admin.api.listAudit({ limit: 1 })
    expect(events[0]).toMatchObject({
      action: 'vault.rekeyed',
      actorUsername: admin.session.user.username,
      targetId: vaultId,
      details: { keyVersion: 2, items: 2, revisions: 3, files: 1, members: 3, dropped: 0 },
    })
  })

  it('changes nothing until the swap: an interrupted re-key leaves the vault under the old key', async () => {
    const before = await stored(admin, vaultId)
    const readable = await readAll(bob, vaultId)
    // The client staged every re-sealed file and sealed everything else, then died.
    const prepared = await prepareVaultRekey(admin.api, vault)
    expect(prepared.items.flatMap((i) => i.files)).toHaveLength(1)
    expect((await admin.api.storageUsage()).stagedBytes).toBeGreaterThan(FILE.length)
    expect(await stored(admin, vaultId)).toEqual(before)
    expect(await readAll(bob, vaultId)).toEqual(readable)
    // The old key still writes.
    const bobs = (await sharedVault(bob, vaultId))!
    await saveItem(bob.api, bobs, {
      parentId: null,
      kind: 'entry',
      content: entry('still', 'old key'),
      baseRevision: 0,
    })
    expect(await readAll(carol, vaultId)).toHaveLength(3)
  })

  it('refuses a re-key when an item changed after it was read, and changes nothing', async () => {
    const prepared = await prepareVaultRekey(admin.api, vault)
    const bobs = (await sharedVault(bob, vaultId))!
    const [vpn] = (await loadItems(bob.api, bobs)).filter((i) => i.kind === 'entry')
    await saveItem(bob.api, bobs, {
      id: vpn!.id,
      parentId: vpn!.parentId,
      kind: 'entry',
      content: entry('vpn', 'third'),
      baseRevision: vpn!.revision,
      keepFiles: vpn!.content.files.map((f) => ({ ...f, ...vpn!.files[0]! })),
    })
    const before = await stored(admin, vaultId)
    expect(await apiError(() => admin.api.rekeyVault(vaultId, prepared))).toMatchObject({
      status: 409,
      code: 'vault_changed',
    })
    expect(await stored(admin, vaultId)).toEqual(before)
    expect(await readAll(carol, vaultId)).toMatchObject([{}, { password: 'third' }])
  })

  it('refuses a re-key when a member was added or removed after it was read', async () => {
    const prepared = await prepareVaultRekey(admin.api, vault)
    await admin.api.removeVaultMember(vaultId, carol.session.user.id)
    const before = await stored(admin, vaultId)
    expect(await apiError(() => admin.api.rekeyVault(vaultId, prepared))).toMatchObject({
      status: 409,
      code: 'vault_changed',
    })
    expect(await stored(admin, vaultId)).toEqual(before)

    const again = await prepareVaultRekey(admin.api, vault)
    await addVaultMember(admin.api, vault, keyOf(carol), false)
    expect(await apiError(() => admin.api.rekeyVault(vaultId, again))).toMatchObject({
      status: 409,
      code: 'vault_changed',
    })
    expect((await readAll(carol, vaultId)) as unknown[]).toHaveLength(2)
  })

  it('refuses an item of another vault in the request', async () => {
    const otherId = await createSharedVault(admin.api, keyOf(admin), 'Other')
    const other = (await sharedVault(admin, otherId))!
    await saveItem(admin.api, other, {
      parentId: null,
      kind: 'entry',
      content: entry('theirs', 'x'),
      baseRevision: 0,
    })
    const prepared = await prepareVaultRekey(admin.api, vault)
    const foreign = (await prepareVaultRekey(admin.api, other)).items[0]!
    const before = await stored(admin, vaultId)
    const error = await apiError(() =>
      admin.api.rekeyVault(vaultId, { ...prepared, items: [...prepared.items, foreign] }),
    )
    expect(error).toMatchObject({ status: 409, code: 'vault_changed' })
    expect(await stored(admin, vaultId)).toEqual(before)
  })

  it('answers 403 to a member who is not an administrator and 404 to an administrator who is not a member', async () => {
    const prepared = await prepareVaultRekey(admin.api, vault)
    expect(await apiError(() => bob.api.rekeyVault(vaultId, prepared))).toMatchObject({
      status: 403,
    })
    await admin.api.removeVaultMember(vaultId, carol.session.user.id)
    await admin.api.updateUser(carol.session.user.id, { role: 'admin' })
    expect(await apiError(() => carol.api.rekeyVault(vaultId, prepared))).toMatchObject({
      status: 404,
    })
    expect(await apiError(() => carol.api.vaultHistory(vaultId))).toMatchObject({ status: 404 })
    expect((await stored(admin, vaultId)).vault?.keyVersion).toBe(1)
  })

  it('refuses writes sealed under the old key once the vault is re-keyed', async () => {
    const bobs = (await sharedVault(bob, vaultId))!
    const late = await prepareVaultRekey(admin.api, vault)
    await rekeyVault(admin.api, vault)
    const stale = { status: 409, code: 'stale_key' }
    expect(await apiError(() => admin.api.rekeyVault(vaultId, late))).toMatchObject(stale)
    expect(
      await apiError(() =>
        saveItem(bob.api, bobs, {
          parentId: null,
          kind: 'entry',
          content: entry('late', 'old key'),
          baseRevision: 0,
        }),
      ),
    ).toMatchObject(stale)
    // Leaving the version out, as a client from before re-keying would, is no way around it.
    const { item } = await bob.api.vaultItems(vaultId).then((r) => ({ item: r.items[0]! }))
    expect(
      await apiError(() =>
        bob.api.putItem(vaultId, crypto.randomUUID(), {
          parentId: null,
          kind: 'entry',
          payload: item.payload,
          baseRevision: 0,
          files: [],
        }),
      ),
    ).toMatchObject(stale)
    await admin.api.removeVaultMember(vaultId, carol.session.user.id)
    expect(
      await apiError(() => addVaultMember(admin.api, vault, keyOf(carol), false)),
    ).toMatchObject(stale)
    expect(await apiError(() => rekeyVault(admin.api, vault))).toMatchObject(stale)
    // Opened again, the same device writes under the new key.
    const reopened = (await sharedVault(bob, vaultId))!
    await saveItem(bob.api, reopened, {
      parentId: null,
      kind: 'entry',
      content: entry('late', 'new key'),
      baseRevision: 0,
    })
    expect(await readAll(admin, vaultId)).toHaveLength(3)
  })

  it.runIf(dialect === 'postgres' && hasPostgres)(
    'lets exactly one of a re-key and an item update racing it win, leaving the vault readable by all',
    async () => {
      for (let round = 0; round < 6; round++) {
        const current = (await sharedVault(admin, vaultId))!
        const bobs = (await sharedVault(bob, vaultId))!
        const [vpn] = (await loadItems(bob.api, bobs)).filter((i) => i.kind === 'entry')
        const prepared = await prepareVaultRekey(admin.api, current)
        const results = await Promise.allSettled([
          admin.api.rekeyVault(vaultId, prepared),
          saveItem(bob.api, bobs, {
            id: vpn!.id,
            parentId: vpn!.parentId,
            kind: 'entry',
            content: entry('vpn', `round ${round}`),
            baseRevision: vpn!.revision,
            keepFiles: vpn!.content.files.map((f) => ({ ...f, ...vpn!.files[0]! })),
          }),
        ])
        expect(
          results.map((r) => r.status),
          `round ${round}`,
        ).toSatisfy((s: string[]) => s.filter((x) => x === 'fulfilled').length === 1)
        const reads = await Promise.all([admin, bob, carol].map((p) => readAll(p, vaultId)))
        expect(reads[1], `round ${round}`).toEqual(reads[0])
        expect(reads[2], `round ${round}`).toEqual(reads[0])
        expect(reads[0], `round ${round}`).toMatchObject([{}, { files: [Array.from(FILE)] }])
      }
    },
    120_000,
  )

  it.runIf(dialect === 'postgres' && hasPostgres)(
    'answers an item deletion racing a re-key with success or 409, never a server error',
    async () => {
      for (let round = 0; round < 4; round++) {
        const doomed = await saveItem(admin.api, (await sharedVault(admin, vaultId))!, {
          parentId: null,
          kind: 'entry',
          content: entry(`doomed ${round}`, 'gone soon'),
          baseRevision: 0,
          newFiles: [bytesSource('doomed.bin', 'application/octet-stream', FILE)],
        })
        const prepared = await prepareVaultRekey(admin.api, (await sharedVault(admin, vaultId))!)
        const [rekeyed, deleted] = await Promise.allSettled([
          admin.api.rekeyVault(vaultId, prepared),
          bob.api.deleteItem(vaultId, doomed.id),
        ])
        // Deleting needs no key: it lands before or after the swap. A re-key that saw the
        // item and lost it to the deletion is refused as a change, not failed.
        expect(deleted.status, `round ${round}`).toBe('fulfilled')
        if (rekeyed.status === 'rejected') {
          expect(rekeyed.reason, `round ${round}`).toMatchObject({
            status: 409,
            code: 'vault_changed',
          })
        }
        const reads = await Promise.all([admin, bob, carol].map((p) => readAll(p, vaultId)))
        expect(reads[1], `round ${round}`).toEqual(reads[0])
        expect(reads[2], `round ${round}`).toEqual(reads[0])
        expect(reads[0], `round ${round}`).toMatchObject([{}, { files: [Array.from(FILE)] }])
      }
    },
    120_000,
  )
})
