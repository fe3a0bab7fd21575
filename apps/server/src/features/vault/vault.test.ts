import {
  addVaultMember,
  Base64Url,
  buildCopy,
  bytesSource,
  CHUNK_BYTES,
  createApiClient,
  createLink,
  createSharedVault,
  CryptoError,
  type DecryptedItem,
  downloadItemFile,
  fromBase64Url,
  loadItems,
  moveItem,
  type OpenVault,
  openLink,
  openMessageDetail,
  openVaults,
  saveItem,
  saveMessageToVault,
  sendMessage,
  toHex,
} from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, setupAdmin, startWithPeople } from '../../test-support/accounts.js'
import { expectKeptFromRest, traceLog } from '../../test-support/at-rest.js'
import {
  dialects,
  injectFetch,
  startTestServer,
  type TestServer,
} from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'

function bytes(n: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = (i * 13 + seed) & 0xff
  return out
}

const entry = (name: string, extra: Partial<DecryptedItem['content']> = {}) => ({
  name,
  type: 'credential' as const,
  username: `${name}-user`,
  password: `${name}-password`,
  fields: [],
  ...extra,
})

async function userVault(p: Person): Promise<OpenVault> {
  const vaults = await openVaults(p.api, p.account, p.session.user)
  const mine = vaults.find((v) => v.kind === 'user')
  if (!mine) throw new Error('no user vault')
  return mine
}

/** A folder "Servers" with two entries; "web" has a sub-entry and a file. */
async function buildServers(p: Person, vault: OpenVault, file: Uint8Array) {
  const folder = await saveItem(p.api, vault, {
    parentId: null,
    kind: 'folder',
    content: { name: 'Servers', type: 'folder', fields: [] },
    baseRevision: 0,
  })
  const web = await saveItem(p.api, vault, {
    parentId: folder.id,
    kind: 'entry',
    content: entry('web', { notes: 'nginx box' }),
    baseRevision: 0,
    newFiles: [bytesSource('web.pem', 'application/x-pem-file', file)],
  })
  const sub = await saveItem(p.api, vault, {
    parentId: web.id,
    kind: 'entry',
    content: entry('web-root'),
    baseRevision: 0,
  })
  const db = await saveItem(p.api, vault, {
    parentId: folder.id,
    kind: 'entry',
    content: entry('db'),
    baseRevision: 0,
  })
  return { folder, web, sub, db }
}

