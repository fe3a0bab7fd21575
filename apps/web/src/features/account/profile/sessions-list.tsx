import type { SessionInfo } from '@sealpost/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from '../../../api'
import { errorMessage } from '../../../i18n/error-message'
import { exactTime, relativeTime } from '../../../lib/format'
import { useLocale } from '../../../lib/use-locale'
import { useNow } from '../../../lib/use-now'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { showToast } from '../../../ui/toast'
import styles from './sessions-list.module.css'

export const sessionsKey = ['account', 'sessions'] as const

/** The user's sessions, with Sign out per session and Sign out everywhere else. */
export function SessionsList() {
  const { t } = useTranslation()
  const { t: at } = useTranslation('account')
  const queryClient = useQueryClient()
  const locale = useLocale()
  const now = useNow()
  const sessions = useQuery({ queryKey: sessionsKey, queryFn: () => api.listSessions() })
  const refresh = () => queryClient.invalidateQueries({ queryKey: sessionsKey })
  const endOne = useMutation({
    mutationFn: (session: SessionInfo) => api.endSession(session.id),
    onSuccess: () => showToast({ tone: 'success', title: at('account.sessions.ended') }),
    onError: (error) =>
      showToast({
        tone: 'error',
        title: at('account.sessions.endFailed'),
        description: errorMessage(t, error),
      }),
    onSettled: refresh,
  })
  const endOthers = useMutation({
    mutationFn: () => api.endOtherSessions(),
    onSuccess: ({ ended }) =>
      showToast({ tone: 'success', title: at('account.sessions.endedOthers', { count: ended }) }),
    onError: (error) =>
      showToast({
        tone: 'error',
        title: at('account.sessions.endFailed'),
        description: errorMessage(t, error),
      }),
    onSettled: refresh,
  })

  if (sessions.isError) {
    return <Alert tone="error">{errorMessage(t, sessions.error)}</Alert>
  }
  if (!sessions.data) return <p className={styles.muted}>{at('account.sessions.loading')}</p>
  const others = sessions.data.sessions.filter((s) => !s.isCurrent)
  const time = (iso: string) => (
    <time dateTime={iso} title={exactTime(iso, locale)}>
      {relativeTime(iso, now, locale)}
    </time>
  )

  return (
    <div className={styles.sessions}>
      <ul className={styles.list} aria-label={at('account.sessions.title')}>
        {sessions.data.sessions.map((session) => (
          <li key={session.id} className={styles.row} aria-label={session.device}>
            <div className={styles.what}>
              <span className={styles.device}>
                {session.isCli ? at('account.sessions.cli') : session.device}
                {session.isCurrent && (
                  <span className={styles.current}> {at('account.sessions.thisOne')}</span>
                )}
              </span>
              <span className={styles.muted}>
                {session.address ?? at('account.sessions.noAddress')} ·{' '}
                {at('account.sessions.signedIn')} {time(session.createdAt)} ·{' '}
                {at('account.sessions.lastSeen')} {time(session.lastSeenAt)}
              </span>
            </div>
            {!session.isCurrent && (
              <Button
                variant="quiet"
                aria-label={at('account.sessions.endOne', { device: session.device })}
                isPending={endOne.isPending && endOne.variables.id === session.id}
                onPress={() => endOne.mutate(session)}
              >
                {at('account.sessions.signOut')}
              </Button>
            )}
          </li>
        ))}
      </ul>
      {others.length > 0 && (
        <Button isPending={endOthers.isPending} onPress={() => endOthers.mutate()}>
          {at('account.sessions.endOthers')}
        </Button>
      )}
    </div>
  )
}
