import { policyValues } from '@sealpost/core'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { useSignedIn } from '../../../lib/session/signed-in-context'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { PageHeader } from '../../../ui/page-header'
import { Skeleton } from '../../../ui/skeleton'
import { NotAllowedPage } from '../not-allowed-page'
import { useLeaveWhenDemoted } from '../use-leave-when-demoted'
import { PolicyValuesEditor } from './policy-values-editor'
import { useOrgPolicy, useSetOrgPolicy } from './use-policies'
import layout from '../admin-page.module.css'
import styles from './policies-page.module.css'

/**
 * Administration – Policies (issue 13): the organisation's value of every policy key, which
 * everyone gets unless a group or their own setting says otherwise.
 */
export function PoliciesPage() {
  const { session } = useSignedIn()
  if (session.user.role !== 'admin') return <NotAllowedPage />
  return <OrgPolicies />
}

function OrgPolicies() {
  const { t } = useTranslation()
  const policy = useOrgPolicy()
  const setPolicy = useSetOrgPolicy()
  const headingId = useId()
  useLeaveWhenDemoted(policy.error)

  return (
    <div className={layout.page}>
      <PageHeader
        eyebrow={t('users.administration')}
        title={t('policies.title')}
        description={t('policies.intro')}
      />
      <section className={`${layout.card} ${styles.card}`} aria-labelledby={headingId}>
        <h2 id={headingId} className={styles.title}>
          {t('policies.listTitle')}
        </h2>
        {policy.isPending && (
          <div className={styles.skeletonRows} aria-busy="true">
            <span className="visually-hidden" role="status">
              {t('policies.loading')}
            </span>
            <Skeleton height="48px" />
            <Skeleton height="48px" />
            <Skeleton height="48px" />
          </div>
        )}
        {policy.isError && (
          <Alert tone="error">
            {t('policies.loadError', { reason: errorMessage(t, policy.error) })}
            <Button onPress={() => void policy.refetch()}>{t('users.retry')}</Button>
          </Alert>
        )}
        {policy.data && (
          <PolicyValuesEditor
            settings={policy.data.settings}
            // A key the organisation does not set has the catalogue's default.
            inherited={policyValues(policy.data.effective)}
            setPolicy={setPolicy}
            words={{
              set: t('policies.setForOrg'),
              notSet: t('policies.notSetForOrg'),
              inherited: (value) => t('policies.defaultValue', { value }),
            }}
            canClear={false}
            labelledBy={headingId}
          />
        )}
      </section>
    </div>
  )
}
