import { MessagesPage } from '../features/messages/messages-page'
import { SaveActions } from '../features/vault/save-to-vault/save-actions'
import { useVaultItem } from '../features/vault/use-vaults'
import { type VaultSlot, VaultSlotContext } from '../lib/slots'

// Given here rather than by the shell, so *Save as…* loads with the messages page (issue 15).
const vaultSlot: VaultSlot = { useItem: useVaultItem, SaveActions }

/** The messages page with the vault's part in it. */
export function MessagesRoute() {
  return (
    <VaultSlotContext value={vaultSlot}>
      <MessagesPage />
    </VaultSlotContext>
  )
}
