import { useCallback } from 'react'
import { useLocation, useNavigate } from 'react-router'
import { withQuery } from '../../lib/search'
import { listPath, parseMessagesPath } from './messages-path'

/** Whether an address is one of the messages pages, where the top bar searches messages. */
export function isMessagesPage(pathname: string): boolean {
  return pathname === '/messages' || pathname.startsWith('/messages/')
}

/**
 * The messages search (the top bar on a messages page): the words live in the address as
 * `?q=` like the vault's. It searches the Inbox or Sent list shown — sender or recipients and
 * the subject, decrypted in this browser; typing on Links or Requests searches the Inbox.
 */
export function useMessagesSearch(): { value: string; onChange: (query: string) => void } {
  const { pathname, search } = useLocation()
  const navigate = useNavigate()
  const { box } = parseMessagesPath(pathname.replace(/^\/messages\/?/, ''))
  const list = listPath(box === 'sent' ? 'sent' : 'inbox')
  const value = new URLSearchParams(search).get('q') ?? ''
  // The open message closes: the list shows what the words find.
  const onChange = useCallback(
    (query: string) => void navigate(withQuery(list, query), { replace: true }),
    [navigate, list],
  )
  return { value, onChange }
}
