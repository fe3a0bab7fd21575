import { type RefObject, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Input, Link, SearchField } from 'react-aria-components'
import { useLocation } from 'react-router'
import { isModalOpen } from '../lib/modal-open'
import { SearchIcon } from '../ui/icons'
import { useUnreadCount } from '../features/messages/use-unread'
import { isMessagesPage, useMessagesSearch } from '../features/messages/use-messages-search'
import { useVaultSearch } from '../features/vault/use-vault-search'
import { AvatarMenu } from './avatar-menu'
import { MessagesButton } from './messages-button'
import styles from './top-bar.module.css'

export function TopBar() {
  const { t } = useTranslation()
  const unread = useUnreadCount()
  const onMessages = isMessagesPage(useLocation().pathname)
  const vaultSearch = useVaultSearch()
  const messagesSearch = useMessagesSearch()
  const search = onMessages ? messagesSearch : vaultSearch
  const input = useRef<HTMLInputElement>(null)
  useSearchShortcuts(input)
  /*
   * The words live in the address, which a navigation updates a moment later (a transition):
   * while the field has focus it keeps what is typed, so fast typing loses no letter; otherwise
   * it shows the address's (Clear search, Back, another page).
   */
  const [text, setText] = useState(search.value)
  useEffect(() => {
    if (document.activeElement !== input.current) setText(search.value)
  }, [search.value])
  return (
    <header className={styles.bar}>
      <Link href="/" className={styles.brand}>
        {t('app.brand')}
      </Link>
      {/* Searches the messages or the vault shown (or my vault), in this browser. */}
      <SearchField
        className={styles.search}
        aria-label={onMessages ? t('shell.searchMessagesLabel') : t('shell.searchLabel')}
        value={text}
        onChange={(value) => {
          setText(value)
          search.onChange(value)
        }}
      >
        <SearchIcon className={styles.searchIcon} />
        <Input
          ref={input}
          className={styles.searchInput}
          placeholder={
            onMessages ? t('shell.searchMessagesPlaceholder') : t('shell.searchPlaceholder')
          }
          aria-keyshortcuts="/ Control+K Meta+K"
        />
      </SearchField>
      <div className={styles.spacer} />
      <div className={styles.actions}>
        <MessagesButton unreadCount={unread.data?.unread ?? 0} />
        <AvatarMenu />
      </div>
    </header>
  )
}

/**
 * `/` (when not typing) and Ctrl+K or ⌘K (anywhere outside a dialog) put the caret in the
 * search field, its words selected, as in most web apps.
 */
function useSearchShortcuts(input: RefObject<HTMLInputElement | null>) {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey) return
      const isCtrlK = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k'
      const isSlash = event.key === '/' && !event.ctrlKey && !event.metaKey && !isTyping(event)
      if (!isCtrlK && !isSlash) return
      if (isModalOpen()) return
      event.preventDefault()
      input.current?.focus()
      input.current?.select()
    }
    document.addEventListener('keydown', onKeyDown)
    return () => document.removeEventListener('keydown', onKeyDown)
  }, [input])
}

function isTyping(event: KeyboardEvent): boolean {
  const target = event.target
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}
