import { Base64Url, type HpkeBox, type SealedEnvelope } from '../contracts/common.js'
import { CopiedItem, ItemContent } from '../contracts/vault.js'
import type { UnlockedAccount } from './account.js'
import { importAesKey } from './aes-gcm.js'
import { type Bytes, fromBase64Url, randomBytes, toBase64Url, utf8 } from './bytes.js'
import { openJsonEnvelope, openTextEnvelope, sealEnvelope } from './envelope.js'
import { hpkeOpen, hpkeSealToEach } from './hpke.js'

/** Where an item sits and which revision of it this is: everything its AAD binds. */
export type ItemPlace = {
  vaultId: string
  itemId: string
  parentId: string | null
  /** 1 when created; each change seals revision `baseRevision + 1` (history keeps each one's). */
  revision: number
}

/**
 * AAD of a sealed item: vault, item, parent and revision, so the server can neither move or
 * swap an item nor serve an earlier sealed revision as the current one.
 *
 * It leaves out the vault's key version (issue 13) on purpose. A re-key draws a fresh random
 * key, so what was sealed under one version never opens under another: AES-GCM already keeps
 * the versions apart, and binding the number would add nothing. Nor would it stop a server
 * that serves a member the old key box with the old payloads, since that client learns the
 * version from the same server. What the version does guard is writes: the server refuses a
 * payload sealed by a device that still holds the old key (409 `stale_key`).
 */
export function itemAad(place: ItemPlace): Bytes {
  return utf8(
    JSON.stringify([
      'sealpost/v1/vault-item',
      place.vaultId,
      place.itemId,
      place.parentId,
      place.revision,
    ]),
  )
}

/** Seals an item for its place and revision (see `itemAad`). */
export async function sealItem(
  vaultKey: CryptoKey,
  place: ItemPlace,
  content: ItemContent,
): Promise<SealedEnvelope> {
  return sealEnvelope(vaultKey, utf8(JSON.stringify(content)), itemAad(place))
}

/** Opens an item at the place and revision the server states; any mismatch throws CryptoError. */
export async function openItem(
  vaultKey: CryptoKey,
  place: ItemPlace,
  payload: unknown,
): Promise<ItemContent> {
  return openJsonEnvelope(vaultKey, payload, itemAad(place), ItemContent, 'vault item')
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
  return openTextEnvelope(vaultKey, name, utf8(`sealpost/v1/vault-name/${vaultId}`), 'vault name')
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
  const [box] = await sealVaultKeyToEach(vaultKey, [member], vaultId)
  if (!box) throw new Error('sealing to one member gave no box')
  return box.key
}

/**
 * `sealVaultKeyTo` for many members at once (a re-key): seals in parallel batches, and
 * answers each member's box in the order of `members`.
 */
export async function sealVaultKeyToEach(
  vaultKey: SharedVaultKey,
  members: Array<{ userId: string; x25519PublicKey: string }>,
  vaultId: string,
): Promise<Array<{ userId: string; key: HpkeBox }>> {
  const sealed = await hpkeSealToEach(
    members.map((member) => ({
      userId: member.userId,
      publicKey: member.x25519PublicKey,
      aad: utf8(`${vaultId}/${member.userId}`),
    })),
    vaultKey.raw,
    VAULT_KEY_INFO,
  )
  return sealed.map(({ reader, sealed: box }) => ({
    userId: reader.userId,
    key: { enc: Base64Url.parse(toBase64Url(box.enc)), ct: Base64Url.parse(toBase64Url(box.ct)) },
  }))
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
