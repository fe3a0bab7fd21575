import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { Skeleton } from '../../../ui/skeleton'
import { Switch } from '../../../ui/switch'
import { useOrgSettings, useUpdateOrgSettings } from './use-users'
import layout from '../admin-page.module.css'
import styles from './users-page.module.css'

/** What newly invited users may do (GET/PUT /api/admin/settings). */
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
        <p className={styles.muted}>{t('orgDefaults.intro')}</p>
        {settings.isPending && (
          <div className={styles.switches} aria-busy="true">
            <Skeleton width="260px" height="24px" />
            <Skeleton width="280px" height="24px" />
            <Skeleton width="300px" height="24px" />
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
              isSelected={settings.data.defaultCanSendMessages}
              onChange={(defaultCanSendMessages) =>
                settings.data && update.mutate({ ...settings.data, defaultCanSendMessages })
              }
            >
              {t('orgDefaults.canSendMessages')}
            </Switch>
            <Switch
              isSelected={settings.data.defaultCanSendAttachments}
              onChange={(defaultCanSendAttachments) =>
                settings.data && update.mutate({ ...settings.data, defaultCanSendAttachments })
              }
            >
              {t('orgDefaults.canSendAttachments')}
            </Switch>
            <Switch
              isSelected={settings.data.defaultCanCreateLinks}
              onChange={(defaultCanCreateLinks) =>
                settings.data && update.mutate({ ...settings.data, defaultCanCreateLinks })
              }
            >
              {t('orgDefaults.canCreateLinks')}
            </Switch>
            <Switch
              isSelected={settings.data.defaultCanRequestSecrets}
              onChange={(defaultCanRequestSecrets) =>
                settings.data && update.mutate({ ...settings.data, defaultCanRequestSecrets })
              }
            >
              {t('requests.orgDefault')}
            </Switch>
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
