import {
  type EmailLinkResponse,
  type RequestRow,
  createRequest,
  openRequestRow,
} from '@sealpost/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '../../../api'
import { appOrigin } from '../../../lib/app-origin'
import { messagesKey } from '../use-messages'
import { useSignedIn } from '../../../lib/session/signed-in-context'

/*
 * Under ['messages', <my user id>] like every message query: an answer's message.created event
 * refreshes the counts here, and signing out drops the decrypted notes with the rest.
 */
const requestsKey = (userId: string) => [...messagesKey(userId), 'requests'] as const

/** My requests that have not expired, newest first, each with its note, label and link opened. */
export function useRequests() {
  const { session, account } = useSignedIn()
  return useQuery({
    queryKey: requestsKey(session.user.id),
    queryFn: async (): Promise<RequestRow[]> => {
      const { requests } = await api.listRequests()
      const rows = await Promise.all(
        requests.map((summary) => openRequestRow(account, appOrigin(session), summary)),
      )
      return rows.sort((a, b) => b.summary.createdAt.localeCompare(a.summary.createdAt))
    },
  })
}

export function useCloseRequest() {
  const { session } = useSignedIn()
  const queryClient = useQueryClient()
  const key = requestsKey(session.user.id)
  return useMutation({
    mutationFn: (id: string) => api.deleteRequest(id),
    onSuccess: (_data, id) =>
      queryClient.setQueryData<RequestRow[]>(key, (rows) =>
        rows?.filter((row) => row.summary.id !== id),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  })
}

export type OutgoingRequest = {
  note: string
  label: string
  expiresAt: string
  maxAnswers: number
  allowFiles: boolean
  /** Addresses the server emails the link to; empty to pass it on oneself. */
  emailTo: string[]
}

export type CreatedRequest = {
  id: string
  url: string
  expiresAt: string
  maxAnswers: number
  /** Only when emailed: each address's delivery, or why the server could not send at all. */
  email?: { results: EmailLinkResponse['results']; failure: unknown }
}

/** Seals the note in this browser and creates the request; the server then emails the link. */
export function useCreateRequest() {
  const { session, account } = useSignedIn()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (request: OutgoingRequest): Promise<CreatedRequest> => {
      const { id, url } = await createRequest(api, {
        origin: appOrigin(session),
        account,
        me: { displayName: session.user.displayName, username: session.user.username },
        note: request.note,
        label: request.label || null,
        expiresAt: request.expiresAt,
        maxAnswers: request.maxAnswers,
        allowFiles: request.allowFiles,
      })
      const created = { id, url, expiresAt: request.expiresAt, maxAnswers: request.maxAnswers }
      if (request.emailTo.length === 0) return created
      try {
        const { results } = await api.emailRequest(id, { to: request.emailTo, url })
        return { ...created, email: { results, failure: null } }
      } catch (failure) {
        return { ...created, email: { results: [], failure } }
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: requestsKey(session.user.id) }),
  })
}
