import type { GroupDetail, GroupMember } from '@sealpost/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from '../../../api'
import { errorMessage } from '../../../i18n/error-message'
import { showToast } from '../../../ui/toast'
import type { PolicyChange } from '../policies/policy-values-editor'

/** Every groups query starts with this key, so one invalidation refreshes list, detail and policy. */
export const groupsKey = ['admin', 'groups'] as const
const groupKey = (id: string) => [...groupsKey, id] as const
const groupPolicyKey = (id: string) => [...groupsKey, id, 'policy'] as const
/** The users an administrator may add, under the groups key so membership changes refresh it. */
const usersKey = [...groupsKey, 'users'] as const

export function useGroups() {
  return useQuery({ queryKey: groupsKey, queryFn: async () => (await api.listGroups()).groups })
}

export function useGroup(id: string) {
  return useQuery({ queryKey: groupKey(id), queryFn: () => api.adminGroup(id) })
}

export function useGroupPolicy(id: string) {
  return useQuery({ queryKey: groupPolicyKey(id), queryFn: () => api.groupPolicy(id) })
}

export function useUsersToAdd() {
  return useQuery({ queryKey: usersKey, queryFn: async () => (await api.listUsers()).users })
}

/** Refreshes every groups query once a change has settled, whether it worked or not. */
function useRefreshGroups() {
  const queryClient = useQueryClient()
  return () => queryClient.invalidateQueries({ queryKey: groupsKey })
}

export function useCreateGroup() {
  const { t } = useTranslation()
  const refresh = useRefreshGroups()
  return useMutation({
    mutationFn: (name: string) => api.createGroup({ name }),
    onSuccess: (group) =>
      showToast({ tone: 'success', title: t('groups.created', { name: group.name }) }),
    onSettled: refresh,
  })
}

export function useRenameGroup(group: GroupDetail) {
  const { t } = useTranslation()
  const refresh = useRefreshGroups()
  return useMutation({
    mutationFn: (name: string) => api.renameGroup(group.id, { name }),
    onSuccess: (renamed) =>
      showToast({
        tone: 'success',
        title: t('groups.renamed', { from: group.name, name: renamed.name }),
      }),
    onSettled: refresh,
  })
}

export function useDeleteGroup(group: GroupDetail) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => api.deleteGroup(group.id),
    onSuccess: async () => {
      showToast({ tone: 'success', title: t('groups.deleted', { name: group.name }) })
      // The open detail would ask for a group that is gone.
      queryClient.removeQueries({ queryKey: groupKey(group.id) })
      await queryClient.invalidateQueries({ queryKey: groupsKey, exact: true })
    },
  })
}

type MembersChange = { add?: GroupMember[]; remove?: GroupMember[] }

export function useChangeMembers(group: GroupDetail) {
  const { t } = useTranslation()
  const refresh = useRefreshGroups()
  return useMutation({
    mutationFn: ({ add = [], remove = [] }: MembersChange) =>
      api.changeGroupMembers(group.id, {
        add: add.map((user) => user.id),
        remove: remove.map((user) => user.id),
      }),
    onSuccess: (_detail, { add = [], remove = [] }) => {
      const [removed] = remove
      showToast({
        tone: 'success',
        title:
          add.length > 0
            ? t('groups.membersAdded', { count: add.length, name: group.name })
            : t('groups.memberRemoved', { username: removed?.username ?? '', name: group.name }),
      })
    },
    onError: (error) =>
      showToast({
        tone: 'error',
        title: t('groups.membersFailed', { name: group.name }),
        description: errorMessage(t, error),
      }),
    onSettled: refresh,
  })
}

/** Sets one key for the group (a value) or clears it (null). */
export function useSetGroupPolicy(group: GroupDetail) {
  const { t } = useTranslation()
  const refresh = useRefreshGroups()
  return useMutation({
    mutationFn: ({ update }: PolicyChange) => api.setGroupPolicy(group.id, update),
    onSuccess: (_response, { key, update }) =>
      showToast({
        tone: 'success',
        title:
          update[key] === null
            ? t('groups.policy.cleared', {
                policy: t(`policies.keys.${key}`),
                name: group.name,
              })
            : t('groups.policy.saved', {
                policy: t(`policies.keys.${key}`),
                name: group.name,
              }),
      }),
    onError: (error, { key }) =>
      showToast({
        tone: 'error',
        title: t('groups.policy.failed', {
          policy: t(`policies.keys.${key}`),
          name: group.name,
        }),
        description: errorMessage(t, error),
      }),
    onSettled: refresh,
  })
}
