/** Lists stop here; the web app pages further, a terminal has no use for more rows. */
export const LIST_CAP = 500
/** The server's largest page. */
const PAGE_SIZE = 100

export type Page<T> = { items: T[]; nextCursor: string | null }

/**
 * Follows `nextCursor` from the newest page until the end or `cap` rows; `isCut` says whether
 * older rows were left out.
 */
export async function collectPages<T>(
  fetchPage: (before: string | undefined, limit: number) => Promise<Page<T>>,
  cap = LIST_CAP,
): Promise<{ items: T[]; isCut: boolean }> {
  const items: T[] = []
  let before: string | undefined
  for (;;) {
    const page = await fetchPage(before, Math.min(PAGE_SIZE, cap - items.length))
    items.push(...page.items)
    if (items.length >= cap) {
      return { items: items.slice(0, cap), isCut: items.length > cap || page.nextCursor !== null }
    }
    if (page.nextCursor === null) return { items, isCut: false }
    before = page.nextCursor
  }
}

/** `fn` over `items` with at most `limit` calls in flight; results keep the items' order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = []
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
