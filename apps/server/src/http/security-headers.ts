import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import helmet, { type HelmetOptions } from 'helmet'

/**
 * Helmet's response headers for `options`, worked out once. Every answer carries the same
 * ones, yet @fastify/helmet called `helmet(options)` for each request, parsing the
 * Content-Security-Policy again every time: a sixth of the CPU `GET /api/health` used.
 * Helmet stays the one source of the values; it only sets them on a recorder here.
 */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader(name: string, value: string) {
      headers[name.toLowerCase()] = value
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()]
    },
  }
  // A bad option (a CSP directive helmet refuses) fails the start, as it did per request.
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    if (error instanceof Error) throw error
  })
  return headers
}

/** Sets the headers on every answer, error pages and the web app's files included. */
export function addSecurityHeaders(app: FastifyInstance, options: HelmetOptions): void {
  const headers = securityHeaders(options)
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers)
    done()
  })
}
