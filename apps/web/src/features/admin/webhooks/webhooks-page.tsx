import type { Webhook } from '@sealpost/core'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { ConfirmAction } from '../../../ui/confirm-action'
import { EmptyState } from '../../../ui/empty-state'
import { TrashIcon, WebhookIcon } from '../../../ui/icons'
import { PageHeader } from '../../../ui/page-header'
import { Skeleton } from '../../../ui/skeleton'
import { Switch } from '../../../ui/switch'
import { useSignedIn } from '../../../lib/session/signed-in-context'
import { NotAllowedPage } from '../not-allowed-page'
import { useLeaveWhenDemoted } from '../use-leave-when-demoted'
import { AddWebhookDialog } from './add-webhook-dialog'
import { DeliveryStatus, WebhookDeliveries } from './webhook-deliveries'
import { useDeleteWebhook, useDeliveries, useSetWebhookEnabled, useWebhooks } from './use-webhooks'
import layout from '../admin-page.module.css'
import styles from './webhooks-page.module.css'

/** Administration – Webhooks (issue 12): endpoints told of audit events, and their deliveries. */
export function WebhooksPage() {
  const { session } = useSignedIn()
  if (session.user.role !== 'admin') return <NotAllowedPage />
  return <WebhooksAdministration />
}

function WebhooksAdministration() {
  const { t } = useTranslation()
  const webhooks = useWebhooks()
  useLeaveWhenDemoted(webhooks.error)
  const [selectedId, setSelectedId] = useState<string | null>(null)
  // The chosen endpoint's deliveries, else the first's; a deleted one is no longer chosen.
  const selected = webhooks.data?.find((webhook) => webhook.id === selectedId) ?? webhooks.data?.[0]

  return (
    <div className={layout.page}>
      <PageHeader
        eyebrow={t('users.administration')}
        title={t('webhooks.title')}
        description={t('webhooks.intro')}
        actions={<AddWebhookDialog onCreated={setSelectedId} />}
      />
      <section className={layout.card} aria-label={t('webhooks.endpoints')}>
        <Endpoints webhooks={webhooks} selectedId={selected?.id} onSelect={setSelectedId} />
      </section>
      {selected && <WebhookDeliveries key={selected.id} webhook={selected} />}
    </div>
  )
}

function Endpoints({
  webhooks,
  selectedId,
  onSelect,
}: {
  webhooks: ReturnType<typeof useWebhooks>
  selectedId: string | undefined
  onSelect: (id: string) => void
}) {
  const { t } = useTranslation()
  const setEnabled = useSetWebhookEnabled()
  if (webhooks.isPending) {
    return (
      <div className={styles.loading} aria-busy="true">
        <span className="visually-hidden" role="status">
          {t('webhooks.loading')}
        </span>
        <Skeleton height="40px" />
        <Skeleton height="40px" />
      </div>
    )
  }
  if (webhooks.isError) {
    return (
      <div className={styles.padded}>
        <Alert tone="error">
          {t('webhooks.loadError', { reason: errorMessage(t, webhooks.error) })}
          <Button onPress={() => void webhooks.refetch()}>{t('users.retry')}</Button>
        </Alert>
      </div>
    )
  }
  if (webhooks.data.length === 0) {
    return (
      <EmptyState icon={<WebhookIcon width="24" height="24" />} title={t('webhooks.emptyTitle')}>
        {t('webhooks.empty')}
      </EmptyState>
    )
  }
  return (
    // A group that takes the focus: on a phone the table scrolls sideways with the arrow keys.
    <div
      className={styles.tableWrap}
      role="group"
      aria-label={t('webhooks.endpoints')}
      tabIndex={0}
    >
      <table className={styles.table}>
        <caption className="visually-hidden">{t('webhooks.endpoints')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('webhooks.columns.endpoint')}</th>
            <th scope="col">{t('webhooks.columns.events')}</th>
            <th scope="col">{t('webhooks.columns.enabled')}</th>
            <th scope="col">{t('webhooks.columns.lastDelivery')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('webhooks.columns.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {webhooks.data.map((webhook) => (
            <EndpointRow
              key={webhook.id}
              webhook={webhook}
              isSelected={webhook.id === selectedId}
              onSelect={() => onSelect(webhook.id)}
              onEnabledChange={(isEnabled) => setEnabled.mutate({ webhook, isEnabled })}
            />
          ))}
        </tbody>
      </table>
    </div>
  )
}

function EndpointRow({
  webhook,
  isSelected,
  onSelect,
  onEnabledChange,
}: {
  webhook: Webhook
  isSelected: boolean
  onSelect: () => void
  onEnabledChange: (isEnabled: boolean) => void
}) {
  const { t } = useTranslation()
  const urlId = useId()
  const remove = useDeleteWebhook(webhook)
  return (
    <tr className={isSelected ? styles.selected : undefined}>
      <td>
        <span id={urlId} className={styles.url}>
          {webhook.url}
        </span>
        {webhook.description && <span className={styles.muted}>{webhook.description}</span>}
      </td>
      <td className={styles.code}>
        {webhook.events.length === 0 ? t('webhooks.everyEvent') : webhook.events.join(', ')}
      </td>
      <td>
        <Switch
          aria-label={t('webhooks.enabledLabel', { url: webhook.url })}
          isSelected={webhook.enabled}
          onChange={onEnabledChange}
        />
      </td>
      <td>
        <LastDelivery webhookId={webhook.id} />
      </td>
      <td className={styles.actionsCell}>
        <Button
          variant="quiet"
          aria-pressed={isSelected}
          aria-describedby={urlId}
          onPress={onSelect}
        >
          {t('webhooks.showDeliveries')}
        </Button>
        <ConfirmAction
          label={t('webhooks.delete')}
          icon={<TrashIcon />}
          title={t('webhooks.deleteTitle')}
          body={t('webhooks.deleteBody', { url: webhook.url })}
          cancelLabel={t('webhooks.cancel')}
          describedBy={urlId}
          isPending={remove.isPending}
          error={remove.error ? errorMessage(t, remove.error) : null}
          onConfirm={(close) => remove.mutate(undefined, { onSuccess: close })}
        />
      </td>
    </tr>
  )
}

/** The newest delivery's status, from the same query as the deliveries table. */
function LastDelivery({ webhookId }: { webhookId: string }) {
  const { t } = useTranslation()
  const deliveries = useDeliveries(webhookId)
  if (deliveries.isPending) return <Skeleton width="80px" />
  if (deliveries.isError) return <span className={styles.muted}>{t('webhooks.unknown')}</span>
  const [last] = deliveries.data
  if (!last) return <span className={styles.muted}>{t('webhooks.noDeliveries')}</span>
  return <DeliveryStatus status={last.status} />
}
