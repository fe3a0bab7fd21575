import type { DecryptedItem, OpenVault } from '@sealpost/core'
import { useCallback } from 'react'
import { useNavigate } from 'react-router'

/*
 * S7: *Send copy* hands the selection to the messages feature by address, so the two features
 * share nothing but this format: `/messages?copy=<vaultId>:<itemId>`. The compose form reads
 * it (parseCopyParam), builds the copy with core's buildCopy and attaches it.
 */

export const COPY_PARAM = 'copy'

export function sendCopyPath(vaultId: string, itemId: string): string {
  return `/messages?${new URLSearchParams({ [COPY_PARAM]: `${vaultId}:${itemId}` }).toString()}`
}

/** The vault item a `copy` search parameter names, or null when it is missing or malformed. */
export function parseCopyParam(
  value: string | null | undefined,
): { vaultId: string; itemId: string } | null {
  const match = /^([0-9a-f-]{36}):([0-9a-f-]{36})$/i.exec(value ?? '')
  return match?.[1] && match[2] ? { vaultId: match[1], itemId: match[2] } : null
}

/** Opens the compose form with a copy of `item` (and everything below it) attached. */
export function useSendCopy(): (vault: OpenVault, item: DecryptedItem) => void {
  const navigate = useNavigate()
  return useCallback((vault, item) => void navigate(sendCopyPath(vault.id, item.id)), [navigate])
}
