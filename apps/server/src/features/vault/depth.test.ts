import { type CreateItemsRequest, SealedEnvelope } from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, inviteAndAccept, setupAdmin } from '../../test-support/accounts.js'
import { dialects, startTestServer, type TestServer } from '../../test-support/harness.js'

// The server stores sealed payloads without opening them, so any well-formed envelope does.
const payload = SealedEnvelope.parse({ v: 1, iv: 'AAAAAAAAAAAAAAAA', ct: 'AAAAAAAAAAAAAAAAAAAAAA' })

type NewItem = CreateItemsRequest['items'][number]

/** `count` folders, each the child of the one before, under `parentId`. */
function chain(count: number, parentId: string | null = null): NewItem[] {
  const items: NewItem[] = []
  let parent = parentId
  for (let i = 0; i < count; i++) {
    const id = crypto.randomUUID()
    items.push({ id, parentId: parent, kind: 'folder', payload, files: [] })
    parent = id
  }
  return items
}

describe.each(dialects)('vault tree limits on %s', (dialect) => {
  let server: TestServer
  beforeEach(async () => {
    server = await startTestServer(dialect)
  })
  afterEach(async () => {
    await server.close()
  })

  async function myVault() {
    const admin = await setupAdmin(server)
    const { vaults } = await admin.api.listVaults()
    const vaultId = vaults.find((v) => v.kind === 'user')?.id
    if (!vaultId) throw new Error('no user vault')
    return { admin, vaultId }
  }

  it('refuses a 3,000-deep batch without storing any of it, while others are answered', async () => {
    const { admin, vaultId } = await myVault()
    const bob = await inviteAndAccept(server, admin.api, 'bob')
    const [refused, others] = await Promise.all([
      apiError(() => admin.api.createItems(vaultId, { items: chain(3000) })),
      bob.api.listVaults(),
    ])
    expect(refused).toMatchObject({ status: 400, code: 'invalid_input' })
    expect(refused.message).toContain('32 levels')
    expect(others.vaults).toHaveLength(1)
    expect((await admin.api.vaultItems(vaultId)).items).toEqual([])
  })

  it('accepts 32 levels and refuses a 33rd, counting the levels already stored', async () => {
    const { admin, vaultId } = await myVault()
    const top = chain(30)
    expect(await admin.api.createItems(vaultId, { items: top })).toEqual({ created: 30 })
    const deepest = top[29]!.id
    expect(await admin.api.createItems(vaultId, { items: chain(2, deepest) })).toEqual({
      created: 2,
    })
    const refused = await apiError(() =>
      admin.api.createItems(vaultId, { items: chain(3, deepest) }),
    )
    expect(refused).toMatchObject({ status: 400, code: 'invalid_input' })
    const stored = (await admin.api.vaultItems(vaultId)).items
    const level32 = stored.find(
      (i) =>
        i.parentId !== null &&
        !top.some((t) => t.id === i.id) &&
        !stored.some((c) => c.parentId === i.id),
    )
    const single = await apiError(() =>
      admin.api.putItem(vaultId, crypto.randomUUID(), {
        parentId: level32!.id,
        kind: 'folder',
        payload,
        baseRevision: 0,
        files: [],
      }),
    )
    expect(single.message).toContain('32 levels')
    expect((await admin.api.vaultItems(vaultId)).items).toHaveLength(32)
  })

  it('refuses a move that would put a subtree deeper than 32 levels', async () => {
    const { admin, vaultId } = await myVault()
    const long = chain(20)
    const branch = chain(15)
    await admin.api.createItems(vaultId, { items: [...long, ...branch] })
    const root = branch[0]!
    const refused = await apiError(() =>
      admin.api.putItem(vaultId, root.id, {
        parentId: long[19]!.id,
        kind: 'folder',
        payload,
        baseRevision: 1,
        files: [],
      }),
    )
    expect(refused.message).toContain('32 levels')
    const moved = await admin.api.putItem(vaultId, root.id, {
      parentId: long[15]!.id,
      kind: 'folder',
      payload,
      baseRevision: 1,
      files: [],
    })
    expect(moved.parentId).toBe(long[15]!.id)
  })

  it('refuses a batch whose child comes before its parent or repeats an id', async () => {
    const { admin, vaultId } = await myVault()
    const [a, b] = chain(2)
    expect(await apiError(() => admin.api.createItems(vaultId, { items: [b!, a!] }))).toMatchObject(
      { status: 400 },
    )
    expect(await apiError(() => admin.api.createItems(vaultId, { items: [a!, a!] }))).toMatchObject(
      { status: 400 },
    )
    expect((await admin.api.vaultItems(vaultId)).items).toEqual([])
  })

  it('deletes a 32-level subtree with every item and its history', async () => {
    const { admin, vaultId } = await myVault()
    const items = chain(32)
    const sibling = chain(1)
    await admin.api.createItems(vaultId, { items: [...items, ...sibling] })
    expect(await admin.api.deleteItem(vaultId, items[0]!.id)).toEqual({ deleted: 32 })
    expect((await admin.api.vaultItems(vaultId)).items.map((i) => i.id)).toEqual([sibling[0]!.id])
    const history = await server.db.selectFrom('vault_item_history').select('item_id').execute()
    expect(history.map((h) => h.item_id)).toEqual([sibling[0]!.id])
  })
})
