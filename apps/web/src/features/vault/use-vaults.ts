import {
  ApiError,
  type DecryptedItem,
  type DirectoryUser,
  type FileSource,
  type OpenVault,
  type SaveItemInput,
  type SendProgress,
  addVaultMember,
  createSharedVault,
  loadItems,
  moveItem,
  openItem,
  openVaults,
  type RekeyProgress,
  rekeyVault,
  saveItem,
  sealPendingGrants,
} from '@sealpost/core'
import {
  type QueryClient,
  queryOptions,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../api'
import { useLocale } from '../../lib/use-locale'
import { useSignedIn } from '../../lib/session/signed-in-context'
import type { VaultItemRef, VaultItemSource } from '../../lib/slots'
import { buildTree } from './vault-tree'

/*
 * Every vault query sits under ['vault', <my user id>]. Decrypted items are secrets in memory:
 * gcTime 0 drops them as soon as nothing shows them, which is at sign-out at the latest (the
 * navigation pane shows every vault while signed in).
 */
const vaultRoot = (userId: string) => ['vault', userId] as const
const vaultsKey = (userId: string) => [...vaultRoot(userId), 'list'] as const
const itemsKey = (userId: string, vaultId: string) =>
  [...vaultRoot(userId), 'items', vaultId] as const
const historyKey = (userId: string, vaultId: string, itemId: string) =>
  [...vaultRoot(userId), 'history', vaultId, itemId] as const
const membersKey = (userId: string, vaultId: string) =>
  [...vaultRoot(userId), 'members', vaultId] as const
const directoryKey = (userId: string) => [...vaultRoot(userId), 'directory'] as const
const limitsKey = ['vault-limits'] as const

const SECRET = { gcTime: 0 } as const

/** The vaults I can open: my user vault first, then shared vaults by name. */
export function useVaults() {
  const { session, account } = useSignedIn()
  const { t } = useTranslation()
  const locale = useLocale()
  const userId = session.user.id
  return useQuery({
    queryKey: vaultsKey(userId),
    queryFn: async () => {
      const vaults = await openVaults(api, account, session.user, t('vault.myVault'))
      const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true })
      return vaults.sort((a, b) =>
        a.kind === b.kind ? collator.compare(a.name, b.name) : a.kind === 'user' ? -1 : 1,
      )
    },
    ...SECRET,
  })
}

function itemsQuery(userId: string, vault: OpenVault | undefined) {
  return queryOptions({
    queryKey: itemsKey(userId, vault?.id ?? ''),
    queryFn: () => {
      if (!vault) throw new Error('no vault')
      return loadItems(api, vault)
    },
    enabled: Boolean(vault),
    ...SECRET,
  })
}

function useTreeOf(items: DecryptedItem[] | undefined) {
  const locale = useLocale()
  return useMemo(() => (items ? buildTree(items, locale) : undefined), [items, locale])
}

/** One vault's items, decrypted, and its tree. */
export function useVaultItems(vault: OpenVault | undefined) {
  const { session } = useSignedIn()
  const query = useQuery(itemsQuery(session.user.id, vault))
  const tree = useTreeOf(query.data)
  return { ...query, tree }
}

/** The item `ref` names with its vault and the vault's items (the messages' *Send copy*, S7). */
export function useVaultItem(ref: VaultItemRef | null): VaultItemSource {
  const vaults = useVaults()
  const vault = ref ? vaults.data?.find((v) => v.id === ref.vaultId) : undefined
  const items = useVaultItems(vault)
  if (!ref) return { status: 'missing' }
  if (vaults.isError) {
    return { status: 'error', error: vaults.error, retry: () => void vaults.refetch() }
  }
  if (vaults.isPending) return { status: 'loading' }
  if (!vault) return { status: 'missing' }
  if (items.isError) {
    return { status: 'error', error: items.error, retry: () => void items.refetch() }
  }
  if (items.isPending) return { status: 'loading' }
  const item = items.data.find((i) => i.id === ref.itemId)
  if (!item) return { status: 'missing' }
  return { status: 'ready', vault, item, items: items.data }
}

type ItemsResult = {
  data: DecryptedItem[] | undefined
  error: unknown
  isPending: boolean
}

/** Module-level, so useQueries keeps its result stable while no query changes. */
function combineItems(list: ItemsResult[]) {
  return list.map((q) => ({ items: q.data, error: q.error, isPending: q.isPending }))
}

/** Every vault's items at once, for the navigation pane; one entry per vault, in order. */
export function useAllVaultItems(vaults: readonly OpenVault[]) {
  const { session } = useSignedIn()
  const locale = useLocale()
  const results = useQueries({
    queries: vaults.map((v) => itemsQuery(session.user.id, v)),
    combine: combineItems,
  })
  return useMemo(
    () =>
      results.map((result) => ({
        ...result,
        tree: result.items ? buildTree(result.items, locale) : undefined,
      })),
    [results, locale],
  )
}

