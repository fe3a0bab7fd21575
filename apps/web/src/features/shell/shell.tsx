import { useTranslation } from 'react-i18next'
import { Outlet } from 'react-router'
import { useLiveEvents } from '../events/use-live-events'
import { PriorityMessages } from '../messages/priority-modal'
import { NavigationPane } from './navigation-pane'
import styles from './shell.module.css'
import { TopBar } from './top-bar'

/**
 * The frame of every signed-in page: top bar, navigation pane, and the page itself; plus the
 * live event stream and high-priority messages, which belong to every page.
 */
export function Shell() {
  const { t } = useTranslation()
  useLiveEvents()
  return (
    <div className={styles.shell}>
      <a className={styles.skip} href="#main">
        {t('shell.skipToContent')}
      </a>
      <div className={styles.top}>
        <TopBar />
      </div>
      <div className={styles.nav}>
        <NavigationPane />
      </div>
      <main id="main" className={styles.main} tabIndex={-1}>
        <Outlet />
      </main>
      <PriorityMessages />
    </div>
  )
}
