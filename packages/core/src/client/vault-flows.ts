import type { DirectoryUser } from '../contracts/users.js'
import { CHUNK_BYTES } from '../contracts/messages.js'
import {
  type CopiedItem,
  type ItemContent,
  type ItemFile,
  type RekeyedFile,
  type RekeyVaultRequest,
  type RekeyVaultResponse,
  type VaultItem,
  type VaultSummary,
} from '../contracts/vault.js'
import type { UnlockedAccount } from '../crypto/account.js'
import type { Bytes } from '../crypto/bytes.js'
import { CryptoError } from '../crypto/crypto-error.js'
import { openChunk, type OpenedMessage } from '../crypto/message.js'
import {
  createVaultKey,
  type ItemPlace,
  openItem,
  openVaultKey,
  openVaultName,
  sealItem,
  sealVaultKeyTo,
  sealVaultKeyToEach,
  sealVaultName,
} from '../crypto/vault.js'
import { ApiError, type ApiClient } from './api-client.js'
import {
  downloadFile,
  type FileSource,
  oneByOne,
  type SendProgress,
  uploadFiles,
  withRetry,
} from './files.js'

/** A vault the signed-in user can open: its key is unwrapped in memory. */
export type OpenVault = {
  id: string
  kind: 'user' | 'shared'
  /** "My vault" for the user vault; the decrypted name of a shared vault. */
  name: string
  canWrite: boolean
  key: CryptoKey
  /** Raw key of a shared vault, kept only to share it with new members. */
  raw: Bytes | null
  /** Which key `key` is (VaultSummary.keyVersion), sent with everything sealed under it. */
  keyVersion: number
  /** Someone lost access since the key was made (VaultSummary.rekeyDue). */
  rekeyDue: boolean
}

export type DecryptedItem = Omit<VaultItem, 'payload'> & { content: ItemContent }

/** Unwraps the key of every vault the user belongs to. */
export async function openVaults(
  api: ApiClient,
  account: UnlockedAccount,
  me: { id: string },
  userVaultName = 'My vault',
): Promise<OpenVault[]> {
  const { vaults } = await api.listVaults()
  return Promise.all(vaults.map((v) => openVault(account, me, v, userVaultName)))
}

export async function openVault(
  account: UnlockedAccount,
  me: { id: string },
  vault: VaultSummary,
  userVaultName = 'My vault',
): Promise<OpenVault> {
  if (vault.key.kind === 'account') {
    return {
      id: vault.id,
      kind: vault.kind,
      name: userVaultName,
      canWrite: vault.canWrite,
      key: account.userVaultKey,
      raw: null,
      keyVersion: vault.keyVersion,
      rekeyDue: vault.rekeyDue,
    }
  }
  const shared = await openVaultKey(account, me.id, vault.id, vault.key.box)
  const name = vault.name ? await openVaultName(shared.key, vault.id, vault.name) : ''
  return {
    id: vault.id,
    kind: vault.kind,
    name,
    canWrite: vault.canWrite,
    key: shared.key,
    raw: shared.raw,
    keyVersion: vault.keyVersion,
    rekeyDue: vault.rekeyDue,
  }
}

/** Fetches and decrypts every item of a vault; a tampered item throws CryptoError. */
export async function loadItems(
  api: Pick<ApiClient, 'vaultItems'>,
  vault: OpenVault,
): Promise<DecryptedItem[]> {
  const { items } = await api.vaultItems(vault.id)
  return Promise.all(
    items.map(async ({ payload, ...item }) => ({
      ...item,
      content: await openItem(
        vault.key,
        { vaultId: vault.id, itemId: item.id, parentId: item.parentId, revision: item.revision },
        payload,
      ),
    })),
  )
}

export async function createSharedVault(
  api: ApiClient,
  me: { id: string; x25519PublicKey: string },
  name: string,
): Promise<string> {
  const id = crypto.randomUUID()
  const vaultKey = await createVaultKey()
  await api.createVault({
    id,
    name: await sealVaultName(vaultKey.key, id, name),
    key: await sealVaultKeyTo(vaultKey, { userId: me.id, x25519PublicKey: me.x25519PublicKey }, id),
  })
  vaultKey.raw.fill(0)
  return id
}

