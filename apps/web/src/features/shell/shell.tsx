import { useTranslation } from 'react-i18next'
import { Outlet } from 'react-router'
import { NavigationPane } from './navigation-pane'
import styles from './shell.module.css'
import { TopBar } from './top-bar'

/** The frame of every signed-in page: top bar, navigation pane, and the page itself. */
export function Shell() {
  const { t } = useTranslation()
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
    </div>
  )
}