function setItems(
  queryClient: QueryClient,
  userId: string,
  vaultId: string,
  update: (items: DecryptedItem[]) => DecryptedItem[],
) {
  queryClient.setQueryData<DecryptedItem[]>(itemsKey(userId, vaultId), (items) =>
    items ? update(items) : items,
  )
}

function putLocal(items: DecryptedItem[], item: DecryptedItem): DecryptedItem[] {
  return items.some((i) => i.id === item.id)
    ? items.map((i) => (i.id === item.id ? item : i))
    : [...items, item]
}

export function useRefreshVault() {
  const { session } = useSignedIn()
  const queryClient = useQueryClient()
  return (vaultId: string) =>
    queryClient.invalidateQueries({ queryKey: itemsKey(session.user.id, vaultId) })
}

export type SaveInput = Omit<SaveItemInput, 'onProgress' | 'newFiles'> & {
  newFiles?: FileSource[]
  onProgress?: (progress: SendProgress) => void
}

/** Creates or changes an item; the list updates from the server's answer, not a refetch. */
export function useSaveItem(vault: OpenVault) {
  const { session } = useSignedIn()
  const queryClient = useQueryClient()
  const userId = session.user.id
  return useMutation({
    mutationFn: (input: SaveInput) => saveItem(api, vault, input),
    onSuccess: (item) => {
      setItems(queryClient, userId, vault.id, (items) => putLocal(items, item))
      void queryClient.invalidateQueries({ queryKey: historyKey(userId, vault.id, item.id) })
    },
  })
}

export function useMoveItem() {
  const { session } = useSignedIn()
  const queryClient = useQueryClient()
  const userId = session.user.id
  return useMutation({
    mutationFn: ({
      vault,
      item,
      parentId,
    }: {
      vault: OpenVault
      item: DecryptedItem
      parentId: string | null
    }) => moveItem(api, vault, item, parentId),
    onSuccess: (item, { vault }) => {
      setItems(queryClient, userId, vault.id, (items) => putLocal(items, item))
      void queryClient.invalidateQueries({ queryKey: historyKey(userId, vault.id, item.id) })
    },
  })
}

/** Deletes an item with everything below it, on the server and in the list. */
export function useDeleteItem() {
  const { session } = useSignedIn()
  const queryClient = useQueryClient()
  const userId = session.user.id
  return useMutation({
    mutationFn: ({ vault, item }: { vault: OpenVault; item: DecryptedItem }) =>
      api.deleteItem(vault.id, item.id),
    onSuccess: (_result, { vault, item }) => {
      setItems(queryClient, userId, vault.id, (items) => {
        const gone = new Set([item.id])
        // Parents can come after children in the list: repeat until nothing more goes.
        for (let grew = true; grew;) {
          grew = false
          for (const i of items) {
            if (i.parentId !== null && gone.has(i.parentId) && !gone.has(i.id)) {
              gone.add(i.id)
              grew = true
            }
          }
        }
        return items.filter((i) => !gone.has(i.id))
      })
    },
  })
}

export type Revision = {
  revision: number
  action: 'created' | 'updated' | 'moved'
  actor: { id: string; displayName: string; username: string } | null
  parentId: string | null
  at: string
  content: DecryptedItem['content'] | null
}

/** An item's revisions, newest first, each decrypted here; one that fails shows as such. */
export function useItemHistory(vault: OpenVault, itemId: string) {
  const { session } = useSignedIn()
  return useQuery({
    queryKey: historyKey(session.user.id, vault.id, itemId),
    queryFn: async (): Promise<Revision[]> => {
      const { entries } = await api.itemHistory(vault.id, itemId)
      return Promise.all(
        entries.map(async (entry) => ({
          revision: entry.revision,
          action: entry.action,
          actor: entry.actor,
          parentId: entry.parentId,
          at: entry.at,
          content: await openItem(
            vault.key,
            // Each revision was sealed for its own number: history stays readable.
            { vaultId: vault.id, itemId, parentId: entry.parentId, revision: entry.revision },
            entry.payload,
          ).catch(() => null),
        })),
      )
    },
    ...SECRET,
  })
}

export function useVaultLimits() {
  return useQuery({
    queryKey: limitsKey,
    queryFn: () => api.messagingLimits(),
    staleTime: 5 * 60_000,
  })
}

/* Shared vaults (administrators). */

export function useCreateSharedVault() {
  const { session } = useSignedIn()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (name: string) =>
      createSharedVault(
        api,
        { id: session.user.id, x25519PublicKey: session.keys.x25519PublicKey },
        name,
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: vaultsKey(session.user.id) }),
  })
}

export function useVaultMembers(vaultId: string) {
  const { session } = useSignedIn()
  return useQuery({
    queryKey: membersKey(session.user.id, vaultId),
    // Its members, and who lost access since its key was made (a re-key is due).
    queryFn: () => api.vaultMembers(vaultId),
  })
}

export function useDirectoryUsers(isEnabled: boolean) {
  const { session } = useSignedIn()
  return useQuery({
    queryKey: directoryKey(session.user.id),
    queryFn: async () => (await api.directory()).users,
    staleTime: 60_000,
    enabled: isEnabled,
  })
}

