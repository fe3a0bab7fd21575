import type { DirectoryUser } from '@sealpost/core'
import type { ComposeDraft } from './compose-draft'
import { type ComposeRules, presetExpiry, presetLinkExpiry } from './compose-policy'
import type { ComposeMode, ComposeValues } from './compose-schema'

/** The tab a draft opens on: a copy goes in-app unless a link was asked for, if allowed. */
export function initialMode(
  draft: ComposeDraft,
  may: { hasCopy: boolean; canInApp: boolean; canLinks: boolean; canEmail: boolean },
): ComposeMode {
  if (may.hasCopy && draft.mode !== 'link' && may.canInApp) return 'in-app'
  if (draft.mode === 'link' && may.canLinks) return 'link'
  if (draft.mode === 'email' && may.canLinks && may.canEmail) return 'email'
  return may.canInApp ? 'in-app' : 'link'
}

/**
 * The form's values as a draft starts it: recipients still in the directory, and the expiry
 * the policy presets (a reply's no later than the original's).
 */
export function composeDefaults(
  draft: ComposeDraft,
  users: DirectoryUser[],
  rules: ComposeRules,
  now: Date,
): ComposeValues {
  const original = draft.originalExpiresAt ?? null
  return {
    recipients: draft.recipientIds.filter((id) => users.some((user) => user.id === id)),
    groups: [],
    emails: [],
    emailText: '',
    subject: draft.subject,
    body: draft.body,
    ...presetExpiry(rules, now, original),
    highPriority: false,
    linkExpiry: presetLinkExpiry(rules, now, original),
    maxViews: 1,
    passphrase: '',
    label: '',
  }
}
