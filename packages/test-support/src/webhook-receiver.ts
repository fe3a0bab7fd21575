import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'

export type ReceivedWebhook = {
  headers: IncomingHttpHeaders
  /** The raw body, as signed. */
  body: string
  /** The body parsed: `{ type, timestamp, data }`. */
  json: { type: string; timestamp: string; data: Record<string, unknown> }
}

export type WebhookReceiver = {
  /** `http://127.0.0.1:<port>/hook`. */
  url: string
  /** Every request so far, in order of arrival. */
  received: ReceivedWebhook[]
  /** The next request that arrives (or the n-th, counting from 1, if it came already). */
  nth(n: number, timeoutMs?: number): Promise<ReceivedWebhook>
  close(): Promise<void>
}

/**
 * A real HTTP endpoint on loopback that records webhook deliveries. `answer` decides each
 * response's status (200 by default) and may wait (a slow endpoint, or a test acting while a
 * delivery is under way); it sees the request and how many came before it.
 */
export async function startWebhookReceiver(
  answer: (request: ReceivedWebhook, index: number) => number | Promise<number> = () => 200,
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = []
  const waiting: { n: number; resolve: (request: ReceivedWebhook) => void }[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const entry: ReceivedWebhook = {
        headers: request.headers,
        body,
        json: JSON.parse(body) as ReceivedWebhook['json'],
      }
      const index = received.push(entry) - 1
      for (const wait of waiting.filter((w) => w.n === received.length)) wait.resolve(entry)
      Promise.resolve(answer(entry, index)).then(
        (status) => response.writeHead(status, { 'content-type': 'text/plain' }).end('ok'),
        () => response.writeHead(500).end(),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    nth: (n, timeoutMs = 5000) => {
      const already = received[n - 1]
      if (already) return Promise.resolve(already)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`webhook ${n} did not arrive within ${timeoutMs} ms`)),
          timeoutMs,
        )
        waiting.push({
          n,
          resolve: (request) => {
            clearTimeout(timer)
            resolve(request)
          },
        })
      })
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * Verifies a delivery as a receiver would under Standard Webhooks, written apart from the
 * server's signer: HMAC-SHA256 over `id.timestamp.body`, keyed with the base64-decoded secret
 * after `whsec_`, compared with each `v1,` signature in the header.
 */
export function verifyWebhook(secret: string, delivery: ReceivedWebhook): boolean {
  const id = delivery.headers['webhook-id']
  const timestamp = delivery.headers['webhook-timestamp']
  const header = delivery.headers['webhook-signature']
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof header !== 'string') {
    return false
  }
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64')
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${delivery.body}`).digest()
  return header.split(' ').some((signature) => {
    const [version, value] = signature.split(',')
    if (version !== 'v1' || value === undefined) return false
    const given = Buffer.from(value, 'base64')
    return given.length === expected.length && timingSafeEqual(given, expected)
  })
}