/** Adds a member or changes their access: either way their copy of the key is sealed here. */
export function usePutMember(vault: OpenVault) {
  const { session } = useSignedIn()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({
      user,
      canWrite,
    }: {
      user: Pick<DirectoryUser, 'id' | 'x25519PublicKey'>
      canWrite: boolean
    }) => addVaultMember(api, vault, user, canWrite),
    onSettled: () =>
      queryClient.invalidateQueries({ queryKey: membersKey(session.user.id, vault.id) }),
  })
}

export function useRemoveMember(vault: OpenVault) {
  const { session } = useSignedIn()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (userId: string) => api.removeVaultMember(vault.id, userId),
    // The vault list too: someone left, so the vault is due for a re-key.
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: membersKey(session.user.id, vault.id) }),
        queryClient.invalidateQueries({ queryKey: vaultsKey(session.user.id) }),
      ]),
  })
}

/**
 * Re-keys a shared vault on this device (issue 13): a new key, everything re-sealed under it
 * and sealed to each member, swapped in at once by the server. It starts from the vault's key
 * as the server lists it now, so a retry after a refused swap or another device's re-key works.
 */
export function useRekeyVault(vault: OpenVault) {
  const { session, account } = useSignedIn()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (onProgress: (progress: RekeyProgress) => void) => {
      const current = (await openVaults(api, account, session.user)).find((v) => v.id === vault.id)
      if (!current) throw new ApiError(404, 'not_found', 'no such vault')
      return rekeyVault(api, current, onProgress)
    },
    onSettled: () => invalidateVaults(queryClient, session.user.id),
  })
}

/** Vaults granted to my groups whose key no administrator has sealed to me yet (issue 13). */
export function useWaitingVaults() {
  const { session } = useSignedIn()
  return useQuery({
    queryKey: [...vaultRoot(session.user.id), 'waiting'] as const,
    queryFn: async () => (await api.waitingVaults()).waiting,
  })
}

/**
 * For administrators: group members waiting for the key of a vault this device holds. The page
 * names them and seals only when the administrator says so, so a server cannot obtain a vault
 * key by listing someone who waits.
 */
export function usePendingGrants(isAdmin: boolean) {
  const { session } = useSignedIn()
  return useQuery({
    queryKey: [...vaultRoot(session.user.id), 'pending'] as const,
    queryFn: async () => (await api.pendingVaultGrants()).pending,
    enabled: isAdmin,
  })
}

/** Seals the vault keys to exactly the waiting members the administrator was shown. */
export function useSealGrants() {
  const { session, account } = useSignedIn()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (shown: ReadonlyArray<{ vaultId: string; userId: string }>) => {
      const approved = new Set(shown.map((g) => `${g.vaultId}/${g.userId}`))
      return sealPendingGrants(api, account, session.user, (g) =>
        approved.has(`${g.vaultId}/${g.userId}`),
      )
    },
    onSettled: () => invalidateVaults(queryClient, session.user.id),
  })
}

/** Everything the vault pages show of `userId`'s vaults: after a grant changed. */
export function invalidateVaults(queryClient: QueryClient, userId: string): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: vaultRoot(userId) })
}

const grantsKey = (userId: string, vaultId: string) =>
  [...vaultRoot(userId), 'grants', vaultId] as const

/** The groups a shared vault is granted to, and the organisation's groups to grant it to. */
export function useVaultGrants(vaultId: string) {
  const { session } = useSignedIn()
  return useQuery({
    queryKey: grantsKey(session.user.id, vaultId),
    queryFn: async () => (await api.vaultGroupGrants(vaultId)).grants,
  })
}

export function useGroups(isEnabled: boolean) {
  const { session } = useSignedIn()
  return useQuery({
    queryKey: [...vaultRoot(session.user.id), 'groups'] as const,
    queryFn: async () => (await api.listGroups()).groups,
    enabled: isEnabled,
  })
}

/**
 * Grants the vault to a group (or changes its access), then seals the key on this device to
 * every member who waits for it: they can open it at once.
 */
export function usePutGrant(vault: OpenVault) {
  const { session, account } = useSignedIn()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async ({ groupId, canWrite }: { groupId: string; canWrite: boolean }) => {
      await api.putVaultGroupGrant(vault.id, groupId, { canWrite })
      // The group's members, as the administrator chose it, and nobody else the server lists.
      const members = new Set((await api.group(groupId)).members.map((member) => member.id))
      return sealPendingGrants(
        api,
        account,
        session.user,
        (g) => g.vaultId === vault.id && members.has(g.userId),
      )
    },
    onSettled: () => invalidateVaults(queryClient, session.user.id),
  })
}

/** Ends a group's grant: members who had the vault only through it lose it at once. */
export function useRemoveGrant(vault: OpenVault) {
  const { session } = useSignedIn()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (groupId: string) => api.removeVaultGroupGrant(vault.id, groupId),
    onSettled: () => invalidateVaults(queryClient, session.user.id),
  })
}
