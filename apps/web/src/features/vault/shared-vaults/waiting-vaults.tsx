import { useTranslation } from 'react-i18next'
import { Alert } from '../../../ui/alert'
import { useWaitingVaults } from '../use-vaults'

/**
 * Shared vaults granted to my groups that an administrator has not opened to me yet: the key
 * is sealed to me from an administrator's device, so until one signs in I am told they wait.
 */
export function WaitingVaults() {
  const { t } = useTranslation()
  const waiting = useWaitingVaults()
  const vaults = waiting.data ?? []
  if (vaults.length === 0) return null
  const groups = [...new Set(vaults.flatMap((vault) => vault.groups))]
  return (
    <Alert tone="info">
      {t('vault.waiting', { count: vaults.length, groups: groups.join(', ') })}
    </Alert>
  )
}
