import fastifySwagger from '@fastify/swagger'
import Fastify from 'fastify'
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { loadConfig } from '../config.js'
import { requireAdmin, requireUser } from './auth.js'
import { documentRoutes, openApiOptions, operationIdOf } from './openapi.js'

type Operation = {
  operationId?: string
  security?: Array<Record<string, string[]>>
  responses: Record<string, { description?: string }>
}
type Document = {
  servers: Array<{ url: string }>
  info: { license: { url: string } }
  components: { securitySchemes: Record<string, { in: string; name: string }> }
  paths: Record<string, Record<string, Operation>>
}

const noop = () => ({})

/**
 * The document a client generator reads, for routes of every kind the API has: it must say
 * which credentials each route checks, since a client that leaves the CSRF header off a
 * state-changing request (or sends its session where none is needed) fails at run time.
 */
async function documentOf(env: Record<string, string> = {}): Promise<Document> {
  const app = Fastify().withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  await app.register(fastifySwagger, openApiOptions(loadConfig(env)))
  documentRoutes(app)
  await app.register(
    async (api) => {
      api.get('/health', noop)
      api.post('/auth/login/start', noop)
      api.get('/messages/inbox', { preHandler: requireUser }, noop)
      api.post('/messages', { preHandler: [requireUser] }, noop)
      api.get('/admin/users', { preHandler: requireAdmin }, noop)
      api.delete('/messages/:id', { preHandler: requireUser }, noop)
      api.get('/public/links/:id', noop)
      api.route({ method: ['PUT', 'GET'], url: '/vaults/:vaultId/items', handler: noop })
      api.get(
        '/setup',
        { schema: { response: { 200: z.object({ needsSetup: z.boolean() }) } } },
        noop,
      )
      api.post(
        '/auth/logout',
        { preHandler: requireUser, schema: { response: { 204: z.null() } } },
        noop,
      )
      api.get('/docs/extra', noop)
      api.get('/own', { schema: { operationId: 'ownName', security: [{ session: [] }] } }, noop)
    },
    { prefix: '/api' },
  )
  app.get('/s/:id', noop)
  await app.ready()
  const document = app.swagger() as unknown as Document
  await app.close()
  return document
}

function operation(document: Document, path: string, method: string): Operation {
  const found = document.paths[path]?.[method]
  if (!found) throw new Error(`${method} ${path} is not documented`)
  return found
}

describe('operation ids', () => {
  it('name the method and every path word, parameters as by-name, unique per route', () => {
    expect(operationIdOf('GET', '/api/vaults/:vaultId/items')).toBe('getVaultsByVaultIdItems')
    expect(operationIdOf('POST', '/api/account/recovery-code')).toBe('postAccountRecoveryCode')
    expect(operationIdOf('DELETE', '/api/messages/:id')).toBe('deleteMessagesById')
    // Only the leading /api/ goes: an inner "api" segment is a word of the path.
    expect(operationIdOf('GET', '/api/admin/api/keys')).toBe('getAdminApiKeys')
  })
})

describe('the OpenAPI document', () => {
  it('asks for the session and the CSRF header exactly where the routes check them', async () => {
    const document = await documentOf()
    const security = (path: string, method: string) => operation(document, path, method).security
    expect(security('/api/messages', 'post')).toEqual([{ session: [], csrf: [] }])
    expect(security('/api/messages/{id}', 'delete')).toEqual([{ session: [], csrf: [] }])
    expect(security('/api/messages/inbox', 'get')).toEqual([{ session: [] }])
    expect(security('/api/admin/users', 'get')).toEqual([{ session: [] }])
    expect(security('/api/auth/login/start', 'post')).toEqual([{ csrf: [] }])
    expect(security('/api/health', 'get')).toEqual([{}])
    // A route with more than one method is documented by its first.
    expect(security('/api/vaults/{vaultId}/items', 'put')).toEqual([{ csrf: [] }])
    // What a route says of itself stands.
    expect(operation(document, '/api/own', 'get')).toMatchObject({
      operationId: 'ownName',
      security: [{ session: [] }],
    })
    expect(operation(document, '/api/messages', 'post').operationId).toBe('postMessages')
  })

  it('names the cookie the server sets and the CSRF header, at the configured address', async () => {
    const tls = await documentOf({ SEALPOST_PUBLIC_URL: 'https://vault.example.org' })
    expect(tls.components.securitySchemes).toEqual({
      session: { type: 'apiKey', in: 'cookie', name: '__Host-sealpost' },
      csrf: { type: 'apiKey', in: 'header', name: 'x-sealpost-csrf' },
    })
    expect(tls.servers).toEqual([{ url: 'https://vault.example.org' }])
    expect(tls.info.license.url).toBe('https://vault.example.org/')
    const plain = await documentOf({ SEALPOST_PUBLIC_URL: 'http://vault.example.org' })
    expect(plain.components.securitySchemes.session?.name).toBe('sealpost')
  })

  it('lists the errors each kind of route can answer', async () => {
    const document = await documentOf()
    const statuses = (path: string, method: string) =>
      Object.keys(operation(document, path, method).responses)
    expect(statuses('/api/health', 'get')).toEqual(['200', '400', '429'])
    expect(statuses('/api/auth/login/start', 'post')).toEqual(['200', '400', '403', '429'])
    expect(statuses('/api/messages/inbox', 'get')).toEqual(['200', '400', '401', '404', '429'])
    expect(statuses('/api/messages', 'post')).toEqual(['200', '400', '401', '403', '404', '429'])
    // Administrators only: 403 on a read as well.
    expect(statuses('/api/admin/users', 'get')).toEqual(['200', '400', '401', '403', '404', '429'])
    // A path parameter can name nothing the caller may see, with or without a session.
    expect(statuses('/api/public/links/{id}', 'get')).toEqual(['200', '400', '404', '429'])
    const inbox = operation(document, '/api/messages/inbox', 'get').responses
    expect(inbox['401']?.description).toBe('Not signed in (`not_signed_in`)')
    expect(inbox['429']?.description).toBe('Too many requests (`rate_limited`), with Retry-After')
    expect(inbox['404']?.description).toBe(
      'Nothing the caller may see (`not_found`, `not_available`)',
    )
    expect(inbox['400']?.description).toBe(
      'Invalid input (`invalid_input` and the route’s own 400 codes)',
    )
    expect(operation(document, '/api/messages', 'post').responses['403']?.description).toMatch(
      /CSRF header/,
    )
  })

  it('keeps a route’s own success answer and describes the binary ones that have none', async () => {
    const document = await documentOf()
    const setup = operation(document, '/api/setup', 'get').responses['200'] as {
      description: string
      content: Record<string, { schema: { properties: Record<string, unknown> } }>
    }
    expect(Object.keys(setup.content['application/json']?.schema.properties ?? {})).toEqual([
      'needsSetup',
    ])
    // A route that answers 204 alone is not documented with a 200 it never sends.
    expect(Object.keys(operation(document, '/api/auth/logout', 'post').responses)).not.toContain(
      '200',
    )
    expect(operation(document, '/api/health', 'get').responses['200']?.description).toBe(
      'A binary or event-stream answer, as the summary says',
    )
  })

  it('leaves alone the pages and the documentation itself', async () => {
    const document = await documentOf()
    for (const path of ['/s/{id}', '/api/docs/extra']) {
      expect(operation(document, path, 'get')).not.toHaveProperty('security')
      expect(operation(document, path, 'get')).not.toHaveProperty('operationId')
    }
  })
})
