import { type PolicyValues, policyValues } from '@sealpost/core'
import type { AppContext } from '../../app-context.js'
import type { Db } from '../../db/database.js'
import { AppError } from '../../http/errors.js'
import { effectivePolicies, effectivePolicy } from './queries.js'

const DAY_MS = 24 * 3_600_000
/** The longest expiry anyone may set, with or without a maxExpiryDays (the catalogue's bound). */
export const EXPIRY_CEILING_DAYS = 3650

/** The values of `userId`'s effective policy, which every route enforces. */
export async function policyOf(ctx: AppContext, userId: string): Promise<PolicyValues> {
  return policyValues(await effectivePolicy(ctx.db, userId))
}

type Allowance =
  'canSendMessages' | 'canSendAttachments' | 'canCreateLinks' | 'canSendEmail' | 'canRequestSecrets'

/** The error codes clients already knew before policies; the other allowances share one. */
const refusalCodes = {
  canSendMessages: 'sending_disabled',
  canSendAttachments: 'attachments_disabled',
  canCreateLinks: 'policy_forbids',
  canSendEmail: 'policy_forbids',
  canRequestSecrets: 'policy_forbids',
} as const

/** 403 naming the policy unless it allows this. */
export function requireAllowed(policy: PolicyValues, key: Allowance): void {
  if (!policy[key]) throw new AppError(refusalCodes[key], `policy ${key} forbids this`)
}

/** The longest expiry in days this policy allows (the ceiling when it sets none). */
export function maxExpiryDaysOf(policy: PolicyValues): number {
  return policy.maxExpiryDays === 0 ? EXPIRY_CEILING_DAYS : policy.maxExpiryDays
}

/**
 * An expiry (null: never) in the future and within maxExpiryDays; with a maxExpiryDays set,
 * everything must expire. `extraMaxDays` is a route's own tighter bound (requests: 30 days).
 */
export function checkExpiry(
  policy: PolicyValues,
  expiresAt: number | null,
  now: number,
  extraMaxDays?: number,
): void {
  if (expiresAt === null) {
    if (policy.maxExpiryDays > 0) {
      throw new AppError(
        'policy_limit',
        `policy maxExpiryDays: everything must expire within ${policy.maxExpiryDays} days`,
      )
    }
    return
  }
  if (expiresAt <= now) throw new AppError('invalid_input', 'expiresAt is in the past')
  const policyDays = maxExpiryDaysOf(policy)
  const days = Math.min(policyDays, extraMaxDays ?? policyDays)
  if (expiresAt > now + days * DAY_MS) {
    throw days < policyDays || policy.maxExpiryDays === 0
      ? new AppError('invalid_input', `expiresAt is more than ${days} days away`)
      : new AppError(
          'policy_limit',
          `policy maxExpiryDays: expiresAt is more than ${days} days away`,
        )
  }
}

export function checkLinkViews(policy: PolicyValues, maxViews: number): void {
  if (policy.maxLinkViews > 0 && maxViews > policy.maxLinkViews) {
    throw new AppError(
      'policy_limit',
      `policy maxLinkViews: a link may allow at most ${policy.maxLinkViews} views`,
    )
  }
}

export function checkLinkPassphrase(policy: PolicyValues, hasPassphrase: boolean): void {
  if (policy.requireLinkPassphrase && !hasPassphrase) {
    throw new AppError('policy_limit', 'policy requireLinkPassphrase: a link needs a passphrase')
  }
}

/** The largest file this user may send or store: the server's limit or the policy's, if lower. */
export function maxFileBytesOf(policy: PolicyValues, serverMaxFileBytes: number): number {
  if (policy.maxFileMb === 0) return serverMaxFileBytes
  return Math.min(serverMaxFileBytes, policy.maxFileMb * 1024 * 1024)
}

/** 400 naming the policy for a file over maxFileMb (the server's own limit answers 413). */
export function checkFileSize(policy: PolicyValues, sizeBytes: number): void {
  if (policy.maxFileMb > 0 && sizeBytes > policy.maxFileMb * 1024 * 1024) {
    throw new AppError(
      'policy_limit',
      `policy maxFileMb: a file may be at most ${policy.maxFileMb} MB`,
    )
  }
}

/** Whether an address is in allowedEmailDomains (empty allows any). */
export function isEmailAllowed(policy: PolicyValues, address: string): boolean {
  if (policy.allowedEmailDomains.length === 0) return true
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase()
  return policy.allowedEmailDomains.includes(domain)
}

/**
 * Of `members`, those whose own effective policy lets email go to their address: the
 * organisation's notices (a new message, a link opened) honour allowedEmailDomains as send by
 * email does, whatever the policy was when the message or link was made.
 */
export async function withAllowedAddresses<T extends { id: string; email: string }>(
  db: Db,
  members: T[],
): Promise<T[]> {
  const policies = await effectivePolicies(
    db,
    members.map((member) => member.id),
  )
  return members.filter((member) => {
    const policy = policies.get(member.id)
    return policy !== undefined && isEmailAllowed(policyValues(policy), member.email)
  })
}

/** 403 without canSendEmail, 400 naming the first address outside allowedEmailDomains. */
export function checkEmailRecipients(policy: PolicyValues, addresses: string[]): void {
  requireAllowed(policy, 'canSendEmail')
  const outside = addresses.find((address) => !isEmailAllowed(policy, address))
  if (outside !== undefined) {
    throw new AppError(
      'policy_limit',
      `policy allowedEmailDomains: ${outside} is not in ${policy.allowedEmailDomains.join(', ')}`,
    )
  }
}
