import {
  bytesSource,
  CHUNK_BYTES,
  createLink,
  deriveLinkKeys,
  parseLinkUrl,
  readLinkFrames,
} from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setupAdmin } from '../../test-support/accounts.js'
import { dialects, startTestServer, type TestServer } from '../../test-support/harness.js'
import { linkContentRows } from '../../test-support/rows.js'
import { sweep } from '../sweeper/sweeper.js'

const ORIGIN = 'http://sealpost.test'
const CONCURRENT_OPENS = 12

describe.each(dialects)('concurrent opens of a link on %s', (dialect) => {
  let server: TestServer

  beforeEach(async () => {
    // Room for every open at once: this is about the views, not the concurrency limit.
    server = await startTestServer(dialect, {
      env: { SEALPOST_LINK_OPENS_PER_LINK: '16', SEALPOST_LINK_OPENS_PER_IP: '16' },
    })
  })
  afterEach(async () => {
    await server.close()
  })

  it.each([2, 3, 5])(
    'lets exactly %i of 12 concurrent opens in, and the last one leaves nothing behind',
    async (maxViews) => {
      const admin = await setupAdmin(server)
      const { id, url } = await createLink(admin.api, {
        origin: ORIGIN,
        account: admin.account,
        text: 'one of a few',
        files: [bytesSource('a.bin', 'application/octet-stream', new Uint8Array(CHUNK_BYTES + 1))],
        expiresAt: new Date(server.clock.now().getTime() + 3_600_000).toISOString(),
        maxViews,
      })
      const { accessProof } = await deriveLinkKeys(parseLinkUrl(url).secret)
      // Straight to open, all at once: the reveal step would only spread the requests out.
      const answers = await Promise.all(
        Array.from({ length: CONCURRENT_OPENS }, (_, i) =>
          server.app.inject({
            method: 'POST',
            url: `/api/public/links/${id}/open`,
            headers: { 'x-sealpost-csrf': '1' },
            payload: { accessProof },
            remoteAddress: `198.51.100.${i + 1}`,
          }),
        ),
      )

      const opened = answers
        .filter((a) => a.statusCode === 200)
        .map((a) => readLinkFrames(new Uint8Array(a.rawPayload)).head)
      expect(opened.map((o) => o.views).sort((a, b) => a - b)).toEqual(
        Array.from({ length: maxViews }, (_, i) => i + 1),
      )
      expect(opened.filter((o) => o.deleted)).toHaveLength(1)
      for (const refused of answers.filter((a) => a.statusCode !== 200)) {
        expect(refused.statusCode).toBe(404)
        expect(refused.json()).toMatchObject({ error: { code: 'not_available' } })
      }
      expect(await linkContentRows(server.db, id)).toEqual({ sealed: 0, blobs: 0, chunks: 0 })
    },
  )

  it('sweeps a used-up link whose other reader died mid-read, once the read window is over', async () => {
    const admin = await setupAdmin(server)
    const { id, url } = await createLink(admin.api, {
      origin: ORIGIN,
      account: admin.account,
      text: 'two views',
      files: [bytesSource('a.bin', 'application/octet-stream', new Uint8Array(10))],
      expiresAt: new Date(server.clock.now().getTime() + 24 * 3_600_000).toISOString(),
      maxViews: 2,
    })
    const { accessProof } = await deriveLinkKeys(parseLinkUrl(url).secret)
    const open = () =>
      server.app.inject({
        method: 'POST',
        url: `/api/public/links/${id}/open`,
        headers: { 'x-sealpost-csrf': '1' },
        payload: { accessProof },
      })
    expect((await open()).statusCode).toBe(200)
    // As if another process had begun streaming a view and was killed before it ended.
    await server.db
      .updateTable('links')
      .set((eb) => ({ readers: eb('readers', '+', 1) }))
      .where('id', '=', id)
      .execute()
    expect((await open()).statusCode).toBe(200)
    await sweep(server.app.ctx)
    expect(await linkContentRows(server.db, id)).toEqual({ sealed: 1, blobs: 1, chunks: 1 })
    expect((await open()).statusCode).toBe(404)

    server.clock.advance(3_600_000)
    await sweep(server.app.ctx)
    expect(await linkContentRows(server.db, id)).toEqual({ sealed: 0, blobs: 0, chunks: 0 })
  })
})
