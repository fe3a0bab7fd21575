import { useTranslation } from 'react-i18next'
import { useLocation, useNavigate } from 'react-router'
import { Button } from '../ui/button'
import { EnvelopeIcon } from '../ui/icons'
import styles from './top-bar.module.css'

/**
 * S1: opens the messages panel; S11: a blue dot while anything is unread, and the count
 * beside the envelope (the name says it too: "Messages, 3 unread").
 */
export function MessagesButton({ unreadCount }: { unreadCount: number }) {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const { pathname } = useLocation()
  const isOpen = pathname.startsWith('/messages')
  return (
    <Button
      variant="quiet"
      isIconOnly={unreadCount === 0}
      className={styles.messages}
      aria-label={
        unreadCount > 0 ? t('shell.messagesUnread', { count: unreadCount }) : t('shell.messages')
      }
      aria-current={isOpen ? 'page' : undefined}
      onPress={() => void navigate(isOpen ? '/' : '/messages')}
    >
      <EnvelopeIcon />
      {unreadCount > 0 && (
        <>
          <span className={styles.dot} />
          <span className={styles.unreadCount}>
            {unreadCount > 99 ? t('shell.unreadMany') : unreadCount}
          </span>
        </>
      )}
    </Button>
  )
}
