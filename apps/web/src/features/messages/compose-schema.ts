import {
  BODY_MAX,
  type GroupSendError,
  LINK_LABEL_MAX,
  LinkLabel,
  MESSAGE_RECIPIENTS_MAX,
  MessageBody,
  MessageSubject,
  SUBJECT_MAX,
  textProblem,
} from '@sealpost/core'
import type { TFunction } from 'i18next'
import { z } from 'zod'
import { LINK_EXPIRY_CHOICES, linkExpiryChoices, splitAddresses } from './links/link-options'
import { EXPIRY_CHOICES, expiryProblem, expiryToIso } from '../../lib/format'
import { type ComposeRules, addressOutside } from './compose-policy'

/** The three ways to send (S2), the tabs of the compose dialog. */
export type ComposeMode = 'in-app' | 'email' | 'link'

/** EmailLinkRequest takes up to 20 addresses. */
export const EMAILS_MAX = 20

/**
 * One form for all three tabs, so switching keeps what was typed (UI.md "Compose"); each tab
 * checks only its own fields, within the user's policy (`rules`). Messages are keys of
 * `compose.errors`, some with a value after a colon.
 */
export function composeSchema(mode: ComposeMode, rules: ComposeRules, hasFiles: boolean) {
  const { maxExpiryDays } = rules
  return z
    .object({
      recipients: z.array(z.string()),
      // Groups chosen in "To", by id; each is expanded to its active members when it goes.
      groups: z.array(z.string()),
      emails: z.array(z.string()),
      emailText: z.string(),
      subject: z.string(),
      body: z.string(),
      expiry: z.enum(EXPIRY_CHOICES),
      customExpiry: z.string(),
      highPriority: z.boolean(),
      linkExpiry: z.enum(LINK_EXPIRY_CHOICES),
      // NaN while the field is empty; only the link tabs care.
      maxViews: z.union([z.number(), z.nan()]),
      passphrase: z.string(),
      label: z.string(),
    })
    .superRefine((values, ctx) => {
      const problem = (path: string, message: string) =>
        ctx.addIssue({ code: 'custom', path: [path], message })
      // The same rules as the CLI's, from the contracts; a link needs neither subject nor text.
      const subject = textProblem(MessageSubject, values.subject)
      const body = textProblem(MessageBody, values.body)
      if (subject === 'tooLong') problem('subject', 'subjectTooLong')
      if (body === 'tooLong') problem('body', 'bodyTooLong')

      if (mode === 'in-app') {
        if (values.recipients.length + values.groups.length === 0) {
          problem('recipients', 'recipients')
        }
        if (subject === 'missing') problem('subject', 'subjectRequired')
        if (body === 'missing') problem('body', 'bodyRequired')
        const now = new Date()
        const expiry = expiryProblem(
          expiryToIso(values.expiry, values.customExpiry, now),
          now,
          maxExpiryDays,
        )
        if (expiry) {
          problem(values.expiry === 'custom' ? 'customExpiry' : 'expiry', `expiry_${expiry}`)
        } else if (values.expiry === 'none' && rules.mustExpire) {
          problem('expiry', 'expiry_required')
        }
        return
      }

      if (body === 'missing' && !hasFiles) problem('body', 'textRequired')
      if (
        !Number.isInteger(values.maxViews) ||
        values.maxViews < 1 ||
        values.maxViews > rules.maxLinkViews
      ) {
        problem('maxViews', `maxViews:${rules.maxLinkViews}`)
      }
      if (rules.requireLinkPassphrase && values.passphrase === '') {
        problem('passphrase', 'passphraseRequired')
      }
      if (textProblem(LinkLabel, values.label) === 'tooLong') problem('label', 'labelTooLong')
      if (!linkExpiryChoices(maxExpiryDays).includes(values.linkExpiry)) {
        problem('linkExpiry', 'expiry_tooFar')
      }

      if (mode === 'email') {
        const typed = splitAddresses(values.emailText)
        const [invalid] = typed.invalid
        const count = values.emails.length + typed.valid.length
        const outside = addressOutside(
          [...values.emails, ...typed.valid],
          rules.allowedEmailDomains,
        )
        if (invalid !== undefined) problem('emails', `emailInvalid:${invalid}`)
        else if (outside !== undefined) problem('emails', `emailOutside:${outside}`)
        else if (count === 0) problem('emails', 'emailsRequired')
        else if (count > EMAILS_MAX) problem('emails', 'emailsTooMany')
      }
    })
}
export type ComposeValues = z.infer<ReturnType<typeof composeSchema>>

/** A message for "To" in the schema's form, for a group that cannot be sent to: which, why. */
export function groupProblem(error: Pick<GroupSendError, 'code' | 'group' | 'memberCount'>) {
  return error.code === 'group_too_large'
    ? `groupTooLarge:${error.memberCount}:${error.group}`
    : `groupEmpty:${error.group}`
}

/** The words under a field for one of the schema's messages. */
export function composeErrorText(
  t: TFunction,
  message: string | undefined,
  rules: Pick<ComposeRules, 'maxExpiryDays' | 'allowedEmailDomains'>,
  locale: string,
): string | undefined {
  if (message === undefined) return undefined
  const [key = '', value = ''] = message.split(/:(.*)/s)
  switch (key) {
    case 'recipients':
      return t('compose.errors.recipients')
    case 'groupTooLarge': {
      // Group names hold no colon, so the count is all before the first one.
      const [count = '', name = ''] = value.split(/:(.*)/s)
      return t('compose.errors.groupTooLarge', {
        name,
        members: Number(count).toLocaleString(locale),
        max: MESSAGE_RECIPIENTS_MAX.toLocaleString(locale),
      })
    }
    case 'groupEmpty':
      return t('compose.errors.groupEmpty', { name: value })
    case 'subjectRequired':
      return t('compose.errors.subjectRequired')
    case 'subjectTooLong':
      return t('compose.errors.subjectTooLong', { max: String(SUBJECT_MAX) })
    case 'bodyRequired':
      return t('compose.errors.bodyRequired')
    case 'bodyTooLong':
      return t('compose.errors.bodyTooLong', { max: BODY_MAX.toLocaleString(locale) })
    case 'textRequired':
      return t('compose.errors.textRequired')
    case 'maxViews':
      return t('compose.errors.maxViews', { max: value })
    case 'passphraseRequired':
      return t('compose.errors.passphraseRequired')
    case 'emailOutside':
      return t('compose.errors.emailOutside', {
        address: value,
        domains: rules.allowedEmailDomains.join(', '),
      })
    case 'expiry_required':
      return t('compose.errors.expiryRequired', { days: String(rules.maxExpiryDays) })
    case 'labelTooLong':
      return t('compose.errors.labelTooLong', { max: String(LINK_LABEL_MAX) })
    case 'emailsRequired':
      return t('compose.errors.emailsRequired')
    case 'emailsTooMany':
      return t('compose.errors.emailsTooMany', { max: String(EMAILS_MAX) })
    case 'emailInvalid':
      return t('compose.errors.emailInvalid', { address: value })
    case 'expiry_missing':
      return t('compose.errors.expiryMissing')
    case 'expiry_past':
      return t('compose.errors.expiryPast')
    case 'expiry_tooFar':
      return t('compose.errors.expiryTooFar', { days: String(rules.maxExpiryDays) })
    default:
      return message
  }
}
