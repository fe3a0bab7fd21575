import { createResetLink, enableAccountRecovery, shareRecoveryKey } from '@sealpost/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '../../../api'
import { appOrigin } from '../../../lib/app-origin'
import { useSignedIn } from '../../../lib/session/signed-in-context'

export const recoveryOverviewKey = ['admin', 'account-recovery'] as const

/** Account recovery as administrators see it: the key (null while off) and who is enrolled. */
export function useRecoveryOverview() {
  return useQuery({ queryKey: recoveryOverviewKey, queryFn: () => api.recoveryOverview() })
}

/** The active administrators with their encryption keys: who gets the recovery key. */
async function activeAdmins() {
  const [{ users }, { users: directory }] = await Promise.all([api.listUsers(), api.directory()])
  return users
    .filter((user) => user.role === 'admin' && user.status === 'active')
    .flatMap((user) => {
      const person = directory.find((entry) => entry.id === user.id)
      return person ? [{ userId: user.id, x25519PublicKey: person.x25519PublicKey }] : []
    })
}

/** Turns account recovery on: the key pair is made here and sealed to every administrator. */
export function useEnableRecovery() {
  const queryClient = useQueryClient()
  const { account } = useSignedIn()
  return useMutation({
    mutationFn: async () => enableAccountRecovery(api, account, await activeAdmins()),
    onSettled: () => queryClient.invalidateQueries({ queryKey: recoveryOverviewKey }),
  })
}

/** A reset link for an enrolled user, made on this administrator's device. */
export function useCreateResetLink() {
  const { session, account } = useSignedIn()
  return useMutation({
    mutationFn: (userId: string) =>
      createResetLink(api, {
        origin: appOrigin(session),
        me: { account, userId: session.user.id },
        userId,
      }),
  })
}

/** After promoting someone: seals the recovery key to them from this administrator's device. */
export async function shareRecoveryKeyWithNewAdmin(
  me: { account: Parameters<typeof shareRecoveryKey>[1]['account']; userId: string },
  userId: string,
): Promise<void> {
  const { key } = await api.recoveryOverview()
  if (!key) return
  const person = (await api.directory()).users.find((entry) => entry.id === userId)
  if (!person) return
  await shareRecoveryKey(api, me, { userId, x25519PublicKey: person.x25519PublicKey })
}
