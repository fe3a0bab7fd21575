import { Component, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../i18n/error-message'
import { Alert } from '../ui/alert'
import { AuthLayout } from '../ui/auth-layout'
import { Button } from '../ui/button'

/** Last resort for a page that failed to render: say so and offer a reload. */
export function ErrorPage({ error }: { error: unknown }) {
  const { t } = useTranslation()
  return (
    <AuthLayout title={t('app.crashTitle')}>
      <Alert tone="error">{errorMessage(t, error)}</Alert>
      <Button variant="primary" onPress={() => window.location.reload()}>
        {t('app.reload')}
      </Button>
    </AuthLayout>
  )
}

type BoundaryProps = { resetKey: string; children: ReactNode }
type BoundaryState = { failed: { error: unknown } | null }

/**
 * Shows ErrorPage instead of `children` once they fail to render (a page's code that does not
 * load, a bug), until `resetKey` (the location) changes. A class: React has error boundaries
 * only as class components.
 */
export class PageErrorBoundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { failed: null }

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { failed: { error } }
  }

  override componentDidUpdate(previous: BoundaryProps) {
    if (previous.resetKey !== this.props.resetKey && this.state.failed) {
      this.setState({ failed: null })
    }
  }

  override render() {
    return this.state.failed ? <ErrorPage error={this.state.failed.error} /> : this.props.children
  }
}
