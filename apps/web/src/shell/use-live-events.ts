import { LIVE_EVENT_TYPES, LiveEvent } from '@sealpost/core'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { messagesKey } from '../features/messages/use-unread'
import { invalidateVaults } from '../features/vault/use-vaults'
import { useSignedIn } from '../lib/session/signed-in-context'
import { sessionKey } from '../lib/session/use-session'
import { expiryIn } from '../lib/format'
import { useLocale } from '../lib/use-locale'
import { showToast } from '../ui/toast'

/**
 * One Server-Sent Events stream per signed-in tab (DESIGN.md §4). Every message event
 * refreshes the dot, the lists, the open message and the high-priority modal; a change of the
 * user's permissions (`account.changed`) refreshes the session, so compose follows it. The stream
 * closes when the tab signs out (the shell unmounts). An unread message about to expire
 * (`message.expiring`) also says so in a toast that stays until dismissed. It refreshes what several features show,
 * so it lives with the shell, which may import them all.
 */
export function useLiveEvents() {
  const queryClient = useQueryClient()
  const { session } = useSignedIn()
  const userId = session.user.id
  const { t } = useTranslation()
  const locale = useLocale()
  useEffect(() => {
    const source = new EventSource('/api/events')
    const refresh = () => void queryClient.invalidateQueries({ queryKey: messagesKey(userId) })
    const onEvent = (event: Event) => {
      if (!(event instanceof globalThis.MessageEvent) || typeof event.data !== 'string') return
      // Checked against the contract so a malformed event cannot do anything else.
      let live: LiveEvent
      try {
        live = LiveEvent.parse({ type: event.type, ...(JSON.parse(event.data) as object) })
      } catch {
        return
      }
      if (live.type === 'account.changed') {
        void queryClient.invalidateQueries({ queryKey: sessionKey })
        return
      }
      if (live.type === 'vault.grants_changed') {
        // Vaults, and for administrators who waits for a key (the vault page names them).
        void invalidateVaults(queryClient, userId)
        return
      }
      if (live.type === 'message.expiring') {
        // The reminder (SEALPOST_REMIND_BEFORE_HOURS): the row shows its expiry in amber too.
        const { inWords } = expiryIn(live.expiresAt, new Date(), locale)
        showToast({
          tone: 'warning',
          title: t('messages.expiringTitle'),
          description: t('messages.expiringHint', { when: inWords }),
        })
      }
      refresh()
    }
    for (const type of LIVE_EVENT_TYPES) source.addEventListener(type, onEvent)
    // After a reconnect, catch up on anything the server could not replay.
    let hasOpened = false
    source.addEventListener('open', () => {
      if (hasOpened) {
        refresh()
        void queryClient.invalidateQueries({ queryKey: sessionKey })
      }
      hasOpened = true
    })
    return () => source.close()
  }, [queryClient, userId, t, locale])
}
