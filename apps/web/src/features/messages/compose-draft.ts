/** What a compose dialog starts with: empty, or a reply (S14). */
export type ComposeDraft = {
  recipientIds: string[]
  subject: string
  body: string
  replyTo: string | null
  /** The tab it opens on; in-app unless told (Links' "Create shareable link"). */
  mode?: 'in-app' | 'email' | 'link'
}

export const emptyDraft: ComposeDraft = { recipientIds: [], subject: '', body: '', replyTo: null }
