import {
  type EmailLinkResponse,
  type LinkSummary,
  type OpenVault,
  type SendProgress,
  createLink,
  openLinkLabel,
} from '@sealpost/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '../../../api'
import { appOrigin } from '../../../lib/app-origin'
import { copyFor, fileSource, messagesKey } from '../use-messages'
import { useSignedIn } from '../../../lib/session/signed-in-context'

/*
 * Under ['messages', <my user id>] like every message query: signing out drops the
 * decrypted labels with the rest, and the live events refresh the list too.
 */
const linksKey = (userId: string) => [...messagesKey(userId), 'links'] as const
const mailStatusKey = ['mail-status'] as const

/** A row of Links: the summary with its label decrypted; null when it could not be opened. */
export type LinkRow = { summary: LinkSummary; label: string | null; hasLabel: boolean }

/**
 * S23: my live links, newest first, with views used and expiry; with `all`, also the links
 * that ended (used up, expired, deleted, destroyed), kept without content for their history.
 */
export function useLinks(all = false) {
  const { session, account } = useSignedIn()
  return useQuery({
    queryKey: [...linksKey(session.user.id), all ? 'all' : 'live'],
    queryFn: async (): Promise<LinkRow[]> => {
      const { links } = await api.listLinks({ all })
      const rows = await Promise.all(
        links.map(async (summary) => ({
          summary,
          hasLabel: summary.label !== null,
          label:
            summary.label === null
              ? null
              : await openLinkLabel(account.accountKey, summary.id, summary.label).catch(
                  () => null,
                ),
        })),
      )
      return rows.sort((a, b) => b.summary.createdAt.localeCompare(a.summary.createdAt))
    },
    // Views are spent by people without an account, so no event tells this page.
    refetchInterval: 30_000,
  })
}

/** What happened to one of my links, oldest first (loaded when its history is opened). */
export function useLinkHistory(id: string, isOpen: boolean) {
  const { session } = useSignedIn()
  return useQuery({
    queryKey: [...linksKey(session.user.id), 'history', id],
    queryFn: async () => (await api.getLink(id)).history,
    enabled: isOpen,
  })
}

export function useDeleteLink() {
  const { session } = useSignedIn()
  const queryClient = useQueryClient()
  const key = linksKey(session.user.id)
  return useMutation({
    mutationFn: (id: string) => api.deleteLink(id),
    onSuccess: (_data, id) =>
      queryClient.setQueryData<LinkRow[]>([...key, 'live'], (rows) =>
        rows?.filter((row) => row.summary.id !== id),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  })
}

/** Whether the server can send email (S22); Send by email is disabled without it. */
export function useMailStatus(isEnabled: boolean) {
  return useQuery({
    queryKey: mailStatusKey,
    queryFn: () => api.mailStatus(),
    staleTime: 5 * 60_000,
    enabled: isEnabled,
  })
}

export type OutgoingLink = {
  subject: string
  text: string
  files: File[]
  /** A copy of a vault folder or entry (S20), with everything below it and its files. */
  copy?: { vault: OpenVault; itemId: string } | null
  expiresAt: string
  maxViews: number
  passphrase: string
  label: string
  /** Send by email: the addresses the server emails the link to. */
  emailTo: string[]
  onProgress: (progress: SendProgress) => void
  /** The link exists; the server is emailing it now. */
  onEmailing: () => void
}

/** What the sender sees once the link exists. */
export type CreatedLink = {
  id: string
  url: string
  maxViews: number
  expiresAt: string
  hasPassphrase: boolean
  /** Send by email only: each address's delivery, or why the server could not send at all. */
  email?: { results: EmailLinkResponse['results']; failure: unknown }
}

/**
 * S20/S22: seals the content in this browser and creates the link; for Send by email the
 * server then relays it. A link whose emails fail is kept: the sender sees why, and the
 * link stays in Links with the error.
 */
export function useCreateLink() {
  const { session, account } = useSignedIn()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (link: OutgoingLink): Promise<CreatedLink> => {
      // Like Send copy: a snapshot of the vault as it is now, taken at the moment of sealing.
      const copy = await copyFor(link.copy)
      const { id, url } = await createLink(api, {
        origin: appOrigin(session),
        account,
        subject: link.subject,
        text: link.text,
        files: [...link.files.map(fileSource), ...(copy?.files ?? [])],
        ...(copy ? { tree: copy.tree } : {}),
        expiresAt: link.expiresAt,
        maxViews: link.maxViews,
        passphrase: link.passphrase || null,
        label: link.label || null,
        onProgress: link.onProgress,
      })
      const created = {
        id,
        url,
        maxViews: link.maxViews,
        expiresAt: link.expiresAt,
        hasPassphrase: link.passphrase !== '',
      }
      if (link.emailTo.length === 0) return created
      link.onEmailing()
      try {
        const { results } = await api.emailLink(id, { to: link.emailTo, url })
        return { ...created, email: { results, failure: null } }
      } catch (failure) {
        return { ...created, email: { results: [], failure } }
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: linksKey(session.user.id) }),
  })
}
