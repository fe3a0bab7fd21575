import type { DecryptedItem, OpenVault } from '@sealpost/core'
import { useMemo } from 'react'
import { useVaultSlot } from '../../../lib/slots'
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
  const source = useVaultSlot().useItem(ref)
  const items = source.status === 'ready' ? source.items : undefined
  const summary = useMemo(
    () => (ref && items ? summarizeCopy(items, ref.itemId) : null),
    [ref, items],
  )
  if (source.status !== 'ready') return source
  if (!summary) return { status: 'missing' }
  return { status: 'ready', vault: source.vault, item: source.item, summary }
}
