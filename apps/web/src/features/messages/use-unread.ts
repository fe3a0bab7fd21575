import { useQuery } from '@tanstack/react-query'
import { api } from '../../api'
import { useSignedIn } from '../../lib/session/signed-in-context'
import type { OpenMessage } from './open-message'

/*
 * What every signed-in page asks about messages (the dot, the priority popup), apart from
 * use-messages.ts so that the vault page does not download the lists', the compose's and the
 * opening's code with it (issue 15).
 */

/*
 * Every message query sits under ['messages', <my user id>], so one invalidation refreshes
 * the dot, the lists, the open message and the priority modal at once, and a different user
 * signing in on this page never sees the previous one's rows.
 */
export const messagesKey = (userId: string) => ['messages', userId] as const
export const unreadKey = (userId: string) => [...messagesKey(userId), 'unread'] as const
export const priorityKey = (userId: string) => [...messagesKey(userId), 'priority'] as const

/** S11: what the blue dot on the Messages button shows. */
export function useUnreadCount() {
  const { session } = useSignedIn()
  return useQuery({
    queryKey: unreadKey(session.user.id),
    queryFn: () => api.unreadCount(),
  })
}

/** S5, S18: unread high-priority messages, oldest first, each opened and verified. */
export function usePriorityMessages() {
  const { session, account } = useSignedIn()
  const userId = session.user.id
  return useQuery({
    queryKey: priorityKey(userId),
    queryFn: async (): Promise<OpenMessage[]> => {
      const { items } = await api.priorityMessages()
      if (items.length === 0) return []
      // Opening (signatures, HPKE) loads with the first message to open.
      const { openDetail } = await import('./open-message')
      return Promise.all(items.map((detail) => openDetail(account, userId, detail)))
    },
  })
}