describe.each(dialects)('vaults on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person
  let carol: Person

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

  it('keeps a tree of folders, entries and sub-entries with files, history and moves', async () => {
    const vault = await userVault(admin)
    const file = bytes(CHUNK_BYTES + 5)
    const { folder, web, sub, db } = await buildServers(admin, vault, file)
    const items = await loadItems(admin.api, vault)
    expect(items.map((i) => i.content.name).sort()).toEqual(['Servers', 'db', 'web', 'web-root'])
    expect(items.find((i) => i.id === sub.id)?.parentId).toBe(web.id)
    const stored = items.find((i) => i.id === web.id)!
    expect(
      Buffer.from(await downloadItemFile(admin.api, vault, web.id, stored.files[0]!)).equals(
        Buffer.from(file),
      ),
    ).toBe(true)

    const edited = await saveItem(admin.api, vault, {
      id: db.id,
      parentId: folder.id,
      kind: 'entry',
      content: entry('db', { password: 'rotated' }),
      baseRevision: db.revision,
    })
    expect(edited.revision).toBe(2)
    expect(
      await apiError(() =>
        saveItem(admin.api, vault, {
          id: db.id,
          parentId: folder.id,
          kind: 'entry',
          content: entry('db'),
          baseRevision: 1,
        }),
      ),
    ).toMatchObject({ status: 409, code: 'stale_revision' })
    const moved = await moveItem(admin.api, vault, edited, null)
    expect(moved.parentId).toBeNull()
    const history = await admin.api.itemHistory(vault.id, db.id)
    expect(history.entries.map((e) => e.action)).toEqual(['moved', 'updated', 'created'])
    expect(history.entries[0]?.actor?.username).toBe('admin')

    expect(
      await apiError(() =>
        moveItem(
          admin.api,
          vault,
          { ...items.find((i) => i.id === folder.id)!, revision: 1 },
          sub.id,
        ),
      ),
    ).toMatchObject({ status: 400 })
    expect((await admin.api.deleteItem(vault.id, folder.id)).deleted).toBe(3)
    const left = await server.db
      .selectFrom('blobs')
      .select('id')
      .where('item_id', 'is not', null)
      .execute()
    expect(left).toHaveLength(0)
    expect((await loadItems(admin.api, vault)).map((i) => i.content.name)).toEqual(['db'])
  })

  it('answers 404 to anyone who is not a member, and refuses a swapped or moved payload', async () => {
    const vault = await userVault(admin)
    const { web, db } = await buildServers(admin, vault, bytes(10))
    for (const attempt of [
      () => bob.api.vaultItems(vault.id),
      () => bob.api.itemHistory(vault.id, web.id),
      () => bob.api.deleteItem(vault.id, web.id),
      () => bob.api.downloadItemChunk(vault.id, web.id, web.files[0]!.blobId, 0),
      () =>
        bob.api.createItems(vault.id, {
          items: [
            {
              id: crypto.randomUUID(),
              parentId: null,
              kind: 'folder',
              payload: { v: 1, iv: Base64Url.parse('AAAA'), ct: Base64Url.parse('AAAA') },
              files: [],
            },
          ],
        }),
    ]) {
      expect(await apiError(attempt)).toMatchObject({ status: 404, code: 'not_found' })
    }
    // The server swaps two payloads: the AAD names each item, so both fail to open.
    const rows = await server.db
      .selectFrom('vault_items')
      .select(['id', 'payload'])
      .where('id', 'in', [web.id, db.id])
      .execute()
    const [a, b] = rows
    await server.db
      .updateTable('vault_items')
      .set({ payload: b!.payload })
      .where('id', '=', a!.id)
      .execute()
    const error = await loadItems(admin.api, vault).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CryptoError)
  })

  it('shares a vault with members: read-only cannot write, removal ends access', async () => {
    const id = await createSharedVault(
      admin.api,
      { id: admin.session.user.id, x25519PublicKey: admin.session.keys.x25519PublicKey },
      'Ops',
    )
    expect(
      await apiError(() =>
        createSharedVault(
          bob.api,
          { id: bob.session.user.id, x25519PublicKey: bob.session.keys.x25519PublicKey },
          'Mine',
        ),
      ),
    ).toMatchObject({ status: 403, code: 'admin_only' })
    const shared = (await openVaults(admin.api, admin.account, admin.session.user)).find(
      (v) => v.id === id,
    )!
    expect(shared.name).toBe('Ops')
    await saveItem(admin.api, shared, {
      parentId: null,
      kind: 'entry',
      content: entry('vpn'),
      baseRevision: 0,
    })
    await addVaultMember(
      admin.api,
      shared,
      { id: bob.session.user.id, x25519PublicKey: bob.session.keys.x25519PublicKey },
      false,
    )

    const bobsView = (await openVaults(bob.api, bob.account, bob.session.user)).find(
      (v) => v.id === id,
    )!
    expect(bobsView).toMatchObject({ name: 'Ops', canWrite: false })
    expect((await loadItems(bob.api, bobsView)).map((i) => i.content.password)).toEqual([
      'vpn-password',
    ])
    expect(
      await apiError(() =>
        saveItem(bob.api, bobsView, {
          parentId: null,
          kind: 'entry',
          content: entry('x'),
          baseRevision: 0,
        }),
      ),
    ).toMatchObject({ status: 403, code: 'forbidden' })
    expect(await apiError(() => loadItems(carol.api, { ...bobsView }))).toMatchObject({
      status: 404,
    })

    await admin.api.removeVaultMember(id, bob.session.user.id)
    expect(await apiError(() => bob.api.vaultItems(id))).toMatchObject({ status: 404 })
  })

  it('sends a copy of a folder and saves it into a shared folder; history stays behind, edits do not follow', async () => {
    const vault = await userVault(admin)
    const file = bytes(CHUNK_BYTES * 2 + 17, 9)
    const { folder, web } = await buildServers(admin, vault, file)
    await saveItem(admin.api, vault, {
      id: web.id,
      parentId: folder.id,
      kind: 'entry',
      content: entry('web', { notes: 'second revision' }),
      baseRevision: web.revision,
      keepFiles: web.files.map((f, i) => ({ ...f, ...web.content.files[i]! })),
    })

    const items = await loadItems(admin.api, vault)
    const copy = buildCopy(admin.api, vault, items, folder.id)
    expect(copy.entryCount).toBe(3)
    const sent = await sendMessage(admin.api, {
      me: { id: admin.session.user.id, x25519PublicKey: admin.session.keys.x25519PublicKey },
      account: admin.account,
      recipients: [{ id: bob.session.user.id, x25519PublicKey: bob.session.keys.x25519PublicKey }],
      subject: 'Servers',
      body: 'a copy for you',
      expiresAt: null,
      highPriority: false,
      files: copy.files,
      tree: copy.tree,
      now: () => server.clock.now(),
    })
    const opened = await openMessageDetail(
      bob.account,
      bob.session.user.id,
      await bob.api.getMessage(sent.id),
      server.clock.now(),
    )
    expect(opened.tree?.[0]?.content.name).toBe('Servers')
    expect(opened.tree?.[0]?.children.map((c) => c.content.name).sort()).toEqual(['db', 'web'])
    expect(JSON.stringify(opened.tree)).not.toContain('history')
    expect(JSON.stringify(opened.tree)).toContain('second revision')
    expect(JSON.stringify(opened.tree)).not.toContain('nginx box')

    // Bob saves it into a folder of a shared vault he may write to.
    const sharedId = await createSharedVault(
      admin.api,
      { id: admin.session.user.id, x25519PublicKey: admin.session.keys.x25519PublicKey },
      'Ops',
    )
    const shared = (await openVaults(admin.api, admin.account, admin.session.user)).find(
      (v) => v.id === sharedId,
    )!
    const target = await saveItem(admin.api, shared, {
      parentId: null,
      kind: 'folder',
      content: { name: 'Inbox', type: 'folder', fields: [] },
      baseRevision: 0,
    })
    await addVaultMember(
      admin.api,
      shared,
      { id: bob.session.user.id, x25519PublicKey: bob.session.keys.x25519PublicKey },
      true,
    )
    const bobsShared = (await openVaults(bob.api, bob.account, bob.session.user)).find(
      (v) => v.id === sharedId,
    )!
    const saved = await saveMessageToVault(bob.api, {
      messageId: sent.id,
      opened,
      vault: bobsShared,
      parentId: target.id,
      siblingNames: new Set(),
    })
    expect(saved.created).toBe(4)
    await saveMessageToVault(bob.api, {
      messageId: sent.id,
      opened,
      vault: bobsShared,
      parentId: target.id,
      siblingNames: new Set(['Servers']),
    })

    // A edits the original afterwards; B's copies do not change.
    await saveItem(admin.api, vault, {
      id: web.id,
      parentId: folder.id,
      kind: 'entry',
      content: entry('web', { password: 'changed later' }),
      baseRevision: web.revision + 1,
      keepFiles: web.files.map((f, i) => ({ ...f, ...web.content.files[i]! })),
    })
    const inShared = await loadItems(bob.api, bobsShared)
    const copies = inShared
      .filter((i) => i.parentId === target.id)
      .map((i) => i.content.name)
      .sort()
    expect(copies).toEqual(['Servers', 'Servers (2)'])
    const savedWeb = inShared.find((i) => i.content.name === 'web')!
    expect(savedWeb.content.password).toBe('web-password')
    expect(
      Buffer.from(
        await downloadItemFile(bob.api, bobsShared, savedWeb.id, savedWeb.files[0]!),
      ).equals(Buffer.from(file)),
    ).toBe(true)
    const copiedHistory = await bob.api.itemHistory(sharedId, savedWeb.id)
    expect(copiedHistory.entries.map((e) => e.actor?.username)).toEqual(['bob'])
  })

  it('shares a copy of an entry with its sub-entries and file by link', async () => {
    const vault = await userVault(admin)
    const file = bytes(CHUNK_BYTES + 3, 4)
    const { web } = await buildServers(admin, vault, file)
    const copy = buildCopy(admin.api, vault, await loadItems(admin.api, vault), web.id)
    const { url } = await createLink(admin.api, {
      origin: 'http://sealpost.test',
      account: admin.account,
      text: '',
      files: copy.files,
      tree: copy.tree,
      expiresAt: new Date(server.clock.now().getTime() + 3_600_000).toISOString(),
      maxViews: 1,
    })
    const visitor = createApiClient({
      baseUrl: 'http://sealpost.test',
      fetch: injectFetch(server.app),
    })
    const opened = await openLink(visitor, url)
    expect(opened.tree?.[0]?.content).toMatchObject({ name: 'web', password: 'web-password' })
    expect(opened.tree?.[0]?.children.map((c) => c.content.name)).toEqual(['web-root'])
    const fileRef = opened.tree?.[0]?.content.files[0]
    const delivered = opened.files.find((f) => f.blobId === fileRef?.blobId)
    expect(Buffer.from(delivered!.bytes).equals(Buffer.from(file))).toBe(true)
  })

  it('refuses a copy without the attachments permission and saving where one may not write', async () => {
    const vault = await userVault(bob)
    const { folder } = await buildServers(bob, vault, bytes(3))
    await admin.api.updateUser(bob.session.user.id, { canSendAttachments: false })
    const copy = buildCopy(bob.api, vault, await loadItems(bob.api, vault), folder.id)
    const refused = await apiError(() =>
      sendMessage(bob.api, {
        me: { id: bob.session.user.id, x25519PublicKey: bob.session.keys.x25519PublicKey },
        account: bob.account,
        recipients: [
          { id: carol.session.user.id, x25519PublicKey: carol.session.keys.x25519PublicKey },
        ],
        subject: 'copy',
        body: 'b',
        expiresAt: null,
        highPriority: false,
        tree: copy.tree,
        now: () => server.clock.now(),
      }),
    )
    expect(refused).toMatchObject({ status: 403, code: 'attachments_disabled' })

    const carolsVault = await userVault(carol)
    const intoOthers = await apiError(() =>
      saveItem(
        bob.api,
        { ...carolsVault, key: vault.key },
        {
          parentId: null,
          kind: 'folder',
          content: { name: 'x', type: 'folder', fields: [] },
          baseRevision: 0,
        },
      ),
    )
    expect(intoOthers).toMatchObject({ status: 404 })
  })
})

