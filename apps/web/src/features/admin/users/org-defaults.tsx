import { useTranslation } from 'react-i18next'
import { Link } from 'react-aria-components'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { Skeleton } from '../../../ui/skeleton'
import { Switch } from '../../../ui/switch'
import { useOrgSettings, useUpdateOrgSettings } from './use-users'
import layout from '../admin-page.module.css'
import styles from './users-page.module.css'

/**
 * Settings for everyone that are not policies (GET/PUT /api/admin/settings): receipts and
 * message notifications. What people may do is a policy, set on the Policies page only.
 */
export function OrgDefaults() {
  const { t } = useTranslation()
  const settings = useOrgSettings()
  const update = useUpdateOrgSettings()

  return (
    <section className={layout.card} aria-labelledby="org-defaults-title">
      <div className={styles.cardBody}>
        <h2 className={styles.sectionTitle} id="org-defaults-title">
          {t('orgDefaults.title')}
        </h2>
        <p className={styles.muted}>
          {t('orgDefaults.intro')}{' '}
          <Link href="/admin/policies">{t('orgDefaults.openPolicies')}</Link>
        </p>
        {settings.isPending && (
          <div className={styles.switches} aria-busy="true">
            <Skeleton width="300px" height="24px" />
            <Skeleton width="320px" height="24px" />
          </div>
        )}
        {settings.isError && (
          <Alert tone="error">
            {t('orgDefaults.loadError', { reason: errorMessage(t, settings.error) })}
            <Button onPress={() => void settings.refetch()}>{t('users.retry')}</Button>
          </Alert>
        )}
        {settings.data && (
          <div className={styles.switches}>
            <Switch
              isSelected={settings.data.receiptsEnabled}
              onChange={(receiptsEnabled) =>
                settings.data && update.mutate({ ...settings.data, receiptsEnabled })
              }
            >
              {t('orgDefaults.receipts')}
            </Switch>
            <Switch
              isSelected={settings.data.defaultNotifyByEmail}
              onChange={(defaultNotifyByEmail) =>
                settings.data && update.mutate({ ...settings.data, defaultNotifyByEmail })
              }
            >
              {t('orgDefaults.notifyByEmail')}
            </Switch>
          </div>
        )}
      </div>
    </section>
  )
}
