import { z } from 'zod'
import type { SealedEnvelope } from '../contracts/auth.js'
import { Base64Url } from '../contracts/common.js'
import type { HpkeBox } from '../contracts/messages.js'
import type { UnlockedAccount } from './account.js'
import { importAesKey } from './aes-gcm.js'
import { type Bytes, fromBase64Url, fromUtf8, randomBytes, toBase64Url, utf8 } from './bytes.js'
import { CryptoError } from './crypto-error.js'
import { openEnvelope, sealEnvelope } from './envelope.js'
import { hpkeOpen, hpkeSeal } from './hpke.js'
import { importX25519PublicKey } from './x25519.js'

export const ItemType = z.enum(['folder', 'credential', 'note', 'document'])
export type ItemType = z.infer<typeof ItemType>

export const ItemFileMeta = z.object({
  blobId: z.string(),
  name: z.string(),
  type: z.string(),
  size: z.number().int().min(0),
})
export type ItemFileMeta = z.infer<typeof ItemFileMeta>

/** What a vault item holds, sealed: everything but its place in the tree. */
export const ItemContent = z.object({
  name: z.string().min(1).max(500),
  type: ItemType,
  username: z.string().max(1000).optional(),
  password: z.string().max(10_000).optional(),
  url: z.string().max(2000).optional(),
  notes: z.string().max(100_000).optional(),
  fields: z
    .array(
      z.object({ label: z.string().max(200), value: z.string().max(10_000), hidden: z.boolean() }),
    )
    .max(100),
  files: z.array(ItemFileMeta).max(100),
})
export type ItemContent = z.infer<typeof ItemContent>

/**
 * A copy of a folder or entry inside a message (S8): content and children only — never
 * history or logs. File `blobId`s point at the message's attachments.
 */
export type CopiedItem = { kind: 'folder' | 'entry'; content: ItemContent; children: CopiedItem[] }
export const CopiedItem: z.ZodType<CopiedItem> = z.object({
  kind: z.enum(['folder', 'entry']),
  content: ItemContent,
  get children() {
    return z.array(CopiedItem)
  },
})

function itemAad(vaultId: string, itemId: string, parentId: string | null): Bytes {
  return utf8(JSON.stringify(['sealpost/v1/vault-item', vaultId, itemId, parentId]))
}

/** Seals an item; the AAD binds vault, item and parent, so the server cannot move or swap it. */
export async function sealItem(
  vaultKey: CryptoKey,
  place: { vaultId: string; itemId: string; parentId: string | null },
  content: ItemContent,
): Promise<SealedEnvelope> {
  return sealEnvelope(
    vaultKey,
    utf8(JSON.stringify(content)),
    itemAad(place.vaultId, place.itemId, place.parentId),
  )
}

export async function openItem(
  vaultKey: CryptoKey,
  place: { vaultId: string; itemId: string; parentId: string | null },
  payload: unknown,
): Promise<ItemContent> {
  const bytes = await openEnvelope(
    vaultKey,
    payload,
    itemAad(place.vaultId, place.itemId, place.parentId),
  )
  const parsed = ItemContent.safeParse(JSON.parse(fromUtf8(bytes)))
  if (!parsed.success) throw new CryptoError('malformed', 'vault item has the wrong shape')
  return parsed.data
}

export async function sealVaultName(
  vaultKey: CryptoKey,
  vaultId: string,
  name: string,
): Promise<SealedEnvelope> {
  return sealEnvelope(vaultKey, utf8(name), utf8(`sealpost/v1/vault-name/${vaultId}`))
}

export async function openVaultName(
  vaultKey: CryptoKey,
  vaultId: string,
  name: unknown,
): Promise<string> {
  return fromUtf8(await openEnvelope(vaultKey, name, utf8(`sealpost/v1/vault-name/${vaultId}`)))
}

const VAULT_KEY_INFO = utf8('sealpost/v1/vault-key')

/** A shared vault's key: raw bytes only to box it to members; `key` for sealing. */
export type SharedVaultKey = { raw: Bytes; key: CryptoKey }

export async function createVaultKey(): Promise<SharedVaultKey> {
  const raw = randomBytes(32)
  return { raw, key: await importAesKey(raw) }
}

/** HPKE-seals a shared vault's key to one member; the AAD names vault and member. */
export async function sealVaultKeyTo(
  vaultKey: SharedVaultKey,
  member: { userId: string; x25519PublicKey: string },
  vaultId: string,
): Promise<HpkeBox> {
  const sealed = await hpkeSeal(
    await importX25519PublicKey(fromBase64Url(member.x25519PublicKey)),
    vaultKey.raw,
    VAULT_KEY_INFO,
    utf8(`${vaultId}/${member.userId}`),
  )
  return {
    enc: Base64Url.parse(toBase64Url(sealed.enc)),
    ct: Base64Url.parse(toBase64Url(sealed.ct)),
  }
}

export async function openVaultKey(
  account: UnlockedAccount,
  userId: string,
  vaultId: string,
  box: HpkeBox,
): Promise<SharedVaultKey> {
  const raw = await hpkeOpen(
    account.encryptionKeyPair,
    { enc: fromBase64Url(box.enc), ct: fromBase64Url(box.ct) },
    VAULT_KEY_INFO,
    utf8(`${vaultId}/${userId}`),
  )
  return { raw, key: await importAesKey(raw) }
}

/**
 * A copied tree names the vault's blobs; once its files are uploaded as new blobs
 * (message attachments, link files), point the tree at those.
 */
export function retargetCopiedFiles(
  tree: CopiedItem[],
  files: Array<{ copyOf?: string }>,
  uploaded: Array<{ blobId: string }>,
): CopiedItem[] {
  const copies = new Map<string, string>()
  files.forEach((file, i) => {
    const done = uploaded[i]
    if (file.copyOf && done) copies.set(file.copyOf, done.blobId)
  })
  const retarget = (item: CopiedItem): CopiedItem => ({
    ...item,
    content: {
      ...item.content,
      files: item.content.files.map((f) => ({ ...f, blobId: copies.get(f.blobId) ?? f.blobId })),
    },
    children: item.children.map(retarget),
  })
  return tree.map(retarget)
}
