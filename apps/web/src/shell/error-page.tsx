import { useTranslation } from 'react-i18next'
import { useRouteError } from 'react-router'
import { errorMessage } from '../i18n/error-message'
import { Alert } from '../ui/alert'
import { AuthLayout } from '../ui/auth-layout'
import { Button } from '../ui/button'

/** Last resort for a page that failed to render: say so and offer a reload. */
export function ErrorPage() {
  const { t } = useTranslation()
  const error = useRouteError()
  return (
    <AuthLayout title={t('app.crashTitle')}>
      <Alert tone="error">{errorMessage(t, error)}</Alert>
      <Button variant="primary" onPress={() => window.location.reload()}>
        {t('app.reload')}
      </Button>
    </AuthLayout>
  )
}
