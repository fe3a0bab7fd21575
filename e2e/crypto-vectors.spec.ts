import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { expect, test } from '@playwright/test'
import { build } from 'esbuild'

type VectorResult = { name: string; ok: boolean; detail?: string }

const RUNNER = fileURLToPath(
  new URL('../packages/core/src/crypto/vectors/run-vectors.ts', import.meta.url),
)

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>Sealpost crypto vectors</title>
<script type="module">
  import { runCryptoVectors } from '/run-vectors.js'
  window.runCryptoVectors = runCryptoVectors
</script>`

let server: Server
let origin: string

// The runner is bundled locally and served from 127.0.0.1, a secure context, so WebCrypto is
// available without TLS and the test needs neither the network nor the Sealpost server.
test.beforeAll(async () => {
  const bundle = await build({
    entryPoints: [RUNNER],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['sealpost-source'],
    write: false,
    logLevel: 'silent',
  })
  const [output] = bundle.outputFiles
  if (!output) throw new Error('esbuild produced no bundle')
  const script = output.text

  server = createServer((request, response) => {
    if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE)
    } else if (request.url === '/run-vectors.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script)
    } else {
      response.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

test.afterAll(async () => {
  await new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  )
})

test('every crypto known-answer vector passes in the browser', async ({ page }) => {
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))

  await page.goto(`${origin}/`)
  await page.waitForFunction(() => 'runCryptoVectors' in window)
  expect(await page.evaluate(() => window.isSecureContext)).toBe(true)

  const results = await page.evaluate(() =>
    (window as unknown as { runCryptoVectors: () => Promise<VectorResult[]> }).runCryptoVectors(),
  )

  expect(pageErrors).toEqual([])
  for (const primitive of ['AES-256-GCM', 'HKDF-SHA-256', 'X25519', 'Ed25519', 'HPKE']) {
    expect(
      results.some((r) => r.name.startsWith(`${primitive} `)),
      primitive,
    ).toBe(true)
  }
  for (const result of results) {
    expect.soft(result.ok, `${result.name}: ${result.detail ?? ''}`).toBe(true)
  }
})
