import { ApiError, CryptoError, Email, parseLinkUrl } from '@sealpost/core'

/*
 * The choices and checks of a shareable link as the web app offers them: pure functions over
 * a given `now`, so they are tested without a clock or a page.
 */

const HOUR = 3_600_000
const DAY = 24 * HOUR

export const LINK_EXPIRY_CHOICES = ['1h', '1d', '7d', '30d', 'max'] as const
export type LinkExpiryChoice = (typeof LINK_EXPIRY_CHOICES)[number]

const QUICK_PICKS: Record<Exclude<LinkExpiryChoice, 'max'>, number> = {
  '1h': HOUR,
  '1d': DAY,
  '7d': 7 * DAY,
  '30d': 30 * DAY,
}

/**
 * The expiries a sender may pick under the organisation's maximum: the quick picks that fit,
 * plus the maximum itself when it lies between them (say 14 days).
 */
export function linkExpiryChoices(maxExpiryDays: number): LinkExpiryChoice[] {
  const fits = (['1h', '1d', '7d', '30d'] as const).filter(
    (choice) => QUICK_PICKS[choice] <= maxExpiryDays * DAY,
  )
  const isQuickPick = [1, 7, 30].includes(maxExpiryDays)
  return maxExpiryDays < 30 && !isQuickPick ? [...fits, 'max'] : fits
}

/**
 * The expiry to seal into the link. At the organisation's maximum it stays a few minutes
 * short of it, so a browser clock slightly ahead of the server's is not refused.
 */
export function linkExpiryToIso(
  choice: LinkExpiryChoice,
  now: Date,
  maxExpiryDays: number,
): string {
  const max = maxExpiryDays * DAY
  const wanted = choice === 'max' ? max : QUICK_PICKS[choice]
  const ms = wanted >= max ? max - 5 * 60_000 : wanted
  return new Date(now.getTime() + ms).toISOString()
}

/** The link the page was opened with, or null when the address is not a whole link. */
export function linkFromLocation(origin: string, pathname: string, hash: string): string | null {
  // Anything after `?` (a mail scanner's tracking, say) is not part of the link.
  const url = `${origin}${pathname}${hash}`
  try {
    parseLinkUrl(url)
    return url
  } catch {
    return null
  }
}

export type LinkFailure =
  'not_available' | 'passphrase_needed' | 'wrong_passphrase' | 'rate_limited' | 'failed'

/**
 * What a failed check, reveal or open means for the visitor. Wrong, expired, used-up and
 * deleted links and damaged addresses are one answer by design (S21); a missing or wrong
 * passphrase is told apart only to a visitor who proved the link's secret (the server's
 * `passphrase_needed`, `wrong_passphrase`), and so are too many attempts and a server that
 * cannot be reached.
 */
export function linkFailure(error: unknown): LinkFailure {
  if (error instanceof ApiError) {
    if (error.code === 'rate_limited' || error.status === 429) return 'rate_limited'
    if (error.code === 'passphrase_needed') return 'passphrase_needed'
    if (error.code === 'wrong_passphrase') return 'wrong_passphrase'
    if (error.status === 0 || error.status >= 500) return 'failed'
    return 'not_available'
  }
  return error instanceof CryptoError ? 'not_available' : 'failed'
}

/** Splits typed or pasted text into addresses: by commas, semicolons, spaces and new lines. */
export function splitAddresses(text: string): { valid: string[]; invalid: string[] } {
  const valid: string[] = []
  const invalid: string[] = []
  for (const part of text.split(/[\s,;]+/)) {
    // "<ada@example.com>" as some mail clients copy an address.
    const address = part.replace(/^<(.*)>$/, '$1')
    if (!address) continue
    if (Email.safeParse(address).success) valid.push(address)
    else invalid.push(address)
  }
  return { valid, invalid }
}

/** Adds addresses to a list, once each (case-insensitively). */
export function addAddresses(list: readonly string[], added: readonly string[]): string[] {
  const seen = new Set(list.map((address) => address.toLowerCase()))
  const out = [...list]
  for (const address of added) {
    if (seen.has(address.toLowerCase())) continue
    seen.add(address.toLowerCase())
    out.push(address)
  }
  return out
}
