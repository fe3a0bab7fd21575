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
})
export type VaultSummary = z.infer<typeof VaultSummary>
export const VaultList = z.object({ vaults: z.array(VaultSummary) })

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
})
export const VaultMembers = z.object({ members: z.array(VaultMember) })
export const PutVaultMemberRequest = z.object({
  canWrite: z.boolean(),
  /** The vault key HPKE-sealed to the new member by someone who holds it. */
  key: HpkeBox,
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
export const SealVaultGrantRequest = z.object({ vaultId: Id, userId: Id, key: HpkeBox })

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
})
export type PutItemRequest = z.infer<typeof PutItemRequest>

/** Creates many items in one transaction (Save in vault, imports); parents before children. */
export const CreateItemsRequest = z.object({
  items: z
    .array(PutItemRequest.omit({ baseRevision: true }).extend({ id: Id }))
    .min(1)
    .max(5000),
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
