import { describe, expect, test } from 'vitest'
import { collectPages, mapWithConcurrency, type Page } from './paging.js'

/** A server holding `total` rows numbered from the newest, answering keyset pages. */
function fakeServer(total: number) {
  const requests: { before: string | undefined; limit: number }[] = []
  const fetchPage = async (before: string | undefined, limit: number): Promise<Page<number>> => {
    requests.push({ before, limit })
    const start = before === undefined ? 0 : Number(before)
    const items = Array.from(
      { length: Math.max(0, Math.min(limit, total - start)) },
      (_, i) => start + i,
    )
    const end = start + items.length
    return { items, nextCursor: end < total ? String(end) : null }
  }
  return { fetchPage, requests }
}

describe('collectPages', () => {
  test('follows the cursor to the end', async () => {
    const server = fakeServer(250)
    const { items, isCut } = await collectPages(server.fetchPage)
    expect(items).toEqual(Array.from({ length: 250 }, (_, i) => i))
    expect(isCut).toBe(false)
    expect(server.requests).toEqual([
      { before: undefined, limit: 100 },
      { before: '100', limit: 100 },
      { before: '200', limit: 100 },
    ])
  })

  test('stops at the cap and says that rows were left out', async () => {
    const server = fakeServer(1_000)
    const { items, isCut } = await collectPages(server.fetchPage)
    expect(items).toHaveLength(500)
    expect(items.at(-1)).toBe(499)
    expect(isCut).toBe(true)
    expect(server.requests).toHaveLength(5)
  })

  test('exactly the cap is not cut', async () => {
    const { items, isCut } = await collectPages(fakeServer(500).fetchPage)
    expect(items).toHaveLength(500)
    expect(isCut).toBe(false)
  })

  test('an empty list is one request', async () => {
    const server = fakeServer(0)
    expect(await collectPages(server.fetchPage)).toEqual({ items: [], isCut: false })
    expect(server.requests).toHaveLength(1)
  })
})

describe('mapWithConcurrency', () => {
  test('keeps the order and never runs more than the limit at once', async () => {
    let running = 0
    let most = 0
    const results = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      running++
      most = Math.max(most, running)
      await new Promise((resolve) => setTimeout(resolve, n))
      running--
      return n * 10
    })
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60])
    expect(most).toBe(3)
  })
})
