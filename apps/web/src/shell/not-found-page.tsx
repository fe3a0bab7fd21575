import { useTranslation } from 'react-i18next'
import { Link } from 'react-aria-components'
import { EmptyState } from '../ui/empty-state'

export function NotFoundPage() {
  const { t } = useTranslation()
  return (
    <>
      <title>{t('app.pageTitle', { page: t('shell.notFoundTitle') })}</title>
      <EmptyState
        level={1}
        title={t('shell.notFoundTitle')}
        action={<Link href="/">{t('shell.backHome')}</Link>}
      >
        {t('shell.notFoundBody')}
      </EmptyState>
    </>
  )
}
