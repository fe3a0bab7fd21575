import type { z } from 'zod'

/**
 * Reads a JSON column through its schema, so a row that does not hold what the code
 * expects fails loudly here (a broken invariant) instead of travelling on as a wrong type.
 */
export function parseJson<T extends z.ZodType>(schema: T, text: string): z.infer<T> {
  return schema.parse(JSON.parse(text))
}

/**
 * A JSON column the server itself wrote after the request's schema checked it (a message or
 * answer envelope, a key box). Not checked again on every read: a parse per row was most of
 * the cost of an inbox page (about 20 µs for a small envelope, more with files).
 */
export function storedJson<T extends object>(text: string): T {
  return JSON.parse(text) as T
}
