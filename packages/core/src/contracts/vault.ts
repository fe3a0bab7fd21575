import { z } from 'zod'
import { HpkeBox, Id, SealedEnvelope, Timestamp } from './common.js'

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

/** How the caller holds a vault's key: wrapped by their account key (user vault) or HPKE-sealed to them. */
export const VaultKey = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('account'), envelope: SealedEnvelope }),
  z.object({ kind: z.literal('hpke'), box: HpkeBox }),
])
export type VaultKey = z.infer<typeof VaultKey>

export const VaultSummary = z.object({
  id: Id,
  kind: z.enum(['user', 'shared']),
  /** Sealed with the vault key; null for the user vault ("My vault"). */
  name: SealedEnvelope.nullable(),
  canWrite: z.boolean(),
  key: VaultKey,
  /** Which key the vault is sealed under: 1 when created, one more at each re-key. */
  keyVersion: z.number().int().min(1),
  /**
   * A shared vault someone lost access to since its key was made, or with a member whose
   * account is disabled: a key their device saved still opens it until it is re-keyed.
   */
  rekeyDue: z.boolean(),
})
export type VaultSummary = z.infer<typeof VaultSummary>
export const VaultList = z.object({ vaults: z.array(VaultSummary) })

/**
 * The key version the client sealed under (VaultSummary.keyVersion). A device that opened the
 * vault before a re-key gets 409 `stale_key` instead of storing something under the old key.
 * Optional so older clients keep working; core's flows always send it.
 */
const KeyVersion = z.number().int().min(1).optional()

export const VaultIdParams = z.object({ vaultId: Id })
export const VaultItemParams = VaultIdParams.extend({ itemId: Id })
export const VaultMemberParams = VaultIdParams.extend({ userId: Id })
export const VaultChunkParams = VaultItemParams.extend({
  blobId: Id,
  index: z.coerce.number().int().min(0).max(100_000),
})

export const CreateVaultRequest = z.object({
  id: Id,
  name: SealedEnvelope,
  /** The vault key sealed to the creator. */
  key: HpkeBox,
})

export const VaultMember = z.object({
  userId: Id,
  username: z.string(),
  displayName: z.string(),
  canWrite: z.boolean(),
  /** False when the account is disabled: they cannot sign in, and a re-key drops them. */
  active: z.boolean(),
})
/** Someone who lost access since the vault's key was made (cleared by a re-key). */
export const VaultDeparture = z.object({
  userId: Id,
  username: z.string(),
  displayName: z.string(),
  departedAt: z.number().int(),
})
export type VaultDeparture = z.infer<typeof VaultDeparture>
export const VaultMembers = z.object({
  members: z.array(VaultMember),
  departed: z.array(VaultDeparture),
})
export const PutVaultMemberRequest = z.object({
  canWrite: z.boolean(),
  /** The vault key HPKE-sealed to the new member by someone who holds it. */
  key: HpkeBox,
  keyVersion: KeyVersion,
})

/**
 * A shared vault granted to a group (issue 13): every active member of the group may read it
 * (and change it with `canWrite`) once a vault member's device has sealed the key to them.
 */
export const VaultGroupGrant = z.object({
  groupId: Id,
  name: z.string(),
  canWrite: z.boolean(),
  /** Active members of the group. */
  memberCount: z.number().int().min(0),
  /** Of them, how many still wait for a device that holds the key to seal it to them. */
  waiting: z.number().int().min(0),
})
export type VaultGroupGrant = z.infer<typeof VaultGroupGrant>
export const VaultGroupGrants = z.object({ grants: z.array(VaultGroupGrant) })
export const PutVaultGroupGrantRequest = z.object({ canWrite: z.boolean() })

/** Group members an administrator's device should seal a vault key to, for vaults it holds. */
export const PendingVaultGrants = z.object({
  pending: z.array(z.object({ vaultId: Id, userId: Id, canWrite: z.boolean() })),
})
export type PendingVaultGrants = z.infer<typeof PendingVaultGrants>

/** The vault key sealed to a group member by an administrator's device that holds it. */
export const SealVaultGrantRequest = z.object({
  vaultId: Id,
  userId: Id,
  key: HpkeBox,
  keyVersion: KeyVersion,
})

/** Vaults granted to my groups whose key nobody has sealed to me yet. */
export const WaitingVaults = z.object({
  waiting: z.array(z.object({ vaultId: Id, groups: z.array(z.string()) })),
})
export type WaitingVaults = z.infer<typeof WaitingVaults>

export const ItemKind = z.enum(['folder', 'entry'])
export type ItemKind = z.infer<typeof ItemKind>

export const ItemFile = z.object({
  blobId: Id,
  size: z.number().int().min(0),
  chunkCount: z.number().int().min(1),
})
export type ItemFile = z.infer<typeof ItemFile>

