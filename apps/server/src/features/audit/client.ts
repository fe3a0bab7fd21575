import type { FastifyRequest } from 'fastify'
import type { AuditClient } from './queries.js'

/** The address (behind a trusted proxy, the client's) and user agent a request came with. */
export function auditClient(request: FastifyRequest): AuditClient {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null }
}
