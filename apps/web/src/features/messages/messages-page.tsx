import { useTranslation } from 'react-i18next'
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components'
import { Alert } from '../../ui/alert'
import { EmptyState } from '../../ui/empty-state'
import { InboxIcon } from '../../ui/icons'
import { PageHeader } from '../../ui/page-header'
import { useSignedIn } from '../session/signed-in-context'
import styles from './messages-page.module.css'

/** The messages panel (S1): Inbox and Sent. Composing arrives with the messages feature. */
export function MessagesPage() {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  return (
    <div className={styles.layout}>
      <PageHeader title={t('messages.title')} />
      {!session.user.canSendMessages && <Alert tone="info">{t('messages.sendingDisabled')}</Alert>}
      <Tabs className={styles.tabs}>
        <TabList className={styles.tabList} aria-label={t('messages.tabs')}>
          <Tab id="inbox" className={styles.tab}>
            {t('messages.inbox')}
          </Tab>
          <Tab id="sent" className={styles.tab}>
            {t('messages.sent')}
          </Tab>
        </TabList>
        <TabPanel id="inbox" className={styles.panel}>
          <EmptyState icon={<InboxIcon />} title={t('messages.emptyTitle')}>
            {t('messages.emptyInbox')}
          </EmptyState>
        </TabPanel>
        <TabPanel id="sent" className={styles.panel}>
          <EmptyState icon={<InboxIcon />} title={t('messages.emptyTitle')}>
            {t('messages.emptySent')}
          </EmptyState>
        </TabPanel>
      </Tabs>
    </div>
  )
}
