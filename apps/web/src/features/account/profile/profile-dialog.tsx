import { keyFingerprint } from '@sealpost/core'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from '../../../api'
import { Avatar } from '../../../ui/avatar'
import { Button } from '../../../ui/button'
import { DialogActions, ModalDialog } from '../../../ui/dialog'
import { Facts } from '../../../ui/form'
import { formatBytes } from '../../../lib/format'
import { useLocale } from '../../../lib/use-locale'
import { useSignedIn } from '../../../lib/session/signed-in-context'
import styles from './profile-dialog.module.css'
import { NotificationsSection } from './notifications-section'
import { SecuritySection } from './security-section'

export function ProfileDialog({
  isOpen,
  onOpenChange,
}: {
  isOpen: boolean
  onOpenChange: (isOpen: boolean) => void
}) {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const { user, keys } = session
  const fingerprint = useQuery({
    queryKey: ['fingerprint', keys.x25519PublicKey, keys.ed25519PublicKey],
    queryFn: () => keyFingerprint(keys),
    staleTime: Infinity,
  })
  const locale = useLocale()
  const usage = useQuery({
    queryKey: ['storage-usage'],
    queryFn: () => api.storageUsage(),
    enabled: isOpen,
  })
  const storage = usage.data
    ? t('profile.storageUsed', {
        used: formatBytes(usage.data.vaultBytes, locale),
        quota: formatBytes(usage.data.quotaBytes, locale),
      })
    : usage.isError
      ? t('profile.storageUnavailable')
      : t('profile.storageLoading')

  return (
    <ModalDialog title={t('profile.title')} isOpen={isOpen} onOpenChange={onOpenChange}>
      {(close) => (
        <>
          <div className={styles.identity}>
            <Avatar name={user.displayName} size="large" />
            <div>
              <div className={styles.name}>{user.displayName}</div>
              <div className={styles.muted}>{user.email}</div>
            </div>
          </div>
          <Facts
            items={[
              { label: t('profile.displayName'), value: user.displayName },
              { label: t('profile.username'), value: user.username },
              { label: t('profile.email'), value: user.email },
              { label: t('profile.role'), value: t(`roles.${user.role}`) },
              { label: t('profile.storage'), value: storage },
            ]}
          />
          <div className={styles.fingerprint}>
            <span className={styles.fingerprintLabel}>{t('profile.fingerprint')}</span>
            {fingerprint.data ? (
              <code className={styles.code}>
                {fingerprint.data.split(' ').map((group, index) => (
                  <span key={index}>{group}</span>
                ))}
              </code>
            ) : (
              <span className={styles.muted}>{t('profile.computing')}</span>
            )}
            <p className={styles.help}>{t('profile.fingerprintHelp')}</p>
          </div>
          <NotificationsSection />
          <SecuritySection />
          <DialogActions>
            <Button variant="primary" onPress={close} autoFocus>
              {t('profile.close')}
            </Button>
          </DialogActions>
        </>
      )}
    </ModalDialog>
  )
}
