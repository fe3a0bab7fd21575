import type { Webhook, WebhookDelivery, WebhookDeliveryStatus } from '@sealpost/core'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { exactTime, relativeTime } from '../../../lib/format'
import { useLocale } from '../../../lib/use-locale'
import { useNow } from '../../../lib/use-now'
import { Alert } from '../../../ui/alert'
import { Badge } from '../../../ui/badge'
import { Button } from '../../../ui/button'
import { EmptyState } from '../../../ui/empty-state'
import { SendIcon } from '../../../ui/icons'
import { Skeleton } from '../../../ui/skeleton'
import { useDeliveries, useRedeliver, useSendTestEvent } from './use-webhooks'
import layout from '../admin-page.module.css'
import styles from './webhooks-page.module.css'

const STATUS_TONE = { pending: 'warning', succeeded: 'success', failed: 'danger' } as const

export function DeliveryStatus({ status }: { status: WebhookDeliveryStatus }) {
  const { t } = useTranslation()
  return <Badge tone={STATUS_TONE[status]}>{t(`webhooks.status.${status}`)}</Badge>
}

/** One endpoint's deliveries, newest first, with Send test event and Redeliver. */
export function WebhookDeliveries({ webhook }: { webhook: Webhook }) {
  const { t } = useTranslation()
  const titleId = useId()
  const hintId = useId()
  const test = useSendTestEvent(webhook.id)
  return (
    <section className={`${layout.card} ${styles.deliveries}`} aria-labelledby={titleId}>
      <div className={styles.deliveriesHeader}>
        <div className={styles.deliveriesTitle}>
          <h2 id={titleId} className={styles.title}>
            {t('webhooks.deliveriesTitle')}
          </h2>
          <span className={styles.url}>{webhook.url}</span>
        </div>
        <Button
          isPending={test.isPending}
          isDisabled={!webhook.enabled}
          aria-describedby={webhook.enabled ? undefined : hintId}
          onPress={() => test.mutate()}
        >
          <SendIcon />
          {t('webhooks.sendTest')}
        </Button>
      </div>
      {!webhook.enabled && (
        <p id={hintId} className={styles.muted}>
          {t('webhooks.disabledHint')}
        </p>
      )}
      {test.isError && (
        <Alert tone="error">
          {t('webhooks.testFailed', { reason: errorMessage(t, test.error) })}
        </Alert>
      )}
      <Deliveries webhook={webhook} />
    </section>
  )
}

function Deliveries({ webhook }: { webhook: Webhook }) {
  const { t } = useTranslation()
  const locale = useLocale()
  const now = useNow()
  const deliveries = useDeliveries(webhook.id)
  const redeliver = useRedeliver(webhook.id)
  if (deliveries.isPending) {
    return (
      <div className={styles.loading} aria-busy="true">
        <span className="visually-hidden" role="status">
          {t('webhooks.loadingDeliveries')}
        </span>
        <Skeleton height="32px" />
        <Skeleton height="32px" />
      </div>
    )
  }
  if (deliveries.isError) {
    return (
      <Alert tone="error">
        {t('webhooks.deliveriesError', { reason: errorMessage(t, deliveries.error) })}
        <Button onPress={() => void deliveries.refetch()}>{t('users.retry')}</Button>
      </Alert>
    )
  }
  if (deliveries.data.length === 0) {
    return (
      <EmptyState title={t('webhooks.noDeliveriesTitle')} level={3}>
        {t('webhooks.noDeliveriesBody')}
      </EmptyState>
    )
  }
  const label = t('webhooks.deliveriesLabel', { url: webhook.url })
  const when = (delivery: WebhookDelivery) => relativeTime(delivery.createdAt, now, locale)
  return (
    <div className={styles.tableWrap} role="group" aria-label={label} tabIndex={0}>
      <table className={styles.table}>
        <caption className="visually-hidden">{label}</caption>
        <thead>
          <tr>
            <th scope="col">{t('webhooks.columns.event')}</th>
            <th scope="col">{t('webhooks.columns.status')}</th>
            <th scope="col">{t('webhooks.columns.attempts')}</th>
            <th scope="col">{t('webhooks.columns.statusCode')}</th>
            <th scope="col">{t('webhooks.columns.responseTime')}</th>
            <th scope="col">{t('webhooks.columns.when')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('webhooks.columns.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {deliveries.data.map((delivery) => (
            <tr key={delivery.id}>
              <td className={styles.code}>{delivery.type}</td>
              <td>
                <DeliveryStatus status={delivery.status} />
                {delivery.lastError && <span className={styles.muted}>{delivery.lastError}</span>}
              </td>
              <td>{delivery.attempts}</td>
              <td>{delivery.lastStatusCode ?? '—'}</td>
              <td>
                {delivery.lastResponseMs === null
                  ? '—'
                  : t('webhooks.milliseconds', { count: delivery.lastResponseMs })}
              </td>
              <td>
                <time dateTime={delivery.createdAt} title={exactTime(delivery.createdAt, locale)}>
                  {when(delivery)}
                </time>
              </td>
              <td className={styles.actionsCell}>
                <Button
                  variant="quiet"
                  aria-label={t('webhooks.redeliverLabel', {
                    type: delivery.type,
                    when: when(delivery),
                  })}
                  isPending={redeliver.isPending && redeliver.variables === delivery.id}
                  onPress={() => redeliver.mutate(delivery.id)}
                >
                  {t('webhooks.redeliver')}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