/** Shares a shared vault with a user: their copy of the key is sealed here, on this device. */
export async function addVaultMember(
  api: ApiClient,
  vault: OpenVault,
  user: Pick<DirectoryUser, 'id' | 'x25519PublicKey'>,
  canWrite: boolean,
): Promise<void> {
  if (!vault.raw) throw new Error('only shared vaults have members')
  const key = await sealVaultKeyTo(
    { raw: vault.raw, key: vault.key },
    { userId: user.id, x25519PublicKey: user.x25519PublicKey },
    vault.id,
  )
  await api.putVaultMember(vault.id, user.id, { canWrite, key, keyVersion: vault.keyVersion })
}

/**
 * Seals the keys of vaults granted to groups to the members still waiting for them (issue 13),
 * for the vaults this administrator holds, each to the key the directory names, as
 * `addVaultMember` does. Answers how many were sealed; a member whose key is not in the
 * directory (invited, disabled since) is left for later.
 *
 * `approved` says which waiting members the person at this device agreed to (they saw who):
 * a key goes to nobody the server merely lists, so a server that invents a waiting member
 * gets no vault key from a device that did not ask for it.
 */
export async function sealPendingGrants(
  api: ApiClient,
  account: UnlockedAccount,
  me: { id: string },
  approved: (grant: { vaultId: string; userId: string }) => boolean,
): Promise<number> {
  const { pending } = await api.pendingVaultGrants()
  const chosen = pending.filter(approved)
  if (chosen.length === 0) return 0
  const [vaults, { users }] = await Promise.all([openVaults(api, account, me), api.directory()])
  let sealed = 0
  for (const grant of chosen) {
    const vault = vaults.find((v) => v.id === grant.vaultId)
    const user = users.find((u) => u.id === grant.userId)
    if (!vault?.raw || !user) continue
    const key = await sealVaultKeyTo(
      { raw: vault.raw, key: vault.key },
      { userId: user.id, x25519PublicKey: user.x25519PublicKey },
      vault.id,
    )
    await api.sealVaultGrant({
      vaultId: vault.id,
      userId: user.id,
      key,
      keyVersion: vault.keyVersion,
    })
    sealed += 1
  }
  return sealed
}

export type SaveItemInput = {
  /** Omit to create. */
  id?: string
  parentId: string | null
  kind: 'folder' | 'entry'
  /** Content without `files`; the files are `keepFiles` plus `newFiles`. */
  content: Omit<ItemContent, 'files'>
  baseRevision: number
  keepFiles?: Array<ItemFile & { name: string; type: string }>
  newFiles?: FileSource[]
  onProgress?: (progress: SendProgress) => void
}

/** Creates or changes an item: new files are sealed under the vault key and staged first. */
export async function saveItem(
  api: ApiClient,
  vault: OpenVault,
  input: SaveItemInput,
): Promise<DecryptedItem> {
  const itemId = input.id ?? crypto.randomUUID()
  const uploaded = await uploadFiles(api, vault.key, input.newFiles ?? [], input.onProgress)
  const keep = input.keepFiles ?? []
  const files = [
    ...keep.map((f) => ({ blobId: f.blobId, size: f.size, chunkCount: f.chunkCount })),
    ...uploaded.map((f) => ({ blobId: f.blobId, size: f.size, chunkCount: f.chunkCount })),
  ]
  const content: ItemContent = {
    ...input.content,
    files: [...keep, ...uploaded].map((f) => ({
      blobId: f.blobId,
      name: f.name,
      type: f.type,
      size: f.size,
    })),
  }
  // The server stores this change as revision baseRevision + 1 (1 for a new item).
  const payload = await sealItem(
    vault.key,
    { vaultId: vault.id, itemId, parentId: input.parentId, revision: input.baseRevision + 1 },
    content,
  )
  const { payload: _sealed, ...item } = await withRetry(() =>
    api.putItem(vault.id, itemId, {
      parentId: input.parentId,
      kind: input.kind,
      payload,
      baseRevision: input.baseRevision,
      files,
      keyVersion: vault.keyVersion,
    }),
  )
  return { ...item, content }
}