/** A vault item as stored: the tree shape in clear, everything else sealed (AAD: vault, item, parent). */
export const VaultItem = z.object({
  id: Id,
  parentId: Id.nullable(),
  kind: ItemKind,
  payload: SealedEnvelope,
  revision: z.number().int().min(1),
  files: z.array(ItemFile),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type VaultItem = z.infer<typeof VaultItem>
export const VaultItems = z.object({ items: z.array(VaultItem) })

/** GET /api/uploads/usage: sizes in bytes. */
export const StorageUsage = z.object({
  /** Vault files this user uploaded; they count against `quotaBytes`. */
  vaultBytes: z.number().int(),
  quotaBytes: z.number().int(),
  /** Uploads waiting for their message, link or item. */
  stagedBytes: z.number().int(),
})
export type StorageUsage = z.infer<typeof StorageUsage>

/** Folders and entries nest at most this many levels deep (a top-level item is level 1). */
export const VAULT_MAX_DEPTH = 32

export const PutItemRequest = z.object({
  parentId: Id.nullable(),
  kind: ItemKind,
  payload: SealedEnvelope,
  /** The revision being replaced; 0 to create. A stale revision answers 409. */
  baseRevision: z.number().int().min(0),
  /** Files the item has after this change: staged ones are committed, missing ones deleted. */
  files: z.array(ItemFile).max(100),
  keyVersion: KeyVersion,
})
export type PutItemRequest = z.infer<typeof PutItemRequest>

/** Creates many items in one transaction (Save in vault, imports); parents before children. */
export const CreateItemsRequest = z.object({
  items: z
    .array(PutItemRequest.omit({ baseRevision: true, keyVersion: true }).extend({ id: Id }))
    .min(1)
    .max(5000),
  keyVersion: KeyVersion,
})
export type CreateItemsRequest = z.infer<typeof CreateItemsRequest>

export const ItemHistoryEntry = z.object({
  revision: z.number().int(),
  action: z.enum(['created', 'updated', 'moved']),
  actor: z.object({ id: Id, username: z.string(), displayName: z.string() }).nullable(),
  /** The item as it was at this revision, sealed. */
  payload: SealedEnvelope,
  parentId: Id.nullable(),
  at: Timestamp,
})
export const ItemHistory = z.object({ entries: z.array(ItemHistoryEntry) })

/** One stored revision of an item, for re-keying: the row's id names it in RekeyVaultRequest. */
export const VaultHistoryRow = z.object({
  id: Id,
  itemId: Id,
  revision: z.number().int().min(1),
  parentId: Id.nullable(),
  payload: SealedEnvelope,
})
export type VaultHistoryRow = z.infer<typeof VaultHistoryRow>
/** GET /api/vaults/:vaultId/history: every revision of every item in the vault. */
export const VaultHistoryRows = z.object({ entries: z.array(VaultHistoryRow) })

/**
 * Re-key limits (issue 13). The request carries sealed payloads only (files are staged first
 * through /api/uploads, chunk by chunk), so it is bounded by its body: REKEY_BODY_BYTES, and
 * at most REKEY_MAX_ITEMS items and REKEY_MAX_REVISIONS stored revisions. Vault files are
 * re-uploaded as staged uploads, so their total must also fit the re-keying administrator's
 * staging room (SEALPOST_MAX_STAGED_MB / SEALPOST_MAX_STAGED_FILES).
 */
export const REKEY_BODY_BYTES = 64 * 1024 * 1024
export const REKEY_MAX_ITEMS = 20_000
export const REKEY_MAX_REVISIONS = 200_000

/** A file of an item, re-sealed under the new key and staged as `newBlobId`. */
export const RekeyedFile = z.object({
  oldBlobId: Id,
  newBlobId: Id,
  size: z.number().int().min(0),
  chunkCount: z.number().int().min(1),
})
export type RekeyedFile = z.infer<typeof RekeyedFile>

/**
 * POST /api/vaults/:vaultId/rekey: everything sealed under the vault key, re-sealed under a new
 * one, swapped in one transaction. It must name exactly the vault's items at their current
 * revisions, every stored revision and every member whose account is active; anything else
 * answers 409 `vault_changed` and changes nothing.
 */
export const RekeyVaultRequest = z.object({
  /** The version being replaced: the vault becomes `keyVersion + 1`. */
  keyVersion: z.number().int().min(1),
  name: SealedEnvelope,
  items: z
    .array(
      z.object({
        id: Id,
        revision: z.number().int().min(1),
        payload: SealedEnvelope,
        files: z.array(RekeyedFile).max(100),
      }),
    )
    .max(REKEY_MAX_ITEMS),
  history: z.array(z.object({ id: Id, payload: SealedEnvelope })).max(REKEY_MAX_REVISIONS),
  /** The new key sealed to each member (AAD vault id / user id, as sealVaultKeyTo). */
  members: z.array(z.object({ userId: Id, key: HpkeBox })).max(10_000),
})
export type RekeyVaultRequest = z.infer<typeof RekeyVaultRequest>

export const RekeyVaultResponse = z.object({
  keyVersion: z.number().int().min(1),
  items: z.number().int(),
  revisions: z.number().int(),
  files: z.number().int(),
  members: z.number().int(),
  /** Members whose account is not active: their access ended with the old key. */
  dropped: z.number().int(),
})
export type RekeyVaultResponse = z.infer<typeof RekeyVaultResponse>
