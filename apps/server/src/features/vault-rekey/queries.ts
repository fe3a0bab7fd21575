import { type HpkeBox, SealedEnvelope, type VaultHistoryRow } from '@sealpost/core'
import { parseJson } from '../../db/json.js'
import type { Db } from '../../db/database.js'

/** The vault's items at their current revisions. */
export async function itemRevisions(db: Db, vaultId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('vault_items')
    .select(['id', 'revision'])
    .where('vault_id', '=', vaultId)
    .execute()
  return new Map(rows.map((r) => [r.id, r.revision]))
}

/** Every stored revision of every item in the vault, sealed, for re-keying. */
export async function vaultHistory(db: Db, vaultId: string): Promise<VaultHistoryRow[]> {
  const rows = await db
    .selectFrom('vault_item_history')
    .innerJoin('vault_items', 'vault_items.id', 'vault_item_history.item_id')
    .select([
      'vault_item_history.id',
      'vault_item_history.item_id',
      'vault_item_history.revision',
      'vault_item_history.parent_id',
      'vault_item_history.payload',
    ])
    .where('vault_items.vault_id', '=', vaultId)
    .orderBy('vault_item_history.item_id')
    .orderBy('vault_item_history.revision')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    itemId: r.item_id,
    revision: r.revision,
    parentId: r.parent_id,
    payload: parseJson(SealedEnvelope, r.payload),
  }))
}

/** Ids of every stored revision of the vault's items. */
export async function historyIds(db: Db, vaultId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('vault_item_history')
    .innerJoin('vault_items', 'vault_items.id', 'vault_item_history.item_id')
    .select('vault_item_history.id')
    .where('vault_items.vault_id', '=', vaultId)
    .execute()
  return new Set(rows.map((r) => r.id))
}

/** The vault's members, and whether each one's account is active. */
export async function memberStatuses(db: Db, vaultId: string): Promise<Map<string, boolean>> {
  const rows = await db
    .selectFrom('vault_members')
    .innerJoin('users', 'users.id', 'vault_members.user_id')
    .select(['vault_members.user_id', 'users.status'])
    .where('vault_members.vault_id', '=', vaultId)
    .execute()
  return new Map(rows.map((r) => [r.user_id, r.status === 'active']))
}

export type StoredFile = {
  id: string
  itemId: string
  ownerId: string | null
  size: number
  chunkCount: number
  createdAt: number
}

/** Files of the vault's items, by id. */
export async function vaultFiles(db: Db, vaultId: string): Promise<Map<string, StoredFile>> {
  const rows = await db
    .selectFrom('blobs')
    .innerJoin('vault_items', 'vault_items.id', 'blobs.item_id')
    .select([
      'blobs.id',
      'blobs.item_id',
      'blobs.owner_id',
      'blobs.size',
      'blobs.chunk_count',
      'blobs.created_at',
    ])
    .where('vault_items.vault_id', '=', vaultId)
    .execute()
  const out = new Map<string, StoredFile>()
  for (const r of rows) {
    if (!r.item_id) continue
    out.set(r.id, {
      id: r.id,
      itemId: r.item_id,
      ownerId: r.owner_id,
      size: r.size,
      chunkCount: r.chunk_count,
      createdAt: r.created_at,
    })
  }
  return out
}

/** The new name and key version; false when the vault is no longer at `fromVersion`. */
export async function bumpKeyVersion(
  trx: Db,
  vault: { id: string; name: SealedEnvelope; fromVersion: number },
): Promise<boolean> {
  const result = await trx
    .updateTable('vaults')
    .set({ name: JSON.stringify(vault.name), key_version: vault.fromVersion + 1 })
    .where('id', '=', vault.id)
    .where('key_version', '=', vault.fromVersion)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Replaces an item's payload at the same revision; false when it is not there any more. */
export async function resealItem(
  trx: Db,
  item: { vaultId: string; id: string; revision: number; payload: SealedEnvelope },
): Promise<boolean> {
  const result = await trx
    .updateTable('vault_items')
    .set({ payload: JSON.stringify(item.payload) })
    .where('id', '=', item.id)
    .where('vault_id', '=', item.vaultId)
    .where('revision', '=', item.revision)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function resealRevision(
  trx: Db,
  entry: { id: string; payload: SealedEnvelope },
): Promise<boolean> {
  const result = await trx
    .updateTable('vault_item_history')
    .set({ payload: JSON.stringify(entry.payload) })
    .where('id', '=', entry.id)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function replaceMemberKey(
  trx: Db,
  member: { vaultId: string; userId: string; key: HpkeBox },
): Promise<boolean> {
  const result = await trx
    .updateTable('vault_members')
    .set({ wrapped_key: JSON.stringify(member.key) })
    .where('vault_id', '=', member.vaultId)
    .where('user_id', '=', member.userId)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

export async function clearDepartures(trx: Db, vaultId: string): Promise<void> {
  await trx.deleteFrom('vault_departures').where('vault_id', '=', vaultId).execute()
}

export async function removeMembers(trx: Db, vaultId: string, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return
  await trx
    .deleteFrom('vault_members')
    .where('vault_id', '=', vaultId)
    .where('user_id', 'in', userIds)
    .execute()
}

/**
 * Commits the chunks `stagedBy` uploaded as `newBlobId` in place of `old`: same item, owner
 * (so nobody's quota moves), size and place in the item's file order; the old blob and its
 * chunks are deleted by the caller.
 */
export async function commitReplacementBlob(
  trx: Db,
  blob: { old: StoredFile; newBlobId: string; stagedBy: string },
): Promise<void> {
  await trx
    .insertInto('blobs')
    .values({
      id: blob.newBlobId,
      message_id: null,
      link_id: null,
      item_id: blob.old.itemId,
      owner_id: blob.old.ownerId,
      size: blob.old.size,
      chunk_count: blob.old.chunkCount,
      created_at: blob.old.createdAt,
    })
    .execute()
  await trx
    .insertInto('blob_chunks')
    .columns(['blob_id', 'idx', 'bytes'])
    .expression((eb) =>
      eb
        .selectFrom('staged_chunks')
        .select(['blob_id', 'idx', 'bytes'])
        .where('blob_id', '=', blob.newBlobId)
        .where('owner_id', '=', blob.stagedBy)
        .where('request_id', 'is', null),
    )
    .execute()
  await trx.deleteFrom('staged_chunks').where('blob_id', '=', blob.newBlobId).execute()
}
