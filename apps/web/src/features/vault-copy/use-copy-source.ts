import type { DecryptedItem, OpenVault } from '@sealpost/core'
import { useMemo } from 'react'
import { useVaultItems, useVaults } from '../vault/use-vaults'
import { type CopySummary, summarizeCopy } from './copy-tree'

/** The vault item a *Send copy* names (`/messages?copy=<vaultId>:<itemId>`). */
export type CopyRef = { vaultId: string; itemId: string }

export type CopySource =
  | { status: 'loading' }
  | { status: 'error'; error: unknown; retry: () => void }
  /** The vault or the item is gone (deleted, or access removed). */
  | { status: 'missing' }
  | { status: 'ready'; vault: OpenVault; item: DecryptedItem; summary: CopySummary }

/** The item to copy with what the copy will hold, from the same queries the vault shows. */
export function useCopySource(ref: CopyRef | null): CopySource {
  const vaults = useVaults()
  const vault = ref ? vaults.data?.find((v) => v.id === ref.vaultId) : undefined
  const items = useVaultItems(vault)
  const summary = useMemo(
    () => (ref && items.data ? summarizeCopy(items.data, ref.itemId) : null),
    [ref, items.data],
  )
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
  if (!item || !summary) return { status: 'missing' }
  return { status: 'ready', vault, item, summary }
}
