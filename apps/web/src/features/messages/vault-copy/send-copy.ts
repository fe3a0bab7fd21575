import type { DecryptedItem, OpenVault } from '@sealpost/core'
import { useCallback } from 'react'
import { useLocation, useNavigate } from 'react-router'

/*
 * S7: the vault's *Send copy* (useSendCopy, which the shell hands the vault: lib/slots.ts)
 * hands the selection to the messages by address: `/messages?copy=<vaultId>:<itemId>`, with
 * `&via=link` when it came from *Create shareable link* (S20: the compose form opens on that
 * tab). The compose form reads it (parseCopyParam, parseViaParam), builds the copy with core's
 * buildCopy and attaches it. The vault address it came from rides in the history state
 * (`returnTo`), so closing the form, sent or not, goes back there.
 */

export const COPY_PARAM = 'copy'
export const VIA_PARAM = 'via'

/** How a copy goes out: in-app (Send copy) or as a shareable link. */
export type CopyVia = 'in-app' | 'link'

export function sendCopyPath(vaultId: string, itemId: string, via: CopyVia = 'in-app'): string {
  const params = new URLSearchParams({ [COPY_PARAM]: `${vaultId}:${itemId}` })
  if (via !== 'in-app') params.set(VIA_PARAM, via)
  return `/messages?${params.toString()}`
}

/** The vault item a `copy` search parameter names, or null when it is missing or malformed. */
export function parseCopyParam(
  value: string | null | undefined,
): { vaultId: string; itemId: string } | null {
  const match = /^([0-9a-f-]{36}):([0-9a-f-]{36})$/i.exec(value ?? '')
  return match?.[1] && match[2] ? { vaultId: match[1], itemId: match[2] } : null
}

/** The tab a `via` search parameter asks for; anything but `link` is in-app. */
export function parseViaParam(value: string | null | undefined): CopyVia {
  return value === 'link' ? 'link' : 'in-app'
}

/** The history state Send copy leaves: the address of the vault page it was chosen on. */
export type SendCopyState = { returnTo: string }

/** The address to go back to once the copy's form closes: only a path of this app. */
export function returnToOf(state: unknown): string | null {
  const value =
    typeof state === 'object' && state !== null && 'returnTo' in state ? state.returnTo : null
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//')
    ? value
    : null
}

/**
 * Opens the compose form with a copy of `item` (and everything below it) attached, on the
 * in-app tab or, for *Create shareable link*, on the link tab; closing it comes back here.
 */
export function useSendCopy(): (vault: OpenVault, item: DecryptedItem, via?: CopyVia) => void {
  const navigate = useNavigate()
  const { pathname, search } = useLocation()
  return useCallback(
    (vault, item, via) => {
      const state: SendCopyState = { returnTo: `${pathname}${search}` }
      void navigate(sendCopyPath(vault.id, item.id, via), { state })
    },
    [navigate, pathname, search],
  )
}
