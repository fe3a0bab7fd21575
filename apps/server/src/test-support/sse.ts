import type { LiveEvent } from '@sealpost/core'

export type ReceivedEvent = { id: number; type: string; data: LiveEvent }

/** An open /api/events stream that collects events as they arrive. */
export async function openEventStream(url: string, cookie: string, lastEventId?: number) {
  const controller = new AbortController()
  const headers: Record<string, string> = { cookie, accept: 'text/event-stream' }
  if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId)
  const response = await fetch(`${url}/api/events`, { headers, signal: controller.signal })
  const events: ReceivedEvent[] = []
  const waiters: Array<() => void> = []
  let buffer = ''
  let markEnded: () => void = () => undefined
  const ended = new Promise<void>((resolve) => (markEnded = resolve))
  if (response.ok && response.body) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          buffer += value
          let end: number
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            const fields = Object.fromEntries(
              block
                .split('\n')
                .filter((line) => !line.startsWith(':') && line.includes(': '))
                .map((line) => [
                  line.slice(0, line.indexOf(': ')),
                  line.slice(line.indexOf(': ') + 2),
                ]),
            )
            if (fields.event && fields.data) {
              events.push({
                id: Number(fields.id),
                type: fields.event,
                data: JSON.parse(fields.data) as LiveEvent,
              })
              waiters.splice(0).forEach((wake) => wake())
            }
          }
        }
      } catch {
        // aborted
      }
      markEnded()
    })()
  }
  return {
    status: response.status,
    events,
    /** Resolves with the first event matching `predicate`; fails after `withinMs`. */
    async next(predicate: (e: ReceivedEvent) => boolean, withinMs = 5000): Promise<ReceivedEvent> {
      const deadline = Date.now() + withinMs
      for (;;) {
        const found = events.find(predicate)
        if (found) return found
        const left = deadline - Date.now()
        if (left <= 0) {
          throw new Error(`no matching event within ${withinMs} ms; got ${JSON.stringify(events)}`)
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left)
          waiters.push(() => {
            clearTimeout(timer)
            resolve()
          })
        })
      }
    },
    /** Resolves when the server ends the stream (or it is closed here). */
    ended,
    close: () => controller.abort(),
  }
}
