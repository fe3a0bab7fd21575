/*
 * A small password strength estimate: bits ≈ effective length × log2(character pool).
 * Repeats and runs ("aaaa", "1234", "abcd") count a quarter; common passwords and the
 * user's own names count as one dictionary guess (~10 bits). "fair" starts at 12
 * lowercase letters (12 × log2 26 ≈ 56 bits) or an equivalent mix.
 */

export type PasswordStrength = 'empty' | 'weak' | 'fair' | 'good' | 'strong'

const LEVELS: readonly PasswordStrength[] = ['empty', 'weak', 'fair', 'good', 'strong']

const FAIR_BITS = 56
const GOOD_BITS = 70
const STRONG_BITS = 90
const MIN_LENGTH = 8
const DICTIONARY_WORD_BITS = 10
const WORD_MARKER = '\u0000'

const COMMON = [
  'password',
  'passwort',
  'passw0rd',
  'qwertz',
  'qwerty',
  'azerty',
  'letmein',
  'welcome',
  'iloveyou',
  'admin',
  'secret',
  'changeme',
  'sealpost',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'sunshine',
  'princess',
  'master',
  'login',
]

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function poolSize(text: string): number {
  let pool = 0
  if (/[a-z]/.test(text)) pool += 26
  if (/[A-Z]/.test(text)) pool += 26
  if (/[0-9]/.test(text)) pool += 10
  if (/[ -/:-@[-`{-~]/.test(text)) pool += 33
  if (Array.from(text).some((c) => (c.codePointAt(0) ?? 0) > 0x7f)) pool += 100
  return pool
}

/**
 * Estimated guessing entropy in bits. `context` holds words an attacker would try first
 * for this user (username, display name, email).
 */
export function estimatePasswordBits(password: string, context: readonly string[] = []): number {
  if (!password) return 0
  const words = [...COMMON, ...context.flatMap((c) => c.toLowerCase().split(/[\s@.+_-]+/))]
    .filter((word) => word.length >= 3)
    .sort((a, b) => b.length - a.length)
  let text = password
  for (const word of words) {
    text = text.replace(new RegExp(escapeRegExp(word), 'gi'), WORD_MARKER)
  }
  const chars = Array.from(text)
  const markers = chars.filter((c) => c === WORD_MARKER).length
  const rest = chars.filter((c) => c !== WORD_MARKER)
  let effectiveLength = 0
  let previous: number | undefined
  for (const char of rest) {
    const code = char.codePointAt(0) ?? 0
    const predictable = previous !== undefined && Math.abs(code - previous) <= 1
    effectiveLength += predictable ? 0.25 : 1
    previous = code
  }
  const pool = poolSize(rest.join(''))
  return effectiveLength * (pool > 0 ? Math.log2(pool) : 0) + markers * DICTIONARY_WORD_BITS
}

export function passwordStrength(
  password: string,
  context: readonly string[] = [],
): PasswordStrength {
  if (!password) return 'empty'
  const bits = estimatePasswordBits(password, context)
  if (Array.from(password).length < MIN_LENGTH || bits < FAIR_BITS) return 'weak'
  if (bits < GOOD_BITS) return 'fair'
  if (bits < STRONG_BITS) return 'good'
  return 'strong'
}

/** Whether a strength is at least the given level. */
export function isAtLeast(strength: PasswordStrength, level: PasswordStrength): boolean {
  return LEVELS.indexOf(strength) >= LEVELS.indexOf(level)
}

/** 0–100 for the meter. */
export function strengthPercent(password: string, context: readonly string[] = []): number {
  return Math.min(100, Math.round((estimatePasswordBits(password, context) / STRONG_BITS) * 100))
}
