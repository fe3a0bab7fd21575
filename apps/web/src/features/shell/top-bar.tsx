import { useTranslation } from 'react-i18next'
import { Input, Link, SearchField } from 'react-aria-components'
import { SearchIcon } from '../../ui/icons'
import { useUnreadCount } from '../messages/use-messages'
import { AvatarMenu } from './avatar-menu'
import { MessagesButton } from './messages-button'
import styles from './top-bar.module.css'

export function TopBar() {
  const { t } = useTranslation()
  const unread = useUnreadCount()
  return (
    <header className={styles.bar}>
      <Link href="/" className={styles.brand}>
        {t('app.brand')}
      </Link>
      {/* The vault search arrives with the vault. */}
      <SearchField className={styles.search} aria-label={t('shell.searchLabel')} isDisabled>
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
