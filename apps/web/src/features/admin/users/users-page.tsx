import { ApiError } from '@sealpost/core'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { EmptyState } from '../../../ui/empty-state'
import { UsersIcon } from '../../../ui/icons'
import { PageHeader } from '../../../ui/page-header'
import { Skeleton } from '../../../ui/skeleton'
import { publicUrlMismatch } from '../../../lib/app-origin'
import { useSignedIn } from '../../../lib/session/signed-in-context'
import { sessionKey } from '../../../lib/session/use-session'
import { NotAllowedPage } from '../not-allowed-page'
import { InviteUserDialog } from './invite-user-dialog'
import { OrgDefaults } from './org-defaults'
import { RecoveryPanel } from '../account-recovery/recovery-panel'
import { useUsers } from './use-users'
import layout from '../admin-page.module.css'
import styles from './users-page.module.css'
import { UsersTable } from './users-table'

/** S10: Administration – Users. */
export function UsersPage() {
  const { session } = useSignedIn()
  if (session.user.role !== 'admin') return <NotAllowedPage />
  return <UsersAdministration />
}

function UsersAdministration() {
  const { t } = useTranslation()
  return (
    <div className={layout.page}>
      <PageHeader
        eyebrow={t('users.administration')}
        title={t('users.title')}
        description={t('users.intro')}
        actions={<InviteUserDialog />}
      />
      <PublicUrlWarning />
      <section className={layout.card} aria-label={t('users.title')}>
        <UserList />
      </section>
      <OrgDefaults />
      <RecoveryPanel />
    </div>
  )
}

/** Links in emails (and invite links, when it is set) use the public URL: say when it looks wrong. */
function PublicUrlWarning() {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const mismatch = publicUrlMismatch(session)
  if (!mismatch) return null
  return <Alert tone="warning">{t('users.publicUrlMismatch', mismatch)}</Alert>
}

function UserList() {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const users = useUsers()
  const isAdminOnly = users.error instanceof ApiError && users.error.code === 'admin_only'

  // Demoted elsewhere: the session learns it, and the page turns into "not allowed".
  useEffect(() => {
    if (isAdminOnly) void queryClient.invalidateQueries({ queryKey: sessionKey })
  }, [isAdminOnly, queryClient])

  if (users.isPending) {
    return (
      <div className={styles.skeletonRows} aria-busy="true">
        <span className="visually-hidden" role="status">
          {t('users.loading')}
        </span>
        {[0, 1, 2].map((row) => (
          <div key={row} className={styles.skeletonRow}>
            <Skeleton />
            <Skeleton />
            <Skeleton />
            <Skeleton />
            <Skeleton />
          </div>
        ))}
      </div>
    )
  }
  if (users.isError) {
    return (
      <div className={styles.error}>
        <Alert tone="error">
          {t('users.loadError', { reason: errorMessage(t, users.error) })}
          <Button onPress={() => void users.refetch()}>{t('users.retry')}</Button>
        </Alert>
      </div>
    )
  }
  if (users.data.length === 0) {
    return (
      <EmptyState icon={<UsersIcon />} title={t('users.emptyTitle')}>
        {t('users.emptyBody')}
      </EmptyState>
    )
  }
  return <UsersTable users={users.data} />
}
