import { AppError } from '../../http/errors.js'

/** What a refused open is told to wait: streams of a few MB end within seconds. */
const RETRY_AFTER_S = 5

/**
 * Counts link opens still streaming in this process, per link and per client address, and
 * refuses one past either limit with 429. In memory on purpose: what it guards (this
 * process's memory, sockets and database connections) is per process too.
 */
export function createOpensInProgress(limits: { perLink: number; perIp: number }) {
  const counts = new Map<string, number>()

  function take(key: string): void {
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  function give(key: string): void {
    const left = (counts.get(key) ?? 0) - 1
    if (left > 0) counts.set(key, left)
    else counts.delete(key)
  }

  return {
    /** Counts an open of `linkId` from `ip`; returns the function that ends it (once). */
    begin(linkId: string, ip: string): () => void {
      const link = `link:${linkId}`
      const address = `ip:${ip}`
      if ((counts.get(link) ?? 0) >= limits.perLink || (counts.get(address) ?? 0) >= limits.perIp) {
        throw new AppError(
          'rate_limited',
          `too many opens of links at once; try again in ${RETRY_AFTER_S} s`,
          { retryAfter: RETRY_AFTER_S },
        )
      }
      take(link)
      take(address)
      let ended = false
      return () => {
        if (ended) return
        ended = true
        give(link)
        give(address)
      }
    },
  }
}
