import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { showToast } from '../../../ui/toast'
import { NameDialog } from '../item-dialogs'
import { useCreateSharedVault } from '../use-vaults'

/** Administrators: a new shared vault, its key created here and sealed to its creator. */
export function NewSharedVaultDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation()
  const create = useCreateSharedVault()
  const navigate = useNavigate()
  return (
    <NameDialog
      title={t('vault.newSharedVault')}
      label={t('vault.sharedVaultName')}
      initialName=""
      submitLabel={t('vault.create')}
      onSubmit={async (name) => {
        const id = await create.mutateAsync(name)
        showToast({ tone: 'success', title: t('vault.sharedVaultCreated', { name }) })
        void navigate(`/vault/${id}`)
      }}
      onClose={onClose}
    />
  )
}
