import type { CreateWebhookRequest, Webhook } from '@sealpost/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from '../../../api'
import { errorMessage } from '../../../i18n/error-message'
import { showToast } from '../../../ui/toast'
import { deliveriesPollMs } from './webhook-form'

/** Every webhooks query starts with this key, so one invalidation refreshes them all. */
export const webhooksKey = ['admin', 'webhooks'] as const
const deliveriesKey = (id: string) => [...webhooksKey, id, 'deliveries'] as const

export function useWebhooks() {
  return useQuery({
    queryKey: webhooksKey,
    queryFn: async () => (await api.listWebhooks()).webhooks,
  })
}

/**
 * An endpoint's deliveries, newest first (the server's latest 100). Asked for again while one
 * is pending, shortly after its next attempt is due, so an outcome shows without a reload.
 */
export function useDeliveries(webhookId: string) {
  return useQuery({
    queryKey: deliveriesKey(webhookId),
    queryFn: async () => (await api.webhookDeliveries(webhookId)).deliveries,
    refetchInterval: (query) => deliveriesPollMs(query.state.data ?? [], Date.now()),
  })
}

export function useCreateWebhook() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (webhook: CreateWebhookRequest) => api.createWebhook(webhook),
    // The answer holds the signing secret: gone from the cache once the dialog showing it is.
    gcTime: 0,
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhooksKey, exact: true }),
  })
}

export function useSetWebhookEnabled() {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ webhook, isEnabled }: { webhook: Webhook; isEnabled: boolean }) =>
      api.updateWebhook(webhook.id, { enabled: isEnabled }),
    onSuccess: (updated) =>
      showToast({
        tone: 'success',
        title: t(updated.enabled ? 'webhooks.enabled' : 'webhooks.disabled', { url: updated.url }),
      }),
    onError: (error, { webhook }) =>
      showToast({
        tone: 'error',
        title: t('webhooks.enableFailed', { url: webhook.url }),
        description: errorMessage(t, error),
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhooksKey, exact: true }),
  })
}

export function useDeleteWebhook(webhook: Webhook) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => api.deleteWebhook(webhook.id),
    onSuccess: async () => {
      showToast({ tone: 'success', title: t('webhooks.deleted', { url: webhook.url }) })
      // Its deliveries went with it.
      queryClient.removeQueries({ queryKey: deliveriesKey(webhook.id) })
      await queryClient.invalidateQueries({ queryKey: webhooksKey, exact: true })
    },
  })
}

/** Queues a `webhook.test` event to this endpoint; the deliveries list then follows it. */
export function useSendTestEvent(webhookId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => api.testWebhook(webhookId),
    onSettled: () => queryClient.invalidateQueries({ queryKey: deliveriesKey(webhookId) }),
  })
}

export function useRedeliver(webhookId: string) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (deliveryId: string) => api.redeliverWebhook(webhookId, deliveryId),
    onError: (error) =>
      showToast({
        tone: 'error',
        title: t('webhooks.redeliverFailed'),
        description: errorMessage(t, error),
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: deliveriesKey(webhookId) }),
  })
}
