import {
  LINK_MAX_VIEWS,
  type MessagingLimits,
  type PolicyValues,
  expiryPresetMs,
} from '@sealpost/core'
import { EXPIRY_CHOICES, type ExpiryChoice, toDateTimeLocal } from '../../lib/format'
import { type LinkExpiryChoice, linkExpiryChoices } from './links/link-options'

/*
 * What the user's effective policy (GET /api/account/policy, issue 13) makes of the compose
 * form: presets and limits as pure functions over a given `now`, so they are tested without a
 * clock. What a policy forbids outright (in-app, links, email, attachments) comes with the
 * session, as everywhere else in the app.
 */

const MINUTE = 60_000
const DAY = 1440 * MINUTE
/** A link always expires (DESIGN.md §3): a `never` preset gives it a week, as the CLI does. */
const LINK_FALLBACK_MS = 7 * DAY

/** The policy's values the form follows, with the server's limits. */
export type ComposeRules = {
  /** The longest expiry in days (the server's figure: the policy's, or its ceiling). */
  maxExpiryDays: number
  /** maxExpiryDays is set: everything must expire, so "never" is not offered. */
  mustExpire: boolean
  defaultExpiry: PolicyValues['defaultExpiry']
  /** Most views a link may allow (the policy's, or the largest there is). */
  maxLinkViews: number
  requireLinkPassphrase: boolean
  /** Send by email only to these domains; empty is any. */
  allowedEmailDomains: string[]
}

export function composeRules(limits: MessagingLimits, policy: PolicyValues): ComposeRules {
  return {
    maxExpiryDays: limits.maxExpiryDays,
    mustExpire: policy.maxExpiryDays > 0,
    defaultExpiry: policy.defaultExpiry,
    maxLinkViews: policy.maxLinkViews > 0 ? policy.maxLinkViews : LINK_MAX_VIEWS,
    requireLinkPassphrase: policy.requireLinkPassphrase,
    allowedEmailDomains: policy.allowedEmailDomains,
  }
}

const QUICK_MS: Record<Exclude<ExpiryChoice, 'none' | 'custom'>, number> = {
  '1h': 60 * MINUTE,
  '1d': DAY,
  '7d': 7 * DAY,
  '30d': 30 * DAY,
}

/** "Expires after" choices in-app: none beyond the maximum, and "never" only when allowed. */
export function expiryChoices(rules: Pick<ComposeRules, 'maxExpiryDays' | 'mustExpire'>) {
  return EXPIRY_CHOICES.filter((choice) => {
    if (choice === 'none') return !rules.mustExpire
    if (choice === 'custom') return true
    return QUICK_MS[choice] <= rules.maxExpiryDays * DAY
  })
}

/**
 * How long from now the preset lasts (null: never): the policy's defaultExpiry within the
 * maximum, or for a reply the original's remaining time when that is shorter.
 */
function presetMs(rules: ComposeRules, now: Date, originalExpiresAt: string | null): number | null {
  let ms = expiryPresetMs(rules.defaultExpiry)
  const maxMs = rules.maxExpiryDays * DAY
  if (rules.mustExpire && ms === null) ms = maxMs
  if (ms !== null && ms > maxMs) ms = maxMs
  if (originalExpiresAt !== null) {
    const remaining = Math.max(0, Date.parse(originalExpiresAt) - now.getTime())
    if (ms === null || remaining < ms) ms = remaining
  }
  return ms
}

/**
 * The in-app expiry a new message or reply starts with: a quick pick when the preset is one
 * (7d → "7 days"), else that moment as a custom date and time (to the minute, never later).
 */
export function presetExpiry(
  rules: ComposeRules,
  now: Date,
  originalExpiresAt: string | null = null,
): { expiry: ExpiryChoice; customExpiry: string } {
  const ms = presetMs(rules, now, originalExpiresAt)
  if (ms === null) return { expiry: 'none', customExpiry: '' }
  const quick = expiryChoices(rules).find(
    (choice) => choice !== 'none' && choice !== 'custom' && QUICK_MS[choice] === ms,
  )
  if (quick) return { expiry: quick, customExpiry: '' }
  return { expiry: 'custom', customExpiry: toDateTimeLocal(new Date(now.getTime() + ms)) }
}

/**
 * A link's preset among its choices: the longest that does not outlast the preset (a `never`
 * preset counts as a week), else the shortest there is.
 */
export function presetLinkExpiry(
  rules: ComposeRules,
  now: Date,
  originalExpiresAt: string | null = null,
): LinkExpiryChoice {
  const ms =
    presetMs(rules, now, originalExpiresAt) ?? Math.min(LINK_FALLBACK_MS, rules.maxExpiryDays * DAY)
  const choices = linkExpiryChoices(rules.maxExpiryDays)
  const lasting = (choice: LinkExpiryChoice) =>
    choice === 'max' ? rules.maxExpiryDays * DAY : QUICK_MS[choice]
  const fitting = choices.filter((choice) => lasting(choice) <= ms)
  return fitting.at(-1) ?? choices[0] ?? '1h'
}

/** The first address outside allowedEmailDomains, or undefined when all may be emailed. */
export function addressOutside(
  addresses: readonly string[],
  domains: readonly string[],
): string | undefined {
  if (domains.length === 0) return undefined
  return addresses.find(
    (address) => !domains.includes(address.slice(address.lastIndexOf('@') + 1).toLowerCase()),
  )
}
