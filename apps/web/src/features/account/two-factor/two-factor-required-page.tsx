import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { AuthLayout } from '../../../ui/auth-layout'
import { Button } from '../../../ui/button'
import { sessionKey, useSignOut } from '../../../lib/session/use-session'
import { SecurityKeySetup } from './security-key-setup'
import { TotpSetup } from './totp-setup'
import styles from './two-factor.module.css'

/**
 * The organisation requires two-factor and this user has none: right after sign-in, before
 * anything else, they set up an authenticator app or a security key.
 */
export function TwoFactorRequiredPage() {
  const { t: at } = useTranslation('account')
  const queryClient = useQueryClient()
  const signOut = useSignOut()
  const [flow, setFlow] = useState<'totp' | 'key' | null>(null)
  const done = () => void queryClient.invalidateQueries({ queryKey: sessionKey })
  return (
    <AuthLayout title={at('twoFactor.required.title')} intro={at('twoFactor.required.intro')}>
      {flow === 'totp' && <TotpSetup onDone={done} />}
      {flow === 'key' && <SecurityKeySetup onDone={done} />}
      {flow === null && (
        <div className={styles.stack}>
          <Button variant="primary" isWide onPress={() => setFlow('totp')}>
            {at('twoFactor.setting.setUpApp')}
          </Button>
          <Button isWide onPress={() => setFlow('key')}>
            {at('twoFactor.setting.addKey')}
          </Button>
        </div>
      )}
      <Button variant="quiet" isWide onPress={() => signOut.mutate()}>
        {at('twoFactor.required.signOut')}
      </Button>
    </AuthLayout>
  )
}
