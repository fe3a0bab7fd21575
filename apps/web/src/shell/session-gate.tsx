import { lazy, Suspense, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Outlet } from 'react-router'
import { errorMessage } from '../i18n/error-message'
import { withAppStrings, withVaultStrings } from '../i18n'
import { Alert } from '../ui/alert'
import { AuthLayout } from '../ui/auth-layout'
import { Button } from '../ui/button'
import { PageProgress } from '../ui/progress'
import { hasStoredAccount } from '../lib/session/key-store'
import { SignedInContext } from '../lib/session/signed-in-context'
import { useAccount, useSession, useSetupStatus } from '../lib/session/use-session'

// The sign-in page is not in the first download, so a returning user whose session is still
// valid never fetches it (nor react-hook-form, issue 15). A browser without stored keys has
// nobody signed in to show the app to: it fetches the page at once, beside the session check,
// so a visitor signing in waits no longer than before. The sign-in page has only the start
// words (en-start.ts). A browser with stored keys fetches the signed-in frame and the vault
// page (one file, vite.config.ts) with their words beside the session check instead.
const loadSignInPage = () => import('../features/account/sign-in/sign-in-page')
const SignInPage = lazy(async () => ({ default: (await loadSignInPage()).SignInPage }))
void hasStoredAccount().then((stored) => {
  if (!stored) void loadSignInPage()
  else void withVaultStrings(import('./shell'))
})

// The rarer steps load when reached, with the app's words (issue 15).
const SetupPage = lazy(async () => ({
  default: (await withAppStrings(import('../features/account/setup/setup-page'))).SetupPage,
}))
const UnlockPage = lazy(async () => ({
  default: (await withAppStrings(import('../features/account/sign-in/unlock-page'))).UnlockPage,
}))
const TwoFactorRequiredPage = lazy(async () => ({
  default: (await withAppStrings(import('../features/account/two-factor/two-factor-required-page')))
    .TwoFactorRequiredPage,
}))

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
  const loading = <PageProgress label={t('app.loading')} />
  if (setupStatus.data.needsSetup) {
    return (
      <Suspense fallback={loading}>
        <SetupPage />
      </Suspense>
    )
  }
  if (session.data === null) {
    return (
      <Suspense fallback={loading}>
        <SignInPage />
      </Suspense>
    )
  }
  if (account.isPending) return loading
  if (!signedIn) {
    return (
      <Suspense fallback={loading}>
        <UnlockPage session={session.data} />
      </Suspense>
    )
  }
  if (session.data.mustSetUpTwoFactor) {
    return (
      <Suspense fallback={loading}>
        <TwoFactorRequiredPage />
      </Suspense>
    )
  }
  return (
    <SignedInContext value={signedIn}>
      <Outlet />
    </SignedInContext>
  )
}
