import type { InviteRequest, OrgSettings, UpdateUserRequest, User } from '@sealpost/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from '../../../api'
import { errorMessage } from '../../../i18n/error-message'
import { showToast } from '../../../ui/toast'
import { useSignedIn } from '../../../lib/session/signed-in-context'
import { sessionKey } from '../../../lib/session/use-session'
import { shareRecoveryKeyWithNewAdmin } from '../account-recovery/use-account-recovery'

export const usersKey = ['admin', 'users'] as const
export const settingsKey = ['admin', 'settings'] as const
const updateUserKey = ['admin', 'update-user'] as const

export function useUsers() {
  return useQuery({
    queryKey: usersKey,
    queryFn: async () => (await api.listUsers()).users,
  })
}

type UserChange = { user: User; change: UpdateUserRequest }

/** What an administrator switches on or off per user, in the table's order. */
export const PERMISSIONS = [
  'canSendMessages',
  'canSendAttachments',
  'canCreateLinks',
  'canRequestSecrets',
] as const
export type Permission = (typeof PERMISSIONS)[number]

/**
 * PATCHes one user at once, showing the change before the server answers. On failure only
 * the fields of this change go back, so quick changes to other rows are not undone.
 */
export function useUpdateUser() {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const { session, account } = useSignedIn()
  const patchUser = (id: string, patch: Partial<User>) =>
    queryClient.setQueryData<User[]>(usersKey, (users) =>
      users?.map((u) => (u.id === id ? { ...u, ...patch } : u)),
    )

  return useMutation({
    mutationKey: updateUserKey,
    mutationFn: ({ user, change }: UserChange) => api.updateUser(user.id, change),
    onMutate: async ({ user, change }) => {
      await queryClient.cancelQueries({ queryKey: usersKey })
      const before = queryClient.getQueryData<User[]>(usersKey)?.find((u) => u.id === user.id)
      patchUser(user.id, change)
      return { before }
    },
    onSuccess: async ({ user }, { change }) => {
      patchUser(user.id, user)
      // A switch flips before the server answers; the toast says the server has it now.
      for (const permission of PERMISSIONS) {
        if (change[permission] === undefined) continue
        showToast({
          tone: 'success',
          title: user[permission]
            ? t(`users.permissionOn.${permission}`, { username: user.username })
            : t(`users.permissionOff.${permission}`, { username: user.username }),
        })
      }
      // A new administrator gets the recovery key, sealed to them on this device.
      if (change.role === 'admin') {
        await shareRecoveryKeyWithNewAdmin({ account, userId: session.user.id }, user.id)
      }
    },
    onError: (error, { user, change }, context) => {
      const before = context?.before
      if (before) {
        const revert = Object.fromEntries(
          Object.keys(change).map((key) => [key, before[key as keyof UpdateUserRequest]]),
        )
        patchUser(user.id, revert)
      }
      showToast({
        tone: 'error',
        title: t('users.updateFailed', { username: user.username }),
        description: errorMessage(t, error),
      })
    },
    onSettled: async (_data, _error, { user }) => {
      if (user.id === session.user.id) await queryClient.invalidateQueries({ queryKey: sessionKey })
      // Refetch once the last of several quick changes has settled.
      if (queryClient.isMutating({ mutationKey: updateUserKey }) === 1) {
        await queryClient.invalidateQueries({ queryKey: usersKey })
      }
    },
  })
}

export function useInviteUser() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (request: InviteRequest) => api.inviteUser(request),
    onSettled: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  })
}

export function useReinviteUser() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (user: User) => api.reinviteUser(user.id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  })
}

/** Ends every session of a user (an administrator's action; audited by the server). */
export function useEndUserSessions() {
  const { t } = useTranslation()
  return useMutation({
    mutationFn: async (user: User) => ({ user, ...(await api.endUserSessions(user.id)) }),
    onSuccess: ({ user, ended }) =>
      showToast({
        tone: 'success',
        title: t('users.sessionsEnded', { count: ended, username: user.username }),
      }),
    onError: (error, user) =>
      showToast({
        tone: 'error',
        title: t('users.updateFailed', { username: user.username }),
        description: errorMessage(t, error),
      }),
  })
}

export function useOrgSettings() {
  return useQuery({ queryKey: settingsKey, queryFn: () => api.getSettings() })
}

export function useUpdateOrgSettings() {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (settings: OrgSettings) => api.updateSettings(settings),
    onMutate: async (settings) => {
      await queryClient.cancelQueries({ queryKey: settingsKey })
      const before = queryClient.getQueryData<OrgSettings>(settingsKey)
      queryClient.setQueryData(settingsKey, settings)
      return { before }
    },
    onSuccess: (settings) => queryClient.setQueryData(settingsKey, settings),
    onError: (error, _settings, context) => {
      if (context?.before) queryClient.setQueryData(settingsKey, context.before)
      showToast({
        tone: 'error',
        title: t('orgDefaults.saveFailed'),
        description: errorMessage(t, error),
      })
    },
  })
}