describe.each(dialects)('vault secrets at rest on %s', (dialect) => {
  it('keeps entry passwords, notes and files out of the database and the log', async () => {
    const { logger, lines } = traceLog()
    const server = await startTestServer(dialect, { logger })
    try {
      const admin = await setupAdmin(server)
      const canary = `canary-${toHex(crypto.getRandomValues(new Uint8Array(10)))}`
      const vault = await userVault(admin)
      await saveItem(admin.api, vault, {
        parentId: null,
        kind: 'entry',
        content: entry('x', { password: `${canary}-pw`, notes: `${canary}-notes` }),
        baseRevision: 0,
        newFiles: [
          bytesSource(`${canary}.key`, 'text/plain', new TextEncoder().encode(`${canary}-file`)),
        ],
      })
      const [saved] = await loadItems(admin.api, vault)
      expect(saved?.content.notes).toBe(`${canary}-notes`)
      await expectKeptFromRest({
        server,
        dialect,
        lines,
        secrets: [
          ['password', `${canary}-pw`],
          ['notes', `${canary}-notes`],
          ['file name', `${canary}.key`],
          ['file content', `${canary}-file`],
        ],
        inClear: 'ada@example.org',
        encoded: fromBase64Url(admin.session.keys.x25519PublicKey),
        inLog: `/api/vaults/${vault.id}/items/${saved?.id}`,
      })
    } finally {
      await server.close()
    }
  })
})
