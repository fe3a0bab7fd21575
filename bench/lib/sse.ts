// Many cheap GET /api/events clients: each notes when `message.created` for a
// message id reaches it (performance.now() when its chunk was read).

export class Receipts {
  /** Per message id: the arrival time at each stream that got it. */
  readonly times = new Map<string, number[]>()
  readonly #waiters = new Set<() => void>()

  record(id: string, at: number) {
    let list = this.times.get(id)
    if (!list) this.times.set(id, (list = []))
    list.push(at)
    for (const wake of [...this.#waiters]) wake()
  }

  /** Resolves with the arrival times once `count` streams have `id`, or after `timeoutMs`. */
  waitFor(id: string, count: number, timeoutMs: number): Promise<number[]> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer)
        this.#waiters.delete(check)
        resolve(this.times.get(id) ?? [])
      }
      const check = () => {
        if ((this.times.get(id)?.length ?? 0) >= count) finish()
      }
      const timer = setTimeout(finish, timeoutMs)
      this.#waiters.add(check)
      check()
    })
  }
}

export type Stream = { close(): void }

/** Opens one event stream with `cookie`; resolves once the server has answered 200. */
export async function openStream(
  origin: string,
  cookie: string,
  receipts: Receipts,
): Promise<Stream> {
  const controller = new AbortController()
  const response = await fetch(`${origin}/api/events`, {
    headers: { cookie, accept: 'text/event-stream' },
    signal: controller.signal,
  })
  if (!response.ok || !response.body) {
    controller.abort()
    throw new Error(`GET /api/events answered ${response.status}`)
  }
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  void (async () => {
    let buffer = ''
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        const at = performance.now()
        buffer += decoder.decode(value, { stream: true })
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          if (!block.includes('event: message.created')) continue
          const data = /^data: (.*)$/m.exec(block)?.[1]
          if (data) receipts.record((JSON.parse(data) as { id: string }).id, at)
        }
      }
    } catch {
      // Aborted by close().
    }
  })()
  return { close: () => controller.abort() }
}
