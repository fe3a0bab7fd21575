import { useCallback } from 'react'
import { useLocation, useNavigate } from 'react-router'
import { withQuery } from '../../lib/search'
import { parseVaultPath } from './vault-paths'

/**
 * The vault search (top bar, and the list pane on phones): the words live in the address as
 * `?q=`, so Back, reload and links keep them. Typing elsewhere (messages, admin) goes to my
 * vault; on a vault page it searches that vault, keeping the open entry.
 */
export function useVaultSearch(): { value: string; onChange: (query: string) => void } {
  const { pathname, search } = useLocation()
  const navigate = useNavigate()
  const isVaultPage = parseVaultPath(pathname) !== null
  const value = isVaultPage ? (new URLSearchParams(search).get('q') ?? '') : ''
  const onChange = useCallback(
    (query: string) =>
      void navigate(withQuery(isVaultPage ? pathname : '/', query), { replace: isVaultPage }),
    [navigate, isVaultPage, pathname],
  )
  return { value, onChange }
}
