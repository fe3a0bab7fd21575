import { type OpenVault, type OpenedMessage, loadItems, saveMessageToVault } from '@sealpost/core'
import { useMutation } from '@tanstack/react-query'
import { api } from '../../../api'
import { useRefreshVault } from '../use-vaults'
import { siblingNames } from './save-destinations'
import { type SaveResult, countSave } from './save-result'

export type SaveTarget = {
  vault: OpenVault
  /** null: the vault's top level. */
  parentId: string | null
  /** Where it went, in words: "My vault", "Ops › Servers". */
  where: string
}

/**
 * Save in user vault / Save as (S16, S17): the message's files and copied items, re-sealed
 * under the destination vault's key in one request. Names beside the destination are read
 * fresh, so a clash gets " (2)" and nothing is overwritten.
 */
export function useSaveToVault(messageId: string, opened: OpenedMessage) {
  const refreshVault = useRefreshVault()
  return useMutation({
    mutationFn: async ({ vault, parentId, where }: SaveTarget): Promise<SaveResult> => {
      const items = await loadItems(api, vault)
      const { created } = await saveMessageToVault(api, {
        messageId,
        opened,
        vault,
        parentId,
        siblingNames: siblingNames(items, parentId),
      })
      return { created, copies: countSave(messageId, vault.id, parentId), where }
    },
    onSuccess: (_result, { vault }) => void refreshVault(vault.id),
  })
}
