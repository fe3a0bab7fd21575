import http from 'node:http'
import https from 'node:https'
import type { FetchLike, FetchLikeResponse } from '@sealpost/core'

/**
 * The API client's transport over `node:http`: Node's `fetch` loads undici on first use and a
 * finished command then waits for it to wind down, about 0.2 s of every `sealpost` run. The
 * default agents keep connections alive within a run (a file's chunks reuse one) and let the
 * process exit as soon as the command is done.
 */
export const httpFetch: FetchLike = (url, init) =>
  new Promise<FetchLikeResponse>((resolve, reject) => {
    const target = new URL(url)
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      { method: init.method, headers: init.headers },
      (response) => resolve(answer(response)),
    )
    request.on('error', reject)
    request.end(init.body)
  })

/**
 * The response, read from the start: a caller that ignores a body (an upload's answer) would
 * otherwise hold its socket, and the process, open. Asking for `body` streams the rest with
 * backpressure (the audit export).
 */
function answer(response: http.IncomingMessage): FetchLikeResponse {
  const status = response.statusCode ?? 0
  const received: Buffer[] = []
  const keep = (chunk: Buffer) => received.push(chunk)
  response.on('data', keep)
  const ended = new Promise<void>((resolve, reject) => {
    response.on('end', resolve)
    response.on('error', reject)
  })
  // Reported by whoever reads the body; never an unhandled rejection.
  ended.catch(() => {})
  let stream: ReadableStream<Uint8Array> | undefined
  const streamRest = () => {
    response.off('data', keep)
    response.pause()
    const rest = response[Symbol.asyncIterator]()
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        const early = received.shift()
        if (early) return controller.enqueue(early)
        const next = await rest.next()
        if (next.done) controller.close()
        else controller.enqueue(next.value as Buffer)
      },
      cancel: () => void response.destroy(),
    })
  }
  const whole = async () => {
    await ended
    return Buffer.concat(received)
  }
  return {
    ok: status >= 200 && status < 300,
    status,
    headers: {
      // Like fetch's Headers: one value, repeated headers joined by ", ".
      get: (name) => {
        const value = response.headers[name.toLowerCase()]
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
      },
    },
    get body() {
      stream ??= streamRest()
      return stream
    },
    text: async () => (await whole()).toString('utf8'),
    arrayBuffer: async () => new Uint8Array(await whole()).buffer,
  }
}
