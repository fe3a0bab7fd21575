import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from '../../../api'
import { errorMessage } from '../../../i18n/error-message'
import { Skeleton } from '../../../ui/skeleton'
import { Switch } from '../../../ui/switch'
import { showToast } from '../../../ui/toast'
import styles from './profile-dialog.module.css'

const KEY = ['account-notifications']

/**
 * The member's own choice of new-message emails (S29): sent when a message arrives and no
 * Sealpost tab is open, never with its subject or content. Unset, it follows the
 * organisation's default; the switch shows what applies.
 */
export function NotificationsSection() {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const settings = useQuery({ queryKey: KEY, queryFn: () => api.getNotifications() })
  const update = useMutation({
    mutationFn: (notifyByEmail: boolean) => api.setNotifications({ notifyByEmail }),
    onSuccess: (saved) => queryClient.setQueryData(KEY, saved),
    onError: (error) =>
      showToast({
        tone: 'error',
        title: t('profile.notifyError', { reason: errorMessage(t, error) }),
      }),
  })
  // Shows the choice at once while it is saved (never disabled: that would drop the focus).
  const selected = update.isPending ? update.variables : settings.data?.notifyByEmail

  return (
    <section className={styles.section} aria-labelledby="profile-notifications">
      <h3 className={styles.sectionTitle} id="profile-notifications">
        {t('profile.notifications')}
      </h3>
      {settings.isPending && <Skeleton width="280px" height="24px" />}
      {settings.isError && (
        <p className={styles.muted}>
          {t('profile.notifyLoadError', { reason: errorMessage(t, settings.error) })}
        </p>
      )}
      {settings.data && (
        <Switch
          isSelected={selected ?? false}
          onChange={(notifyByEmail) => update.mutate(notifyByEmail)}
        >
          {t('profile.notifyByEmail')}
        </Switch>
      )}
      <p className={styles.help}>{t('profile.notifyHelp')}</p>
    </section>
  )
}
