import { ApiError, CryptoError, parseRequestUrl } from '@sealpost/core'

/*
 * What the public request page decides without a page or a server: pure functions, tested
 * alone. The page stays small: it imports core and React, nothing of the signed-in app.
 */

/** The request link the page was opened with, or null when the address is not a whole one. */
export function requestFromLocation(origin: string, pathname: string, hash: string): string | null {
  // Anything after `?` (a mail scanner's tracking, say) is not part of the link.
  const url = `${origin}${pathname}${hash}`
  try {
    parseRequestUrl(url)
    return url
  } catch {
    return null
  }
}

export type RequestFailure = 'not_available' | 'key_mismatch' | 'rate_limited' | 'failed'

/**
 * What a failed view or answer means for the visitor. Wrong, expired, closed and answered-in-full
 * requests and damaged addresses are one answer by design; a key that is not the requester's
 * is told apart, because the visitor should warn the requester another way.
 */
export function requestFailure(error: unknown): RequestFailure {
  if (error instanceof CryptoError) {
    return error.code === 'bad_key' ? 'key_mismatch' : 'not_available'
  }
  if (error instanceof ApiError) {
    if (error.code === 'rate_limited' || error.status === 429) return 'rate_limited'
    if (error.code === 'not_available') return 'not_available'
  }
  return 'failed'
}

export type PickedFile = { name: string; size: number }

/** Why the files cannot be sent (too large alone or together), or null when they can. */
export function filesProblem(
  files: readonly PickedFile[],
  limits: { maxFileBytes: number; maxAnswerBytes: number },
): { kind: 'file'; name: string } | { kind: 'total' } | null {
  const tooLarge = files.find((file) => file.size > limits.maxFileBytes)
  if (tooLarge) return { kind: 'file', name: tooLarge.name }
  const total = files.reduce((sum, file) => sum + file.size, 0)
  return total > limits.maxAnswerBytes ? { kind: 'total' } : null
}
