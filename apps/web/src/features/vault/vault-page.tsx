import { useTranslation } from 'react-i18next'
import { EmptyState } from '../../ui/empty-state'
import { VaultIcon } from '../../ui/icons'
import { PageHeader } from '../../ui/page-header'

/** My vault: empty until the vault feature lands. */
export function VaultPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('vault.title')} />
      <EmptyState icon={<VaultIcon />} title={t('vault.emptyTitle')}>
        {t('vault.emptyBody')}
      </EmptyState>
    </>
  )
}
