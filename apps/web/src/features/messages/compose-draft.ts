/** What a compose dialog starts with: empty, or a reply (S14). */
export type ComposeDraft = {
  recipientIds: string[]
  subject: string
  body: string
  replyTo: string | null
}

export const emptyDraft: ComposeDraft = { recipientIds: [], subject: '', body: '', replyTo: null }
