import { describe, expect, it } from 'vitest'
import { securityHeaders } from './http/security-headers.js'
import { rawRequest, startTestServer } from './test-support/harness.js'

describe('the HTTP surface', () => {
  it('serves the OpenAPI document with every route and the docs page', async () => {
    const server = await startTestServer('sqlite')
    try {
      const doc = await server.app.inject({ method: 'GET', url: '/api/docs/json' })
      expect(doc.statusCode).toBe(200)
      const paths = Object.keys(doc.json<{ paths: Record<string, unknown> }>().paths)
      for (const path of [
        '/api/setup/start',
        '/api/auth/login/start',
        '/api/admin/users',
        '/api/admin/users/{id}',
        '/api/invites/register/finish',
        '/api/messages/{id}',
        '/api/messages/inbox',
        '/api/events',
      ]) {
        expect(paths).toContain(path)
      }
      const page = await server.app.inject({ method: 'GET', url: '/api/docs/' })
      expect(page.statusCode).toBe(200)
      expect(page.headers['content-type']).toMatch(/text\/html/)
    } finally {
      await server.close()
    }
  })

  it('sends security headers that stop framing, sniffing and foreign scripts', async () => {
    const server = await startTestServer('sqlite')
    try {
      const res = await rawRequest(server.app, { method: 'GET', url: '/api/health' })
      const csp = String(res.headers['content-security-policy'])
      expect(csp).toContain("default-src 'self'")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/)
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['referrer-policy']).toBe('no-referrer')
    } finally {
      await server.close()
    }
  })

  it('sends the same security headers on refusals and unknown paths', async () => {
    const server = await startTestServer('sqlite')
    try {
      const health = await rawRequest(server.app, { method: 'GET', url: '/api/health' })
      // Refused by the /api scope's hook before any route runs: no CSRF header.
      const refused = await rawRequest(server.app, { method: 'POST', url: '/api/auth/logout' })
      expect(refused.status).toBe(403)
      const unknown = await rawRequest(server.app, { method: 'GET', url: '/api/no-such-route' })
      expect(unknown.status).toBe(404)
      for (const res of [refused, unknown]) {
        for (const name of ['content-security-policy', 'x-frame-options', 'referrer-policy']) {
          expect(res.headers[name], name).toBe(health.headers[name])
        }
      }
    } finally {
      await server.close()
    }
  })

  it('refuses to start with a Content-Security-Policy helmet rejects', () => {
    expect(() =>
      securityHeaders({ contentSecurityPolicy: { directives: { defaultSrc: ['self'] } } }),
    ).toThrow(/should be quoted/)
  })

  it('names the bad variable when the configuration is invalid', async () => {
    const { loadConfig } = await import('./config.js')
    expect(() => loadConfig({ SEALPOST_PORT: 'eighty' })).toThrow(/SEALPOST_PORT/)
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/)
    expect(() => loadConfig({ SEALPOST_LOG_LEVEL: 'loud' })).toThrow(/SEALPOST_LOG_LEVEL/)
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined()
    expect(loadConfig({ SEALPOST_PUBLIC_URL: 'https://vault.example.org/' }).secureCookies).toBe(
      true,
    )
  })
})
