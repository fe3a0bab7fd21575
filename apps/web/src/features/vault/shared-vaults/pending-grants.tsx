import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { showToast } from '../../../ui/toast'
import { useSignedIn } from '../../../lib/session/signed-in-context'
import { useDirectoryUsers, usePendingGrants, useSealGrants, useVaults } from '../use-vaults'
import styles from './vault-members-dialog.module.css'

/**
 * Administrators: the group members who wait for the key of a vault this device holds, by
 * name, and one button that seals it to exactly them. Never sealed unasked: a vault key goes
 * only to people an administrator saw listed here.
 */
export function PendingGrants() {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const isAdmin = session.user.role === 'admin'
  const pending = usePendingGrants(isAdmin)
  const directory = useDirectoryUsers(isAdmin && (pending.data?.length ?? 0) > 0)
  const vaults = useVaults()
  const seal = useSealGrants()
  const shown = (pending.data ?? []).flatMap((grant) => {
    const user = directory.data?.find((u) => u.id === grant.userId)
    const vault = vaults.data?.find((v) => v.id === grant.vaultId)
    return user && vault ? [{ ...grant, user, vault }] : []
  })
  if (shown.length === 0) return null
  return (
    <Alert tone="info">
      <p>{t('vault.pending.intro', { count: shown.length })}</p>
      <ul className={styles.pendingList}>
        {shown.map((g) => (
          <li key={`${g.vaultId}/${g.userId}`}>
            {t('vault.pending.item', {
              name: g.user.displayName,
              username: g.user.username,
              vault: g.vault.name,
            })}
          </li>
        ))}
      </ul>
      <Button
        variant="primary"
        isPending={seal.isPending}
        onPress={() =>
          seal.mutate(shown, {
            onSuccess: (sealed) =>
              showToast({ tone: 'success', title: t('vault.pending.done', { count: sealed }) }),
            onError: (error) =>
              showToast({
                tone: 'error',
                title: t('vault.pending.failed'),
                description: errorMessage(t, error),
              }),
          })
        }
      >
        {t('vault.pending.seal', { count: shown.length })}
      </Button>
    </Alert>
  )
}
