import type { CopyRef } from './vault-copy/use-copy-source'

/** What a compose dialog starts with: empty, a reply (S14), or a copy of vault content (S7). */
export type ComposeDraft = {
  recipientIds: string[]
  subject: string
  body: string
  replyTo: string | null
  /** A reply's original expiry: the reply expires no later by default (issue 13). */
  originalExpiresAt?: string | null
  /** The tab it opens on; in-app unless told (Links' "Create shareable link"). */
  mode?: 'in-app' | 'email' | 'link'
  /** *Send copy*: the vault folder or entry to attach; in-app only. */
  copy?: CopyRef
}

export const emptyDraft: ComposeDraft = { recipientIds: [], subject: '', body: '', replyTo: null }