/** Moves an item: its payload is re-sealed because the AAD binds the parent (and revision). */
export async function moveItem(
  api: ApiClient,
  vault: OpenVault,
  item: DecryptedItem,
  parentId: string | null,
): Promise<DecryptedItem> {
  const payload = await sealItem(
    vault.key,
    { vaultId: vault.id, itemId: item.id, parentId, revision: item.revision + 1 },
    item.content,
  )
  const { payload: _sealed, ...moved } = await api.putItem(vault.id, item.id, {
    parentId,
    kind: item.kind,
    payload,
    baseRevision: item.revision,
    files: item.files,
    keyVersion: vault.keyVersion,
  })
  return { ...moved, content: item.content }
}

export async function downloadItemFile(
  api: ApiClient,
  vault: OpenVault,
  itemId: string,
  file: ItemFile,
  onProgress?: (receivedBytes: number) => void,
): Promise<Uint8Array> {
  return downloadFile(
    file,
    vault.key,
    oneByOne((index) =>
      withRetry(() => api.downloadItemChunk(vault.id, itemId, file.blobId, index)),
    ),
    onProgress,
  )
}

/** An item file read chunk by chunk from the vault, for re-sealing into a message. */
function itemFileSource(
  api: ApiClient,
  vault: OpenVault,
  item: DecryptedItem,
  meta: ItemContent['files'][number],
): FileSource {
  const stored = item.files.find((f) => f.blobId === meta.blobId)
  if (!stored) throw new Error(`file ${meta.name} is missing from ${item.content.name}`)
  return {
    name: meta.name,
    type: meta.type,
    size: meta.size,
    copyOf: meta.blobId,
    read: async (offset, length) => {
      // uploadFiles reads whole chunks at chunk boundaries.
      if (offset % CHUNK_BYTES !== 0 || length !== CHUNK_BYTES) throw new Error('unaligned read')
      const index = offset / CHUNK_BYTES
      const sealed = await withRetry(() =>
        api.downloadItemChunk(vault.id, item.id, stored.blobId, index),
      )
      return openChunk(vault.key, stored.blobId, index, index === stored.chunkCount - 1, sealed)
    },
  }
}

/**
 * Builds the copy for *Send copy* (S7–S8): the item with everything below it — content and
 * files, never history or logs. Files are read from the vault as the message uploads them.
 */
export function buildCopy(
  api: ApiClient,
  vault: OpenVault,
  items: DecryptedItem[],
  rootId: string,
): { tree: CopiedItem[]; files: FileSource[]; entryCount: number } {
  const byParent = new Map<string | null, DecryptedItem[]>()
  for (const item of items) {
    byParent.set(item.parentId, [...(byParent.get(item.parentId) ?? []), item])
  }
  const files: FileSource[] = []
  let entryCount = 0
  const copy = (item: DecryptedItem): CopiedItem => {
    if (item.kind === 'entry') entryCount++
    for (const meta of item.content.files) {
      files.push(itemFileSource(api, vault, item, meta))
    }
    return {
      kind: item.kind,
      content: item.content,
      children: (byParent.get(item.id) ?? []).map(copy),
    }
  }
  const root = items.find((i) => i.id === rootId)
  if (!root) throw new Error('no such item')
  const tree = [copy(root)]
  return { tree, files, entryCount }
}

/** Name in `taken` gets " (2)", " (3)"… until it is free (S16: nothing is overwritten). */
export function freeName(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name
  for (let n = 2; ; n++) if (!taken.has(`${name} (${n})`)) return `${name} (${n})`
}

/**
 * Saves what a message carries — its files as Document entries and its copied items as the
 * same tree — into a vault folder (S16, S17), re-sealed under the vault key, in one request.
 */
