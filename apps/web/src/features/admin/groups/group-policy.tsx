import { type GroupDetail, policyValues } from '@sealpost/core'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { Skeleton } from '../../../ui/skeleton'
import { PolicyValuesEditor } from '../policies/policy-values-editor'
import { useOrgPolicy } from '../policies/use-policies'
import { useGroupPolicy, useSetGroupPolicy } from './use-groups'
import styles from './groups-page.module.css'

/** Every policy key with the group's value or "Not set"; set, change or clear each. */
export function GroupPolicy({ group }: { group: GroupDetail }) {
  const { t } = useTranslation()
  const policy = useGroupPolicy(group.id)
  const org = useOrgPolicy()
  const setPolicy = useSetGroupPolicy(group)
  const headingId = useId()

  return (
    <div className={styles.section}>
      <h3 id={headingId} className={styles.sectionTitle}>
        {t('groups.policy.title')}
      </h3>
      <p className={styles.muted}>{t('groups.policy.intro')}</p>
      {policy.isPending && (
        <div className={styles.skeletonRows} aria-busy="true">
          <span className="visually-hidden" role="status">
            {t('groups.policy.loading')}
          </span>
          <Skeleton height="32px" />
          <Skeleton height="32px" />
        </div>
      )}
      {policy.isError && (
        <Alert tone="error">
          {t('groups.policy.loadError', { reason: errorMessage(t, policy.error) })}
          <Button onPress={() => void policy.refetch()}>{t('users.retry')}</Button>
        </Alert>
      )}
      {policy.data && (
        <PolicyValuesEditor
          settings={policy.data.settings}
          // A key the group does not set follows the organisation's value.
          inherited={org.data ? policyValues(org.data.effective) : undefined}
          setPolicy={setPolicy}
          words={{
            set: t('groups.policy.setForGroup'),
            notSet: t('groups.policy.notSet'),
            inherited: (value) => t('groups.policy.orgValue', { value }),
          }}
          canClear
          labelledBy={headingId}
        />
      )}
    </div>
  )
}
