import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { gunzipSync, brotliDecompressSync, brotliCompressSync, gzipSync } from 'node:zlib'
import { opaqueReady, opaqueServer } from '@sealpost/core'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../app.js'
import { loadConfig } from '../config.js'
import { migrateToLatest, openDatabase } from '../db/database.js'
import { registerWebApp } from './web-app.js'

// A built web app in miniature: the two HTML entries, a hashed asset with the .br and .gz copies
// the build writes beside it, and a file whose name stays (favicon.svg).
const APP_HTML =
  '<!doctype html><title>app</title><script type="module" src="/assets/app-1a2b3c.js"></script>'
const PUBLIC_HTML =
  '<!doctype html><title>public</title><script type="module" src="/assets/public-4d5e6f.js"></script>'
const SCRIPT = `export const words = ${JSON.stringify('sealed '.repeat(400))}\n`
const LINK_ID = 'AbCdEfGhIjKlMnOpQrStUv'

let root: string

function write(file: string, text: string, compressed = true) {
  const full = path.join(root, file)
  fs.mkdirSync(path.dirname(full), { recursive: true })
  fs.writeFileSync(full, text)
  if (!compressed) return
  fs.writeFileSync(`${full}.br`, brotliCompressSync(text))
  fs.writeFileSync(`${full}.gz`, gzipSync(text))
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sealpost-web-'))
  write('index.html', APP_HTML)
  write('public.html', PUBLIC_HTML)
  write('assets/app-1a2b3c.js', SCRIPT)
  write('assets/public-4d5e6f.js', SCRIPT)
  write('favicon.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>', false)
})

afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

async function webApp(): Promise<FastifyInstance> {
  const app = Fastify()
  await registerWebApp(app, root)
  await app.ready()
  return app
}