export async function saveMessageToVault(
  api: ApiClient,
  input: {
    messageId: string
    opened: OpenedMessage
    vault: OpenVault
    parentId: string | null
    /** Names already used beside the destination, for " (2)" suffixes. */
    siblingNames: Set<string>
    onProgress?: (progress: SendProgress) => void
  },
): Promise<{ created: number }> {
  const { opened, vault } = input
  const treeBlobIds = new Set<string>()
  const collect = (item: CopiedItem) => {
    item.content.files.forEach((f) => treeBlobIds.add(f.blobId))
    item.children.forEach(collect)
  }
  opened.tree?.forEach(collect)

  // Re-seal every attachment under the vault key; remember where each landed.
  const fileMap = new Map<
    string,
    { blobId: string; size: number; chunkCount: number; name: string; type: string }
  >()
  // The message flows load here, not with the vault's: a web page showing the vault does not
  // download them (issue 15).
  const { downloadAttachment } = await import('./message-flows.js')
  for (const attachment of opened.attachments) {
    const bytes = await downloadAttachment(api, input.messageId, opened, attachment)
    const [uploaded] = await uploadFiles(api, vault.key, [
      {
        name: attachment.name,
        type: attachment.type,
        size: bytes.length,
        read: async (o, l) => bytes.slice(o, o + l),
      },
    ])
    if (uploaded) fileMap.set(attachment.blobId, uploaded)
  }
  const requests: Parameters<ApiClient['createItems']>[1]['items'] = []
  const add = async (kind: 'folder' | 'entry', content: ItemContent, parentId: string | null) => {
    const id = crypto.randomUUID()
    const files = content.files.map((f) => fileMap.get(f.blobId)).filter((f) => f !== undefined)
    const sealedContent: ItemContent = {
      ...content,
      files: files.map((f) => ({ blobId: f.blobId, name: f.name, type: f.type, size: f.size })),
    }
    requests.push({
      id,
      parentId,
      kind,
      // New items start at revision 1.
      payload: await sealItem(
        vault.key,
        { vaultId: vault.id, itemId: id, parentId, revision: 1 },
        sealedContent,
      ),
      files: files.map((f) => ({ blobId: f.blobId, size: f.size, chunkCount: f.chunkCount })),
    })
    return id
  }
  const taken = new Set(input.siblingNames)
  const place = async (item: CopiedItem, parentId: string | null, top: boolean) => {
    const name = top ? freeName(item.content.name, taken) : item.content.name
    if (top) taken.add(name)
    const id = await add(item.kind, { ...item.content, name }, parentId)
    for (const child of item.children) await place(child, id, false)
  }
  for (const item of opened.tree ?? []) await place(item, input.parentId, true)
  for (const attachment of opened.attachments.filter((a) => !treeBlobIds.has(a.blobId))) {
    const name = freeName(attachment.name, taken)
    taken.add(name)
    await add(
      'entry',
      {
        name,
        type: 'document',
        fields: [],
        files: [
          {
            blobId: attachment.blobId,
            name: attachment.name,
            type: attachment.type,
            size: attachment.size,
          },
        ],
      },
      input.parentId,
    )
  }
  if (requests.length === 0) return { created: 0 }
  return api.createItems(vault.id, { items: requests, keyVersion: vault.keyVersion })
}

/** How far a re-key got: files re-sealed (bytes), then revisions re-sealed. */
export type RekeyProgress =
  | { step: 'files'; doneBytes: number; totalBytes: number }
  | { step: 'revisions'; done: number; total: number }

/**
 * Prepares a re-key of a shared vault (issue 13), on this device: draws a new vault key,
 * re-seals the name, every item's current payload and every stored revision (history stays
 * readable), re-seals every file chunk under new blob ids and stages them through
 * /api/uploads, and seals the new key to every member whose account is active. Nothing on
 * the server changes until `api.rekeyVault` commits the returned request; staged chunks that
 * are never committed expire with the staging TTL.
 */
