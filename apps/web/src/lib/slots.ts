import type { DecryptedItem, OpenVault, OpenedMessage } from '@sealpost/core'
import { type ComponentType, createContext, useContext } from 'react'

/*
 * What the vault and the messages do for each other. A feature imports no other feature
 * (eslint.config.js), so each names here what it needs of the other, the other implements it,
 * and the shell, which composes the app, passes it in. The hooks are the same functions for
 * the app's whole life, so calling them through a context keeps React's rules of hooks.
 */

/** A vault item by address: what *Send copy* attaches (S7). */
export type VaultItemRef = { vaultId: string; itemId: string }

export type VaultItemSource =
  | { status: 'loading' }
  | { status: 'error'; error: unknown; retry: () => void }
  /** The vault or the item is gone (deleted, or access removed). */
  | { status: 'missing' }
  | { status: 'ready'; vault: OpenVault; item: DecryptedItem; items: readonly DecryptedItem[] }

/** The vault's part in the messages page. */
export type VaultSlot = {
  /** The item `ref` names, its vault and the vault's items, from the queries the vault shows. */
  useItem: (ref: VaultItemRef | null) => VaultItemSource
  /** *Save in user vault* and *Save as…* for a message with files or copied items (S16, S17). */
  SaveActions: ComponentType<{ messageId: string; opened: OpenedMessage; onSaved?: () => void }>
}

/** The messages' part in the vault. */
export type MessagesSlot = {
  /** *Send copy* and *Create shareable link* (S7, S20): opens the compose form with the copy. */
  useSendCopy: () => (vault: OpenVault, item: DecryptedItem, via?: 'in-app' | 'link') => void
}

export const VaultSlotContext = createContext<VaultSlot | null>(null)
export const MessagesSlotContext = createContext<MessagesSlot | null>(null)

export function useVaultSlot(): VaultSlot {
  const slot = useContext(VaultSlotContext)
  if (!slot) throw new Error('useVaultSlot() used outside the messages route')
  return slot
}

export function useMessagesSlot(): MessagesSlot {
  const slot = useContext(MessagesSlotContext)
  if (!slot) throw new Error('useMessagesSlot() used outside the shell')
  return slot
}
