import { useTranslation } from 'react-i18next'
import { Input, Link, SearchField } from 'react-aria-components'
import { SearchIcon } from '../ui/icons'
import { useUnreadCount } from '../features/messages/use-messages'
import { useVaultSearch } from '../features/vault/use-vault-search'
import { AvatarMenu } from './avatar-menu'
import { MessagesButton } from './messages-button'
import styles from './top-bar.module.css'

export function TopBar() {
  const { t } = useTranslation()
  const unread = useUnreadCount()
  const search = useVaultSearch()
  return (
    <header className={styles.bar}>
      <Link href="/" className={styles.brand}>
        {t('app.brand')}
      </Link>
      {/* Searches the vault shown (or my vault) by name, in this browser. */}
      <SearchField
        className={styles.search}
        aria-label={t('shell.searchLabel')}
        value={search.value}
        onChange={search.onChange}
      >
        <SearchIcon className={styles.searchIcon} />
        <Input className={styles.searchInput} placeholder={t('shell.searchPlaceholder')} />
      </SearchField>
      <div className={styles.spacer} />
      <div className={styles.actions}>
        <MessagesButton unreadCount={unread.data?.unread ?? 0} />
        <AvatarMenu />
      </div>
    </header>
  )
}
