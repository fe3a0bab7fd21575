import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { Outlet } from 'react-router'
import { useLiveEvents } from './use-live-events'
import { PriorityMessages } from '../features/messages/priority-messages'
import { useSendCopy } from '../features/messages/vault-copy/send-copy'
import { type MessagesSlot, MessagesSlotContext } from '../lib/slots'
import { NavigationPane } from './navigation-pane'
import styles from './shell.module.css'
import { TopBar } from './top-bar'

// The vault's menus, here and on its page, offer *Send copy*.
const messagesSlot: MessagesSlot = { useSendCopy }

/**
 * The frame of every signed-in page: top bar, navigation pane, and the page itself; plus the
 * live event stream and high-priority messages, which belong to every page.
 */
export function Shell() {
  const { t } = useTranslation()
  useLiveEvents()
  useFocusOnArrival()
  return (
    <MessagesSlotContext value={messagesSlot}>
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
    </MessagesSlotContext>
  )
}

/** How long after sign-in the page may take to settle (keys unlock, lists load). */
const ARRIVAL_WAIT_MS = 10_000

/**
 * After sign-in (or a reload) the focus would stay on <body>: put it on the page's main
 * heading, so a keyboard or screen reader user starts where the page starts. While the page
 * settles its heading may be drawn again (focus falls back to <body>): follow it until the
 * user or anything else (the high-priority popup, an autofocused field) takes the focus.
 */
function useFocusOnArrival() {
  useEffect(() => {
    const deadline = Date.now() + ARRIVAL_WAIT_MS
    let frame = 0
    const follow = () => {
      const active = document.activeElement
      const isNowhere = active === null || active === document.body
      if (!isNowhere && !active.matches('#main h1')) return
      const heading = document.querySelector<HTMLElement>('#main h1')
      if (isNowhere && heading) {
        heading.tabIndex = -1
        heading.focus()
      }
      if (Date.now() < deadline) frame = requestAnimationFrame(follow)
    }
    frame = requestAnimationFrame(follow)
    return () => cancelAnimationFrame(frame)
  }, [])
}
