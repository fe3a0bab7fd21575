import type { z } from 'zod'

/**
 * Reads a JSON column through its schema, so a row that does not hold what the code
 * expects fails loudly here (a broken invariant) instead of travelling on as a wrong type.
 */
export function parseJson<T extends z.ZodType>(schema: T, text: string): z.infer<T> {
  return schema.parse(JSON.parse(text))
}
