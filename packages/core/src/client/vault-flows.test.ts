import { describe, expect, it } from 'vitest'
import { type ItemContent, type PutItemRequest, type VaultItem } from '../contracts/vault.js'
import { importAesKey } from '../crypto/aes-gcm.js'
import { randomBytes } from '../crypto/bytes.js'
import { CryptoError } from '../crypto/crypto-error.js'
import { openItem, sealItem } from '../crypto/vault.js'
import type { ApiClient } from './api-client.js'
import { loadItems, moveItem, type OpenVault, saveItem } from './vault-flows.js'

const vault: OpenVault = {
  id: crypto.randomUUID(),
  kind: 'user',
  name: 'My vault',
  canWrite: true,
  key: await importAesKey(randomBytes(32)),
  raw: null,
  keyVersion: 1,
  rekeyDue: false,
}
const itemId = crypto.randomUUID()
const at = new Date().toISOString()

function content(password: string): ItemContent {
  return { name: 'web', type: 'credential', password, fields: [], files: [] }
}

/** The item as the server stores it after revision `revision` (sealed by a client). */
async function stored(revision: number, password: string): Promise<VaultItem> {
  return {
    id: itemId,
    parentId: null,
    kind: 'entry',
    payload: await sealItem(
      vault.key,
      { vaultId: vault.id, itemId, parentId: null, revision },
      content(password),
    ),
    revision,
    files: [],
    createdAt: at,
    updatedAt: at,
  }
}

/**
 * A server that keeps items the way ours does (a new item is revision 1, a change is
 * baseRevision + 1) and records what it was sent.
 */
function fakeServer() {
  const items = new Map<string, VaultItem>()
  const api = {
    putItem: async (_vaultId: string, id: string, body: PutItemRequest): Promise<VaultItem> => {
      const item: VaultItem = {
        id,
        parentId: body.parentId,
        kind: body.kind,
        payload: body.payload,
        revision: body.baseRevision + 1,
        files: body.files,
        createdAt: at,
        updatedAt: at,
      }
      items.set(id, item)
      return item
    },
    vaultItems: async () => ({ items: [...items.values()] }),
    uploadChunk: async () => undefined,
  }
  return api
}

describe('loadItems', () => {
  it('refuses an item the server rolled back to an earlier sealed revision', async () => {
    const first = await stored(1, 'old-password')
    const current = await stored(2, 'new-password')
    // The server keeps the current revision number but serves the first revision's payload.
    const rolledBack = { ...current, payload: first.payload }
    const error = await loadItems(
      { vaultItems: async () => ({ items: [rolledBack] }) },
      vault,
    ).then(
      () => undefined,
      (thrown: unknown) => thrown,
    )
    expect(error).toBeInstanceOf(CryptoError)
  })

  it('opens items saved and moved through the flows at the revisions the server stores', async () => {
    const server = fakeServer()
    const api = server as unknown as ApiClient
    const created = await saveItem(api, vault, {
      parentId: null,
      kind: 'entry',
      content: { name: 'web', type: 'credential', password: 'one', fields: [] },
      baseRevision: 0,
    })
    const changed = await saveItem(api, vault, {
      id: created.id,
      parentId: null,
      kind: 'entry',
      content: { name: 'web', type: 'credential', password: 'two', fields: [] },
      baseRevision: created.revision,
    })
    const folder = await saveItem(api, vault, {
      parentId: null,
      kind: 'folder',
      content: { name: 'Servers', type: 'folder', fields: [] },
      baseRevision: 0,
    })
    await moveItem(api, vault, changed, folder.id)
    const loaded = await loadItems(server, vault)
    expect(loaded.find((item) => item.id === created.id)).toMatchObject({
      revision: 3,
      parentId: folder.id,
      content: { password: 'two' },
    })
  })
})

describe('item history', () => {
  it('opens every earlier revision with its own number, and no other', async () => {
    const history = [await stored(1, 'old-password'), await stored(2, 'new-password')]
    const open = (entry: VaultItem, revision: number) =>
      openItem(vault.key, { vaultId: vault.id, itemId, parentId: null, revision }, entry.payload)
    expect((await open(history[0]!, 1)).password).toBe('old-password')
    expect((await open(history[1]!, 2)).password).toBe('new-password')
    await expect(open(history[0]!, 2)).rejects.toBeInstanceOf(CryptoError)
  })
})
