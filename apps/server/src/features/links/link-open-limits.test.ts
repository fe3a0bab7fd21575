import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { bytesSource, createLink, deriveLinkKeys, parseLinkUrl } from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setupAdmin } from '../../test-support/accounts.js'
import { dialects, startTestServer, type TestServer } from '../../test-support/harness.js'

/** Far more than socket buffers hold: an open whose reader stops stays in progress. */
const LINK_BYTES = 12 * 1024 * 1024

describe.each(dialects)('opens of a link in progress on %s', (dialect) => {
  let server: TestServer
  let origin: string

  beforeEach(async () => {
    server = await startTestServer(dialect, {
      env: { SEALPOST_LINK_OPENS_PER_LINK: '3', SEALPOST_LINK_OPENS_PER_IP: '2' },
    })
    await server.app.listen({ port: 0, host: '127.0.0.1' })
    origin = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`
  })
  afterEach(async () => {
    await server.close()
  })

  /** Opens the link from a loopback address; answers once the head arrives, reading no body. */
  function open(id: string, accessProof: string, from: string): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const request = http.request(`${origin}/api/public/links/${id}/open`, {
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: { 'content-type': 'application/json', 'x-sealpost-csrf': '1' },
      })
      request.once('response', resolve)
      request.once('error', reject)
      request.end(JSON.stringify({ accessProof }))
    })
  }

  /** Reads an answer to its end; the server has finished the open by then. */
  async function readToEnd(response: http.IncomingMessage): Promise<number> {
    let bytes = 0
    for await (const chunk of response) bytes += (chunk as Buffer).length
    return bytes
  }

  it('refuses opens past the per-link and per-address limits with 429 until one ends', async () => {
    const admin = await setupAdmin(server)
    const { id, url } = await createLink(admin.api, {
      origin: 'http://sealpost.test',
      account: admin.account,
      text: 'large',
      files: [bytesSource('big.bin', 'application/octet-stream', new Uint8Array(LINK_BYTES))],
      expiresAt: new Date(server.clock.now().getTime() + 3_600_000).toISOString(),
      maxViews: 10,
    })
    const { accessProof } = await deriveLinkKeys(parseLinkUrl(url).secret)

    // Two slow readers from one address use up that address.
    const held = [
      await open(id, accessProof, '127.0.0.1'),
      await open(id, accessProof, '127.0.0.1'),
    ]
    expect(held.map((r) => r.statusCode)).toEqual([200, 200])
    const perAddress = await open(id, accessProof, '127.0.0.1')
    expect(perAddress.statusCode).toBe(429)
    expect(Number(perAddress.headers['retry-after'])).toBeGreaterThan(0)
    await readToEnd(perAddress)

    // A third from elsewhere uses up the link.
    held.push(await open(id, accessProof, '127.0.0.2'))
    expect(held[2]?.statusCode).toBe(200)
    const perLink = await open(id, accessProof, '127.0.0.3')
    expect(perLink.statusCode).toBe(429)
    await readToEnd(perLink)

    // Once one reader is done, its place is free again; the refusals spent no view.
    expect(await readToEnd(held[0]!)).toBeGreaterThan(LINK_BYTES)
    const after = await open(id, accessProof, '127.0.0.3')
    expect(after.statusCode).toBe(200)
    for (const response of [...held.slice(1), after]) await readToEnd(response)
    const row = await server.db
      .selectFrom('links')
      .select(['views', 'readers'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ views: 4, readers: 0 })
  })
})
