import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Outlet } from 'react-router'
import { errorMessage } from '../../i18n/error-message'
import { Alert } from '../../ui/alert'
import { AuthLayout } from '../../ui/auth-layout'
import { Button } from '../../ui/button'
import { PageProgress } from '../../ui/progress'
import { SetupPage } from '../setup/setup-page'
import { SignInPage } from '../sign-in/sign-in-page'
import { UnlockPage } from '../sign-in/unlock-page'
import { TwoFactorRequiredPage } from '../two-factor/two-factor-required-page'
import { SignedInContext } from './signed-in-context'
import { useAccount, useSession, useSetupStatus } from './use-session'

/**
 * Decides what a visitor sees: first-run setup, sign-in, unlock, or the app.
 * The address stays as it is, so after signing in the user lands where they wanted to go.
 */
export function SessionGate() {
  const { t } = useTranslation()
  const setupStatus = useSetupStatus()
  const session = useSession()
  const account = useAccount(session.data)
  const signedIn = useMemo(
    () => (session.data && account.data ? { session: session.data, account: account.data } : null),
    [session.data, account.data],
  )

  const failed = setupStatus.error ?? (session.data === undefined ? session.error : null)
  if (failed) {
    return (
      <AuthLayout title={t('app.unreachableTitle')}>
        <Alert tone="error">{errorMessage(t, failed)}</Alert>
        <Button
          variant="primary"
          onPress={() => {
            void setupStatus.refetch()
            void session.refetch()
          }}
        >
          {t('app.retry')}
        </Button>
      </AuthLayout>
    )
  }
  if (setupStatus.data === undefined || session.data === undefined) {
    return <PageProgress label={t('app.loading')} />
  }
  if (setupStatus.data.needsSetup) return <SetupPage />
  if (session.data === null) return <SignInPage />
  if (account.isPending) return <PageProgress label={t('app.loading')} />
  if (!signedIn) return <UnlockPage session={session.data} />
  if (session.data.mustSetUpTwoFactor) return <TwoFactorRequiredPage />
  return (
    <SignedInContext value={signedIn}>
      <Outlet />
    </SignedInContext>
  )
}