describe('serving the built web app', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await webApp()
  })
  afterAll(() => app.close())

  it('sends the brotli copy of a hashed asset to a browser that takes it, cached for a year', async () => {
    const res = await app.inject({
      url: '/assets/app-1a2b3c.js',
      headers: { 'accept-encoding': 'gzip, deflate, br, zstd' },
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-encoding']).toBe('br')
    expect(res.headers['content-type']).toMatch(/javascript/)
    expect(res.headers.vary).toMatch(/accept-encoding/i)
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(brotliDecompressSync(res.rawPayload).toString()).toBe(SCRIPT)
  })

  it('sends the gzip copy when gzip is all the client takes', async () => {
    const res = await app.inject({
      url: '/assets/app-1a2b3c.js',
      headers: { 'accept-encoding': 'gzip' },
    })
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(res.headers.vary).toMatch(/accept-encoding/i)
    expect(gunzipSync(res.rawPayload).toString()).toBe(SCRIPT)
  })

  it('sends the file itself (identity) to a request without Accept-Encoding', async () => {
    const res = await app.inject({ url: '/assets/app-1a2b3c.js' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(res.headers.vary).toMatch(/accept-encoding/i)
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(res.body).toBe(SCRIPT)
  })

  it('has the HTML revalidated on every load, answering 304 to a matching ETag', async () => {
    const first = await app.inject({ url: '/', headers: { 'accept-encoding': 'br' } })
    expect(first.statusCode).toBe(200)
    expect(first.headers['cache-control']).toBe('no-cache')
    expect(first.headers['content-type']).toMatch(/^text\/html/)
    expect(first.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(first.rawPayload).toString()).toBe(APP_HTML)
    const etag = String(first.headers.etag)
    expect(etag).not.toBe('undefined')
    const again = await app.inject({
      url: '/',
      headers: { 'accept-encoding': 'br', 'if-none-match': etag },
    })
    expect(again.statusCode).toBe(304)
    expect(again.body).toBe('')
  })

  it('revalidates files whose name stays (ETag, 304) instead of caching them blindly', async () => {
    const first = await app.inject({ url: '/favicon.svg' })
    expect(first.headers['cache-control']).toBe('no-cache')
    const again = await app.inject({
      url: '/favicon.svg',
      headers: { 'if-none-match': String(first.headers.etag) },
    })
    expect(again.statusCode).toBe(304)
  })

  it("serves the app's index.html for client routes", async () => {
    // Only a first segment of s or r is a public page: /vault/r/… is the app's.
    for (const url of [
      '/',
      '/vault/v1/i2',
      '/vault/r/i2',
      '/messages/inbox',
      '/admin/users',
      '/invite',
    ]) {
      const res = await app.inject({ url })
      expect(res.statusCode, url).toBe(200)
      expect(res.body, url).toBe(APP_HTML)
      expect(res.headers['cache-control'], url).toBe('no-cache')
    }
  })

  it('serves the public entry for shareable links and requests', async () => {
    for (const url of [`/s/${LINK_ID}`, `/r/${LINK_ID}`, `/s/${LINK_ID}?utm_source=mail`]) {
      const res = await app.inject({ url })
      expect(res.statusCode, url).toBe(200)
      expect(res.headers['content-type'], url).toMatch(/^text\/html/)
      expect(res.body, url).toBe(PUBLIC_HTML)
      expect(res.headers['cache-control'], url).toBe('no-cache')
    }
    const compressed = await app.inject({
      url: `/s/${LINK_ID}`,
      headers: { 'accept-encoding': 'gzip' },
    })
    expect(compressed.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(compressed.rawPayload).toString()).toBe(PUBLIC_HTML)
    // A HEAD, as an uptime check or a link previewer might send.
    const head = await app.inject({ method: 'HEAD', url: `/r/${LINK_ID}` })
    expect(head.statusCode).toBe(200)
  })

  it('answers unknown API addresses and other methods with the JSON 404', async () => {
    for (const request of [
      { method: 'GET' as const, url: '/api/nothing-here' },
      { method: 'POST' as const, url: `/s/${LINK_ID}` },
    ]) {
      const res = await app.inject(request)
      expect(res.statusCode, request.url).toBe(404)
      expect(res.json(), request.url).toEqual({
        error: { code: 'not_found', message: 'not found' },
      })
    }
  })

  it('answers every address with the JSON 404 when there is no web build', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'sealpost-web-'))
    const bare = Fastify()
    try {
      await registerWebApp(bare, empty)
      for (const url of ['/', '/messages/inbox', `/s/${LINK_ID}`]) {
        const res = await bare.inject({ url })
        expect(res.statusCode, url).toBe(404)
        expect(res.json(), url).toEqual({ error: { code: 'not_found', message: 'not found' } })
      }
    } finally {
      await bare.close()
      fs.rmSync(empty, { recursive: true, force: true })
    }
  })

  it('serves the app for the public pages when a build has no public entry', async () => {
    const only = fs.mkdtempSync(path.join(os.tmpdir(), 'sealpost-web-'))
    fs.writeFileSync(path.join(only, 'index.html'), APP_HTML)
    const older = Fastify()
    try {
      await registerWebApp(older, only)
      const res = await older.inject({ url: `/s/${LINK_ID}` })
      expect(res.body).toBe(APP_HTML)
    } finally {
      await older.close()
      fs.rmSync(only, { recursive: true, force: true })
    }
  })
})

describe('the whole server with the web app', () => {
  it('keeps the strict Content-Security-Policy on both HTML entries', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealpost-test-'))
    const { db } = openDatabase({ dataDir })
    await migrateToLatest(db)
    await opaqueReady
    const app = await buildApp({
      config: loadConfig({
        SEALPOST_DATA_DIR: dataDir,
        SEALPOST_PUBLIC_URL: 'http://sealpost.test',
      }),
      db,
      dialect: 'sqlite',
      opaqueServerSetup: opaqueServer.createSetup(),
      webRoot: root,
    })
    try {
      for (const [url, html] of [
        ['/', APP_HTML],
        [`/s/${LINK_ID}`, PUBLIC_HTML],
        [`/r/${LINK_ID}`, PUBLIC_HTML],
      ] as const) {
        const res = await app.inject({ url })
        expect(res.body, url).toBe(html)
        const csp = String(res.headers['content-security-policy'])
        expect(csp, url).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/)
      }
      const api = await app.inject({ url: '/api/health' })
      expect(api.json()).toEqual({ status: 'ok' })
    } finally {
      await app.close()
      await db.destroy()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
