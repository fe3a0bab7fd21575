import type { DecryptedItem, OpenVault } from '@sealpost/core'
import { type ReactNode, Suspense, lazy, useCallback, useState } from 'react'
import { withAppStrings } from '../../i18n'
import type { EntryType } from './entry-values'

export type ItemDialogRequest =
  | {
      kind: 'rename' | 'move' | 'delete' | 'history'
      vault: OpenVault
      item: DecryptedItem
    }
  | { kind: 'new-folder'; vault: OpenVault; parentId: string | null }
  | {
      kind: 'new-entry'
      vault: OpenVault
      parentId: string | null
      /** Set for "Add sub-entry": the entry it goes under. */
      parentEntry?: DecryptedItem
      initialType?: EntryType
    }

// The dialogs' code (the entry form, history, move) loads when one first opens, not with the
// vault page (issue 15).
const ItemDialog = lazy(async () => ({
  default: (await withAppStrings(import('./item-dialogs'))).ItemDialog,
}))

/**
 * The dialogs behind the *More* menus (rename, move, delete, history, new folder or entry).
 * Each place with menus (tree, list, entry) owns one set and opens them by request.
 */
export function useItemDialogs(): {
  openDialog: (request: ItemDialogRequest) => void
  dialogs: ReactNode
} {
  const [request, setRequest] = useState<ItemDialogRequest | null>(null)
  const openDialog = useCallback((next: ItemDialogRequest) => setRequest(next), [])
  const close = () => setRequest(null)
  return {
    openDialog,
    dialogs: request ? (
      <Suspense fallback={null}>
        <ItemDialog request={request} onClose={close} />
      </Suspense>
    ) : null,
  }
}
