import type { z } from 'zod'

/**
 * Reads a JSON column through its schema, so a row that does not hold what the code
 * expects fails loudly here (a broken invariant) instead of travelling on as a wrong type.
 */
export function parseJson<T extends z.ZodType>(schema: T, text: string): z.infer<T> {
  return schema.parse(JSON.parse(text))
}

/**
 * A stored message or answer envelope. Not checked a third time here: the send route's schema
 * checked it on the way in and the response schema checks it on the way out, and a parse per row
 * would double the cost of an inbox page (about 20 µs for a small envelope, more with files).
 */
export function storedEnvelope<T extends object>(text: string): T {
  return JSON.parse(text) as T
}
