import type { RecoveryPolicy } from '@sealpost/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '../../../ui/button'
import { RecoveryCodeSetting } from '../recovery/recovery-code-dialog'
import { TwoFactorSetting } from '../two-factor/two-factor-setting'
import { ChangePasswordDialog } from './change-password-dialog'
import { SessionsList } from './sessions-list'
import { useRecoveryKeyFingerprint, useRecoveryPolicy } from './use-recovery-policy'
import styles from './profile-dialog.module.css'

/** The profile's account security: password, sessions, recovery code, two-factor. */
export function SecuritySection() {
  const { t: at } = useTranslation('account')
  const [isPasswordOpen, setPasswordOpen] = useState(false)
  const policy = useRecoveryPolicy()
  return (
    <section className={styles.section} aria-labelledby="profile-security">
      <h3 id="profile-security" className={styles.sectionTitle}>
        {at('account.security')}
      </h3>
      <div className={styles.actions}>
        <Button onPress={() => setPasswordOpen(true)}>{at('account.password.open')}</Button>
      </div>
      <ChangePasswordDialog isOpen={isPasswordOpen} onOpenChange={setPasswordOpen} />
      <h3 className={styles.sectionTitle}>{at('twoFactor.setting.title')}</h3>
      <TwoFactorSetting />
      <h3 className={styles.sectionTitle}>{at('recovery.setting.title')}</h3>
      <RecoveryCodeSetting />
      {policy.data?.key && <RecoveryNotice policy={policy.data} />}
      <h3 id="profile-sessions" className={styles.sectionTitle}>
        {at('account.sessions.title')}
      </h3>
      <SessionsList />
    </section>
  )
}

/**
 * Administrator-assisted recovery as it concerns this user, with the recovery key's fingerprint
 * to compare with an administrator's; a warning when no administrator signed the key.
 */
function RecoveryNotice({ policy }: { policy: RecoveryPolicy }) {
  const { t: at } = useTranslation('account')
  const fingerprint = useRecoveryKeyFingerprint(policy.key)
  if (fingerprint.isError) return <p role="alert">{at('orgRecovery.unverifiedNotice')}</p>
  return (
    <>
      <p>{policy.enrolled ? at('orgRecovery.enrolledNotice') : at('orgRecovery.pendingNotice')}</p>
      {fingerprint.data && (
        <div className={styles.fingerprint}>
          <span className={styles.fingerprintLabel}>{at('orgRecovery.fingerprint')}</span>
          <samp className={styles.code}>
            {fingerprint.data.split(' ').map((group, index) => (
              <span key={index}>{group}</span>
            ))}
          </samp>
          <p className={styles.help}>{at('orgRecovery.fingerprintHelp')}</p>
        </div>
      )}
    </>
  )
}
