import { useTranslation } from 'react-i18next'
import { Link } from 'react-aria-components'
import { EmptyState } from '../../ui/empty-state'

export function NotAllowedPage() {
  const { t } = useTranslation()
  return (
    <>
      <title>{t('app.pageTitle', { page: t('shell.notAllowedTitle') })}</title>
      <EmptyState
        level={1}
        title={t('shell.notAllowedTitle')}
        action={<Link href="/">{t('shell.backHome')}</Link>}
      >
        {t('shell.notAllowedBody')}
      </EmptyState>
    </>
  )
}
