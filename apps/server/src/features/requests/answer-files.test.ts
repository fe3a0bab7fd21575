import {
  answerRequest,
  chunkCountFor,
  createContentKey,
  deriveRequestKeys,
  parseRequestUrl,
  sealAnswer,
  sealChunk,
} from '@sealpost/core'
import { afterEach, describe, expect, it } from 'vitest'
import { apiError, inviteAndAccept, setupAdmin } from '../../test-support/accounts.js'
import { dialects, startTestServer, type TestServer } from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'
import { createRequestOf, fileBytes, fileOf, HOUR, visitor } from '../../test-support/requests.js'
import { stagedChunks } from '../../test-support/rows.js'

const MIB = 1024 * 1024

describe.each(dialects)('files of answers on %s', (dialect) => {
  let server: TestServer
  let bob: Person
  const now = () => server.clock.now()

  async function start(env: Record<string, string> = {}) {
    server = await startTestServer(dialect, { env })
    const admin = await setupAdmin(server)
    bob = await inviteAndAccept(server, admin.api, 'bob')
  }
  afterEach(async () => {
    await server.close()
  })

  /** One file sealed for an answer to `url`, its chunks staged by a visitor; then its commit. */
  async function stagedAnswer(url: string, bytes: Uint8Array<ArrayBuffer>) {
    const { secret, fingerprint } = parseRequestUrl(url)
    const keys = await deriveRequestKeys(secret)
    const contentKey = await createContentKey()
    const blobId = crypto.randomUUID()
    const chunkCount = chunkCountFor(bytes.length)
    const stranger = visitor(server)
    for (let i = 0; i < chunkCount; i++) {
      const plain = bytes.slice(i * 65536, (i + 1) * 65536)
      const sealed = await sealChunk(contentKey.key, blobId, i, i === chunkCount - 1, plain)
      await stranger.uploadAnswerChunk(keys.id, keys.accessProof, blobId, i, sealed)
    }
    const id = crypto.randomUUID()
    const sentAt = now()
    const answer = await sealAnswer({
      keys,
      fingerprint,
      requester: { id: bob.session.user.id, x25519PublicKey: bob.session.keys.x25519PublicKey },
      id,
      sentAt: sentAt.toISOString(),
      expiresAt: new Date(sentAt.getTime() + 30 * 24 * HOUR).toISOString(),
      text: 'with a file',
      attachments: [{ blobId, name: 'f.bin', type: 'x/y', size: bytes.length, chunkCount }],
      contentKey,
    })
    const body = { accessProof: keys.accessProof as never, answer }
    return { id, blobId, keys, commit: () => stranger.putAnswer(keys.id, id, body) }
  }

  it('commits a retried answer once', async () => {
    await start()
    const request = await createRequestOf(server, bob, { maxAnswers: 3 })
    const staged = await stagedAnswer(request.url, fileBytes(70_000))
    expect(await staged.commit()).toEqual({ id: staged.id })
    expect(await staged.commit()).toEqual({ id: staged.id })
    expect((await bob.api.getRequest(request.id)).answers).toBe(1)
    expect((await bob.api.inbox()).items.map((row) => row.id)).toEqual([staged.id])
  })

  it('keeps a visitor’s upload to its request: the requester cannot overwrite or reuse it', async () => {
    await start()
    const request = await createRequestOf(server, bob)
    const staged = await stagedAnswer(request.url, fileBytes(100))
    const before = await stagedChunks(server.db, staged.blobId)
    expect(before.map((c) => c.ownerId)).toEqual([bob.session.user.id])
    expect(
      await apiError(() => bob.api.uploadChunks(staged.blobId, 0, [new Uint8Array(200)])),
    ).toMatchObject({ status: 404, code: 'not_found' })
    expect(await stagedChunks(server.db, staged.blobId)).toEqual(before)
    // Nor send it as a file of their own (its owner is them, its scope the request).
    const linkId = (await deriveRequestKeys(crypto.getRandomValues(new Uint8Array(32)))).id
    const asOwn = await apiError(() =>
      bob.api.putLink(linkId, {
        accessVerifier: staged.keys.accessVerifier as never,
        passphrase: null,
        payload: { v: 1, iv: 'AAAAAAAAAAAAAAAA' as never, ct: 'AAAAAAAAAAAAAAAAAAAAAA' as never },
        files: [{ blobId: staged.blobId, size: 100, chunkCount: 1 }],
        expiresAt: new Date(now().getTime() + HOUR).toISOString(),
        maxViews: 1,
        label: null,
      }),
    )
    expect(asOwn).toMatchObject({ status: 400, code: 'invalid_input' })
    expect(asOwn.message).toMatch(/not been uploaded completely/)
    // Nor can a visitor of another request commit it.
    const other = await createRequestOf(server, bob)
    const keys = await deriveRequestKeys(parseRequestUrl(other.url).secret)
    const sealed = await sealChunk(
      (await createContentKey()).key,
      staged.blobId,
      0,
      true,
      fileBytes(5),
    )
    expect(
      await apiError(() =>
        visitor(server).uploadAnswerChunk(keys.id, keys.accessProof, staged.blobId, 0, sealed),
      ),
    ).toMatchObject({ status: 404 })
    expect(await staged.commit()).toEqual({ id: staged.id })
  })

  it('refuses an answer’s chunk past the largest file’s last one, and stages nothing', async () => {
    await start({ SEALPOST_MAX_FILE_MB: '0.2' })
    const request = await createRequestOf(server, bob)
    const keys = await deriveRequestKeys(parseRequestUrl(request.url).secret)
    const stranger = visitor(server)
    const blobId = crypto.randomUUID()
    // The server never opens a staged chunk; the largest file, 0.2 MiB, is chunks 0 to 3.
    const chunk = new Uint8Array(100).fill(3)
    const refused = await apiError(() =>
      stranger.uploadAnswerChunk(keys.id, keys.accessProof, blobId, 4, chunk),
    )
    expect(refused).toMatchObject({ status: 413, code: 'payload_too_large' })
    expect(refused.message).toContain('file is too large')
    expect(await stagedChunks(server.db, blobId)).toEqual([])
    await stranger.uploadAnswerChunk(keys.id, keys.accessProof, blobId, 3, chunk)
    expect((await stagedChunks(server.db, blobId)).map((c) => c.index)).toEqual([3])
  })

  it('refuses files for a request that takes none', async () => {
    await start()
    const request = await createRequestOf(server, bob, { allowFiles: false })
    expect(
      await apiError(() =>
        answerRequest(visitor(server), request.url, {
          text: 'x',
          files: [fileOf('a.bin', fileBytes(10))],
          now,
        }),
      ),
    ).toMatchObject({ status: 403, code: 'forbidden' })
    await answerRequest(visitor(server), request.url, { text: 'text alone', now })
  })

  it('counts answers against the requester’s storage quota', async () => {
    await start({ SEALPOST_USER_QUOTA_MB: '1' })
    const request = await createRequestOf(server, bob, { maxAnswers: 5 })
    await answerRequest(visitor(server), request.url, {
      text: 'first',
      files: [fileOf('a.bin', fileBytes(0.6 * MIB))],
      now,
    })
    const refused = await apiError(() =>
      answerRequest(visitor(server), request.url, {
        text: 'second',
        files: [fileOf('b.bin', fileBytes(0.6 * MIB))],
        now,
      }),
    )
    expect(refused).toMatchObject({ status: 413, code: 'quota_exceeded' })
    expect((await bob.api.getRequest(request.id)).answers).toBe(1)
    // A text answer takes no storage.
    await answerRequest(visitor(server), request.url, { text: 'third', now })
  })

  it('refuses an upload without the access proof like any wrong one', async () => {
    await start()
    const request = await createRequestOf(server, bob)
    const response = await server.app.inject({
      method: 'PUT',
      url: `/api/public/requests/${request.id}/uploads/${crypto.randomUUID()}/chunks/0`,
      headers: { 'x-sealpost-csrf': '1', 'content-type': 'application/octet-stream' },
      payload: Buffer.alloc(100, 1),
    })
    expect(response.statusCode).toBe(404)
    expect(response.json()).toEqual({
      error: { code: 'not_available', message: 'This request is not available' },
    })
  })
})