export async function prepareVaultRekey(
  api: ApiClient,
  vault: OpenVault,
  onProgress?: (progress: RekeyProgress) => void,
): Promise<RekeyVaultRequest> {
  if (!vault.raw) throw new Error('only shared vaults can be re-keyed')
  const [{ vaults }, { items }, { entries }, { members }, { users }] = await Promise.all([
    api.listVaults(),
    api.vaultItems(vault.id),
    api.vaultHistory(vault.id),
    api.vaultMembers(vault.id),
    api.directory(),
  ])
  // Re-sealing would fail on the first payload: say why before any file is staged.
  if (vaults.find((v) => v.id === vault.id)?.keyVersion !== vault.keyVersion) {
    throw new ApiError(
      409,
      'stale_key',
      'this vault was re-keyed since you opened it; open it again',
    )
  }
  const fresh = await createVaultKey()
  try {
    // Files first: their new blob ids go into the re-sealed payloads.
    const totalBytes = items.reduce((n, i) => n + i.files.reduce((m, f) => m + f.size, 0), 0)
    let doneBytes = 0
    onProgress?.({ step: 'files', doneBytes, totalBytes })
    const renamed = new Map<string, string>()
    const filesOf = new Map<string, RekeyedFile[]>()
    for (const item of items) {
      const rekeyed: RekeyedFile[] = []
      for (const file of item.files) {
        const [uploaded] = await uploadFiles(
          api,
          fresh.key,
          [storedFileSource(api, vault, item.id, file)],
          ({ sentBytes }) =>
            onProgress?.({ step: 'files', doneBytes: doneBytes + sentBytes, totalBytes }),
        )
        if (!uploaded) throw new Error('a file was not uploaded')
        doneBytes += file.size
        renamed.set(file.blobId, uploaded.blobId)
        rekeyed.push({
          oldBlobId: file.blobId,
          newBlobId: uploaded.blobId,
          size: file.size,
          chunkCount: uploaded.chunkCount,
        })
      }
      filesOf.set(item.id, rekeyed)
    }
    const retarget = (content: ItemContent): ItemContent => ({
      ...content,
      files: content.files.map((f) => ({ ...f, blobId: renamed.get(f.blobId) ?? f.blobId })),
    })
    const total = items.length + entries.length
    let done = 0
    const reseal = async (place: ItemPlace, payload: unknown) => {
      const content = await openItem(vault.key, place, payload)
      const sealed = await sealItem(fresh.key, place, retarget(content))
      onProgress?.({ step: 'revisions', done: ++done, total })
      return sealed
    }
    const request: RekeyVaultRequest = {
      keyVersion: vault.keyVersion,
      name: await sealVaultName(fresh.key, vault.id, vault.name),
      items: [],
      history: [],
      members: [],
    }
    for (const item of items) {
      // Same place and revision: the new key alone separates old payloads from new ones.
      const place = {
        vaultId: vault.id,
        itemId: item.id,
        parentId: item.parentId,
        revision: item.revision,
      }
      request.items.push({
        id: item.id,
        revision: item.revision,
        payload: await reseal(place, item.payload),
        files: filesOf.get(item.id) ?? [],
      })
    }
    for (const entry of entries) {
      const place = {
        vaultId: vault.id,
        itemId: entry.itemId,
        parentId: entry.parentId,
        revision: entry.revision,
      }
      request.history.push({ id: entry.id, payload: await reseal(place, entry.payload) })
    }
    // Members whose account is no longer active are not in the directory: the server ends
    // their membership with the old key instead of leaving them a key nobody can check.
    const directory = new Map(users.map((u) => [u.id, u]))
    request.members = await sealVaultKeyToEach(
      fresh,
      members.flatMap((member) => {
        const user = directory.get(member.userId)
        return user ? [{ userId: user.id, x25519PublicKey: user.x25519PublicKey }] : []
      }),
      vault.id,
    )
    return request
  } finally {
    fresh.raw.fill(0)
  }
}

/**
 * Re-keys a shared vault (issue 13): `prepareVaultRekey`, then one request that swaps
 * everything at once. A vault changed meanwhile answers 409 `vault_changed` and stays as it
 * was, under the old key; open the vaults again and retry.
 */
export async function rekeyVault(
  api: ApiClient,
  vault: OpenVault,
  onProgress?: (progress: RekeyProgress) => void,
): Promise<RekeyVaultResponse> {
  const request = await prepareVaultRekey(api, vault, onProgress)
  return api.rekeyVault(vault.id, request)
}

/** A stored item file, each chunk opened under the vault's current key as it is read. */
function storedFileSource(
  api: ApiClient,
  vault: OpenVault,
  itemId: string,
  file: ItemFile,
): FileSource {
  return {
    name: file.blobId,
    type: 'application/octet-stream',
    size: file.size,
    read: async (offset, length) => {
      // uploadFiles reads whole chunks at chunk boundaries.
      if (offset % CHUNK_BYTES !== 0 || length !== CHUNK_BYTES) throw new Error('unaligned read')
      const index = offset / CHUNK_BYTES
      const isLast = index === file.chunkCount - 1
      const sealed = await withRetry(() =>
        api.downloadItemChunk(vault.id, itemId, file.blobId, index),
      )
      const plain = await openChunk(vault.key, file.blobId, index, isLast, sealed)
      const expected = isLast ? file.size - index * CHUNK_BYTES : CHUNK_BYTES
      if (plain.length !== expected) {
        throw new CryptoError('malformed', 'a file chunk has the wrong length')
      }
      return plain
    },
  }
}
