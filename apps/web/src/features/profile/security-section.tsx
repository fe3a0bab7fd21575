import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '../../ui/button'
import { ChangePasswordDialog } from './change-password-dialog'
import { SessionsList } from './sessions-list'
import styles from './profile-dialog.module.css'

/** The profile's account security: password, sessions, recovery code, two-factor. */
export function SecuritySection() {
  const { t } = useTranslation()
  const [isPasswordOpen, setPasswordOpen] = useState(false)
  return (
    <section className={styles.section} aria-labelledby="profile-security">
      <h3 id="profile-security" className={styles.sectionTitle}>
        {t('account.security')}
      </h3>
      <div className={styles.actions}>
        <Button onPress={() => setPasswordOpen(true)}>{t('account.password.open')}</Button>
      </div>
      <ChangePasswordDialog isOpen={isPasswordOpen} onOpenChange={setPasswordOpen} />
      <h3 id="profile-sessions" className={styles.sectionTitle}>
        {t('account.sessions.title')}
      </h3>
      <SessionsList />
    </section>
  )
}
