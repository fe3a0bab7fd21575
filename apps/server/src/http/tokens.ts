import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

// The server's only cryptography: random bearer tokens and their hashes (sessions, invites),
// the session-bound CSRF token, checks of client proofs against stored verifiers, and the
// secrets and signatures of webhook deliveries.
// Content crypto never happens here (DESIGN.md §3); it lives in packages/core/src/crypto.

/** A 256-bit random bearer token (base64url) and the SHA-256 (hex) under which it is stored. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, hash: tokenHash(token) }
}

/** SHA-256 (hex) of a bearer token: what the database keeps instead of the token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** The CSRF token is bound to the session, so a page on another site cannot know it. */
export function csrfTokenFor(sessionId: string): string {
  return createHash('sha256').update(`sealpost-csrf:${sessionId}`).digest('base64url')
}

/** Constant-time string comparison (the lengths are not secret). */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Whether SHA-256(proof) equals a stored base64url verifier, in constant time. */
export function proves(proof: string | undefined, verifier: string): boolean {
  const digest = createHash('sha256')
    .update(Buffer.from(proof ?? '', 'base64url'))
    .digest()
  const expected = Buffer.from(verifier, 'base64url')
  return expected.length === digest.length && timingSafeEqual(digest, expected)
}

/** SHA-256 (hex) of a text, e.g. an audit event's canonical form chained to the one before. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** A webhook signing secret (Standard Webhooks): `whsec_` and the base64 of 24 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`
}

/**
 * A delivery's `webhook-signature` (Standard Webhooks): `v1,` and the base64 HMAC-SHA256 of
 * `id.timestamp.body`, keyed with the bytes the secret's base64 stands for.
 */
export function webhookSignature(
  secret: string,
  message: { id: string; timestamp: number; body: string },
): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const signed = `${message.id}.${message.timestamp}.${message.body}`
  return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`
}
