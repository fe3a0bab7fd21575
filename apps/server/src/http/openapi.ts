import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger'
import { CSRF_HEADER, ErrorBody } from '@sealpost/core'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { jsonSchemaTransform } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Config } from '../config.js'
import { requireAdmin, requireUser, sessionCookieName } from './auth.js'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The served OpenAPI document's frame: servers, security schemes, licence. */
export function openApiOptions(config: Config): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      info: {
        title: 'Sealpost API',
        description:
          'End-to-end encrypted team vault. Every state-changing request needs the X-Sealpost-CSRF header: the csrfToken of the session, or any value before sign-in. Errors are `{ "error": { "code", "message" } }`; the codes are listed in packages/core/src/contracts/common.ts.',
        version: '1',
        license: { name: 'Proprietary', url: `${config.publicUrl}/` },
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: sessionCookieName(config.secureCookies) },
          csrf: { type: 'apiKey', in: 'header', name: CSRF_HEADER },
        },
      },
    },
    transform: jsonSchemaTransform,
  }
}

/** "GET /api/vaults/:vaultId/items" → "getVaultsByVaultIdItems": stable and unique per route. */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .replace(/^\/api\//, '')
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith(':') ? `by-${segment.slice(1)}` : segment))
    .flatMap((segment) => segment.split('-'))
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
  return method.toLowerCase() + words.join('')
}

const error = (description: string) => ErrorBody.describe(description)

/**
 * Documents every /api route from what it is: an operationId, the security it needs (the
 * session cookie, and the CSRF header on state-changing requests) and the error answers
 * its kind of route can give, all with the shared error body.
 */
export function documentRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const method = Array.isArray(route.method) ? route.method[0] : route.method
    if (!method || method === 'HEAD' || !route.url.startsWith('/api/')) return
    if (route.url.startsWith('/api/docs')) return
    const schema = (route.schema ??= {}) as Record<string, unknown>
    const preHandlers = [route.preHandler ?? []].flat()
    const signedIn = preHandlers.includes(requireUser) || preHandlers.includes(requireAdmin)
    const changes = !SAFE_METHODS.has(method)
    schema.operationId ??= operationIdOf(method, route.url)
    schema.security ??= signedIn
      ? [changes ? { session: [], csrf: [] } : { session: [] }]
      : changes
        ? [{ csrf: [] }]
        : [{}]
    const errors: Record<number, unknown> = {
      400: error('Invalid input (`invalid_input` and the route’s own 400 codes)'),
    }
    if (signedIn) errors[401] = error('Not signed in (`not_signed_in`)')
    if (changes || preHandlers.includes(requireAdmin)) {
      errors[403] = error(
        'Not allowed: missing or wrong CSRF header (`csrf_required`), administrators only, or a permission is off',
      )
    }
    if (route.url.includes(':') || signedIn) {
      errors[404] = error('Nothing the caller may see (`not_found`, `not_available`)')
    }
    errors[429] = error('Too many requests (`rate_limited`), with Retry-After')
    const given = (schema.response ?? {}) as Record<string, unknown>
    // Streams and binary answers (events, file chunks, link opens) have no JSON schema.
    const success = Object.keys(given).some((status) => status.startsWith('2'))
      ? {}
      : { 200: z.unknown().describe('A binary or event-stream answer, as the summary says') }
    schema.response = { ...errors, ...success, ...given }
  })
}
