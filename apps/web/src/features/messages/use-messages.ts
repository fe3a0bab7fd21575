import {
  ApiError,
  type DirectoryUser,
  type FileSource,
  type GroupSummary,
  type OpenVault,
  type MessageSummary,
  type SendProgress,
  type SentSummary,
  buildCopy,
  expandGroups,
  loadItems,
  policyValues,
  sendMessage,
} from '@sealpost/core'
import {
  type InfiniteData,
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query'
import { api } from '../../api'
import { useSignedIn } from '../../lib/session/signed-in-context'
import { sessionKey } from '../../lib/session/use-session'
import { type Row, withSubjects } from './list-subjects'
import { type OpenMessage, openDetail } from './open-message'
import { messagesKey, priorityKey } from './use-unread'

export type { Row } from './list-subjects'
export type { OpenMessage } from './open-message'
export { messagesKey, usePriorityMessages, useUnreadCount } from './use-unread'

// Under messagesKey (use-unread.ts), like every message query.
const inboxKey = (userId: string) => [...messagesKey(userId), 'inbox'] as const
const sentKey = (userId: string) => [...messagesKey(userId), 'sent'] as const
const messageKey = (userId: string, id: string) => [...messagesKey(userId), 'detail', id] as const
export const directoryKey = ['directory'] as const
/** Under the directory's key, so signing out forgets the groups with the people. */
const groupsToSendKey = [...directoryKey, 'groups'] as const
/*
 * The user's limits and effective policy sit under the session's key: a change of their
 * policy (`account.changed`) refreshes the session and, with it, these, so an open compose
 * follows it; the user's id keeps one user's from another's.
 */
const limitsKey = (userId: string) => [...sessionKey, 'messaging-limits', userId] as const
const policyKey = (userId: string) => [...sessionKey, 'policy', userId] as const

type RowPage<T extends MessageSummary> = { items: Row<T>[]; nextCursor: string | null }

export function useInbox() {
  const { session, account } = useSignedIn()
  const userId = session.user.id
  return useInfiniteQuery({
    queryKey: inboxKey(userId),
    queryFn: async ({ pageParam }): Promise<RowPage<MessageSummary>> => {
      const page = await api.inbox({ before: pageParam })
      return {
        items: await withSubjects(api, account, userId, page.items),
        nextCursor: page.nextCursor,
      }
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
}

export function useSent() {
  const { session, account } = useSignedIn()
  const userId = session.user.id
  return useInfiniteQuery({
    queryKey: sentKey(userId),
    queryFn: async ({ pageParam }): Promise<RowPage<SentSummary>> => {
      const page = await api.sent({ before: pageParam })
      return {
        items: await withSubjects(api, account, userId, page.items),
        nextCursor: page.nextCursor,
      }
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
}

export function useMessage(id: string) {
  const { session, account } = useSignedIn()
  const userId = session.user.id
  return useQuery({
    queryKey: messageKey(userId, id),
    queryFn: async () => openDetail(account, userId, await api.getMessage(id)),
  })
}

function refreshMessages(queryClient: QueryClient, userId: string) {
  return queryClient.invalidateQueries({ queryKey: messagesKey(userId) })
}

/** S15: Close marks read; the dot, tint and priority modal follow at once. */
export function useMarkRead() {
  const { session } = useSignedIn()
  const userId = session.user.id
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.markRead(id),
    onMutate: async (id) => {
      await queryClient.cancelQueries({ queryKey: priorityKey(userId) })
      const readAt = new Date().toISOString()
      queryClient.setQueryData<OpenMessage[]>(priorityKey(userId), (items) =>
        items?.filter((item) => item.detail.envelope.id !== id),
      )
      queryClient.setQueryData<InfiniteData<RowPage<MessageSummary>>>(inboxKey(userId), (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((page) => ({
                ...page,
                items: page.items.map((row) =>
                  row.summary.id === id ? { ...row, summary: { ...row.summary, readAt } } : row,
                ),
              })),
            }
          : data,
      )
    },
    onSettled: () => refreshMessages(queryClient, userId),
  })
}

/**
 * A receipt for the sender (issue 12): this client opened the message, or saved it to a vault.
 * The server records the first of each, only while the organisation has receipts on; a failure
 * costs the sender a receipt, never the reader their message, so it is not shown.
 */
export function reportReceipt(id: string, event: 'opened' | 'saved'): void {
  api.recordReceipt(id, event).catch((error: unknown) => {
    console.warn(`receipt ${event} for ${id} not sent`, error)
  })
}

/** Recipient: removes it from my inbox. Sender: deletes it for everyone. */
export function useDeleteMessage() {
  const { session } = useSignedIn()
  const userId = session.user.id
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.deleteMessage(id),
    onSuccess: (_data, id) => queryClient.removeQueries({ queryKey: messageKey(userId, id) }),
    onSettled: () => refreshMessages(queryClient, userId),
  })
}

export function useDirectory(isEnabled = true) {
  return useQuery({
    queryKey: directoryKey,
    queryFn: async () => (await api.directory()).users,
    staleTime: 60_000,
    enabled: isEnabled,
  })
}

/** The organisation's groups, which "To" offers beside people (issue 13). */
export function useGroupsToSend(isEnabled = true) {
  return useQuery({
    queryKey: groupsToSendKey,
    // Fetched again as each compose opens: a group's size changes as administrators work.
    queryFn: async (): Promise<GroupSummary[]> => (await api.listGroups()).groups,
    enabled: isEnabled,
  })
}

export function useMessagingLimits() {
  const { session } = useSignedIn()
  return useQuery({
    queryKey: limitsKey(session.user.id),
    queryFn: () => api.messagingLimits(),
    staleTime: 5 * 60_000,
  })
}

/**
 * My effective policy (GET /api/account/policy): what compose presets and limits follow.
 * Always stale, so each compose fetches it as it opens (see ComposeLoader).
 */
export function useMyPolicy() {
  const { session } = useSignedIn()
  return useQuery({
    queryKey: policyKey(session.user.id),
    queryFn: async () => policyValues(await api.myPolicy()),
  })
}

/** A browser File read piece by piece while it is sealed. */
export function fileSource(file: File): FileSource {
  return {
    name: file.name,
    type: file.type,
    size: file.size,
    read: async (offset, length) =>
      new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
  }
}

export type OutgoingMessage = {
  /** Chosen when the draft opened; a retry reuses it, so a send never lands twice. */
  id: string
  isRetry: boolean
  /** The people chosen one by one. */
  recipients: DirectoryUser[]
  /** The groups chosen, by id: each goes to its active members as they are when it is sent. */
  groupIds: string[]
  subject: string
  body: string
  expiresAt: string | null
  highPriority: boolean
  replyTo: string | null
  files: File[]
  /** *Send copy* (S7, S8): the folder or entry to copy, with everything below it. */
  copy?: { vault: OpenVault; itemId: string } | null
  onProgress: (progress: SendProgress) => void
}

/** The vault item named no longer exists (deleted since the form opened). */
export class CopyGoneError extends Error {
  constructor() {
    super('the item to copy is no longer in the vault')
    this.name = 'CopyGoneError'
  }
}

/**
 * The copy is taken from the vault as it is now, not as the form showed it: a snapshot at the
 * moment of sending, content and files only, never history (S8).
 */
export async function copyFor(copy: OutgoingMessage['copy']) {
  if (!copy) return null
  const items = await loadItems(api, copy.vault)
  if (!items.some((item) => item.id === copy.itemId)) throw new CopyGoneError()
  return buildCopy(api, copy.vault, items, copy.itemId)
}

export function useSendMessage() {
  const { session, account } = useSignedIn()
  const userId = session.user.id
  const queryClient = useQueryClient()

  /**
   * The people chosen and each group's active members now (the sender aside), everyone once;
   * a group too large or with no one to reach throws GroupSendError before anything is sealed.
   */
  async function withGroups(people: DirectoryUser[], groupIds: string[]) {
    if (groupIds.length === 0) return { recipients: people, groups: [] }
    const expanded = await expandGroups(api, groupIds, userId)
    const byId = new Map([...people, ...expanded.recipients].map((user) => [user.id, user]))
    return { recipients: [...byId.values()], groups: expanded.groups }
  }

  return useMutation({
    mutationFn: async (message: OutgoingMessage) => {
      try {
        const copy = await copyFor(message.copy)
        const { recipients, groups } = await withGroups(message.recipients, message.groupIds)
        return await sendMessage(api, {
          id: message.id,
          me: { id: userId, x25519PublicKey: session.keys.x25519PublicKey },
          account,
          recipients,
          groups,
          directIds: message.recipients.map((user) => user.id),
          subject: message.subject,
          body: message.body,
          expiresAt: message.expiresAt,
          highPriority: message.highPriority,
          replyTo: message.replyTo,
          files: [...message.files.map(fileSource), ...(copy?.files ?? [])],
          tree: copy?.tree,
          onProgress: message.onProgress,
        })
      } catch (error) {
        // The id is this draft's alone: if it exists, the earlier attempt did arrive.
        if (message.isRetry && error instanceof ApiError && error.code === 'message_exists') {
          return { id: message.id }
        }
        throw error
      }
    },
    onSuccess: () => refreshMessages(queryClient, userId),
  })
}
