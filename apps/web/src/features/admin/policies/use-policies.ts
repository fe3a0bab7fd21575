import type { PolicySettings } from '@sealpost/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from '../../../api'
import { errorMessage } from '../../../i18n/error-message'
import { showToast } from '../../../ui/toast'
import type { PolicyChange } from './policy-values-editor'

/** Under ['admin'], so signing out forgets it with the rest of administration. */
const orgPolicyKey = ['admin', 'policy'] as const

/** The organisation's values, and what a user without groups or overrides gets. */
export function useOrgPolicy() {
  return useQuery({ queryKey: orgPolicyKey, queryFn: () => api.orgPolicy() })
}

/** Sets one of the organisation's values (it has no "clear": an unset key is the default). */
export function useSetOrgPolicy() {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  return useMutation({
    // The organisation's keys are only ever set here, never cleared (null).
    mutationFn: ({ update }: PolicyChange) =>
      api.setOrgPolicy(
        Object.fromEntries(
          Object.entries(update).filter(([, value]) => value !== null),
        ) as PolicySettings,
      ),
    onSuccess: (response, { key }) => {
      queryClient.setQueryData(orgPolicyKey, response)
      showToast({
        tone: 'success',
        title: t('policies.saved', { policy: t(`policies.keys.${key}`) }),
      })
    },
    onError: (error, { key }) =>
      showToast({
        tone: 'error',
        title: t('policies.failed', { policy: t(`policies.keys.${key}`) }),
        description: errorMessage(t, error),
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: orgPolicyKey }),
  })
}
