import { Secret, TOTP } from 'otpauth'

/** RFC 6238 as authenticator apps expect it: SHA-1, 6 digits, 30-second steps. */
const PERIOD_S = 30
const ISSUER = 'Sealpost'

function totpFor(secret: string, label = ''): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_S,
    secret: Secret.fromBase32(secret),
  })
}

/** A new 160-bit TOTP secret (RFC 4226 §4 recommends 160), base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

/** The otpauth:// URI an authenticator app scans. */
export function totpUri(secret: string, username: string): string {
  return totpFor(secret, username).toString()
}

/**
 * The 30-second step whose code `code` is, allowing one step of clock drift either way
 * (RFC 6238 §5.2), or undefined. The caller refuses steps already used.
 */
export function totpStep(secret: string, code: string, nowMs: number): number | undefined {
  const delta = totpFor(secret).validate({ token: code, timestamp: nowMs, window: 1 })
  return delta === null ? undefined : Math.floor(nowMs / 1000 / PERIOD_S) + delta
}

/** The current code (tests stand in for an authenticator app with it). */
export function totpCode(secret: string, nowMs: number): string {
  return totpFor(secret).generate({ timestamp: nowMs })
}

/** Ten one-time backup codes: 50 random bits each, `xxxxx-xxxxx` in lower-case base32. */
export function newBackupCodes(): string[] {
  return Array.from({ length: 10 }, () => {
    const text = new Secret({ size: 7 }).base32.slice(0, 10).toLowerCase()
    return `${text.slice(0, 5)}-${text.slice(5)}`
  })
}

/** How a typed backup code is compared: case, spaces and dashes do not matter. */
export function normalizeBackupCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z2-7]/g, '')
}
