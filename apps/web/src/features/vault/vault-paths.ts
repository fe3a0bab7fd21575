import { matchPath } from 'react-router'

/*
 * Where the vault lives in the address bar: `/` is my vault's root (the landing page),
 * `/vault/:vaultId` a vault's root, `/vault/:vaultId/:itemId` a folder or entry in it, and
 * `?q=` a search across the whole vault.
 */

export type VaultLocation = {
  /** null: my user vault. */
  vaultId: string | null
  itemId: string | null
}

export function vaultPath(
  vault: { id: string; kind: 'user' | 'shared' },
  itemId: string | null = null,
): string {
  if (itemId) return `/vault/${encodeURIComponent(vault.id)}/${encodeURIComponent(itemId)}`
  return vault.kind === 'user' ? '/' : `/vault/${encodeURIComponent(vault.id)}`
}

/** The vault and item an address shows; null when it is not a vault page. */
export function parseVaultPath(pathname: string): VaultLocation | null {
  if (pathname === '/' || pathname === '') return { vaultId: null, itemId: null }
  const match = matchPath('/vault/:vaultId/:itemId?', pathname)
  if (!match) return null
  return { vaultId: match.params.vaultId ?? null, itemId: match.params.itemId ?? null }
}
