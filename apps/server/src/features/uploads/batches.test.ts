import {
  CHUNK_BYTES,
  CHUNKS_PER_REQUEST,
  CSRF_HEADER,
  frameChunks,
  SEALED_CHUNK_OVERHEAD,
} from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import { type Person, readFirstFile } from '../../test-support/messages.js'
import { committedChunks, stagedChunks } from '../../test-support/rows.js'
import { sealWithFile } from '../../test-support/sealed-send.js'

// The server never opens staged chunks, so any bytes of a sealed chunk's size do.
const sealedChunk = (fill: number, plainBytes = 10) =>
  new Uint8Array(plainBytes + SEALED_CHUNK_OVERHEAD).fill(fill)

describe.each(dialects)('uploads and downloads of many chunks a request on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person

  beforeEach(async () => {
    ;({
      server,
      admin,
      members: [bob],
    } = await startWithPeople(dialect, ['bob']))
  })
  afterEach(async () => {
    await server.close()
  })

  /** A raw PUT of `body` as bob's upload of chunks from `from` on. */
  function putChunks(blobId: string, from: number, body: Uint8Array) {
    return server.app.inject({
      method: 'PUT',
      url: `/api/uploads/${blobId}/chunks/${from}`,
      headers: {
        cookie: bob.api.session.cookie ?? '',
        [CSRF_HEADER]: bob.session.csrfToken,
        'content-type': 'application/octet-stream',
      },
      payload: Buffer.from(body),
    })
  }

  it('stages each chunk of a batch at its own index, from the one in the URL on', async () => {
    const blobId = crypto.randomUUID()
    await bob.api.uploadChunks(blobId, 5, [sealedChunk(1), sealedChunk(2), sealedChunk(3)])
    expect(
      (await stagedChunks(server.db, blobId)).map(({ index, bytes }) => [index, bytes[0]]),
    ).toEqual([
      [5, 1],
      [6, 2],
      [7, 3],
    ])
  })

  it('replaces a chunk uploaded again at its index and keeps the others', async () => {
    const blobId = crypto.randomUUID()
    await bob.api.uploadChunks(blobId, 0, [sealedChunk(1), sealedChunk(2), sealedChunk(3)])
    await bob.api.uploadChunks(blobId, 1, [sealedChunk(9, 20)])
    expect(
      (await stagedChunks(server.db, blobId)).map(({ index, bytes }) => [
        index,
        bytes[0],
        bytes.length,
      ]),
    ).toEqual([
      [0, 1, 10 + SEALED_CHUNK_OVERHEAD],
      [1, 9, 20 + SEALED_CHUNK_OVERHEAD],
      [2, 3, 10 + SEALED_CHUNK_OVERHEAD],
    ])
  })

  it('refuses a malformed batch with a clear error and stages none of it', async () => {
    const blobId = crypto.randomUUID()
    const whole = frameChunks([sealedChunk(1), sealedChunk(2)])
    const tooMany = frameChunks(
      Array.from({ length: CHUNKS_PER_REQUEST + 1 }, (_, i) => sealedChunk(i)),
    )
    const oversized = frameChunks([
      sealedChunk(1),
      new Uint8Array(CHUNK_BYTES + SEALED_CHUNK_OVERHEAD + 1),
    ])
    const tooSmall = frameChunks([sealedChunk(1), new Uint8Array(SEALED_CHUNK_OVERHEAD - 1)])
    for (const body of [
      new Uint8Array(0),
      whole.subarray(0, whole.length - 1),
      tooMany,
      oversized,
      tooSmall,
    ]) {
      const response = await putChunks(blobId, 0, body)
      expect(response.statusCode).toBe(400)
      const { error } = response.json<{ error: { code: string; message: string } }>()
      expect(error.code).toBe('invalid_input')
      expect(error.message).toContain('1 to 16 sealed chunks')
    }
    expect(await stagedChunks(server.db, blobId)).toEqual([])
    expect((await putChunks(blobId, 0, whole)).statusCode).toBe(204)
  })

  it('refuses a body that is not framed chunks, and uploads without a session', async () => {
    const blobId = crypto.randomUUID()
    const json = await server.app.inject({
      method: 'PUT',
      url: `/api/uploads/${blobId}/chunks/0`,
      headers: {
        cookie: bob.api.session.cookie ?? '',
        [CSRF_HEADER]: bob.session.csrfToken,
        'content-type': 'application/json',
      },
      payload: JSON.stringify({ chunks: [Array.from(sealedChunk(1))] }),
    })
    expect(json.statusCode).toBe(400)
    expect(json.json()).toMatchObject({ error: { code: 'invalid_input' } })

    const anonymous = await server.app.inject({
      method: 'PUT',
      url: `/api/uploads/${blobId}/chunks/0`,
      // Any CSRF value passes before sign-in: what answers is the missing session.
      headers: { 'content-type': 'application/octet-stream', [CSRF_HEADER]: 'none' },
      payload: Buffer.from(frameChunks([sealedChunk(1)])),
    })
    expect(anonymous.statusCode).toBe(401)
    const usage = await server.app.inject({ method: 'GET', url: '/api/uploads/usage' })
    expect(usage.statusCode).toBe(401)
    expect(await stagedChunks(server.db, blobId)).toEqual([])
  })

  it('refuses a batch that goes past the largest file’s last chunk, and stages none of it', async () => {
    await server.close()
    ;({
      server,
      admin,
      members: [bob],
    } = await startWithPeople(dialect, ['bob'], { env: { SEALPOST_MAX_FILE_MB: '0.2' } }))
    // The largest file, 0.2 MiB (3.2 chunks' worth), is sealed as chunks 0 to 3.
    const blobId = crypto.randomUUID()
    const chunks = (count: number) => Array.from({ length: count }, (_, i) => sealedChunk(i))
    for (const [from, count] of [
      [3, 2],
      [4, 1],
      [0, 5],
    ] as const) {
      const refused = await apiError(() => bob.api.uploadChunks(blobId, from, chunks(count)))
      expect(refused).toMatchObject({ status: 413, code: 'payload_too_large' })
      expect(refused.message).toContain('file is too large')
    }
    expect(await stagedChunks(server.db, blobId)).toEqual([])
    await bob.api.uploadChunks(blobId, 0, chunks(4))
    expect((await stagedChunks(server.db, blobId)).map((c) => c.index)).toEqual([0, 1, 2, 3])
  })

  it('refuses uploads to a file already sent, by its sender or anyone, and keeps it as sent', async () => {
    const file = new Uint8Array(CHUNK_BYTES + 100).fill(0x33)
    const sealed = await sealWithFile(admin, [bob], file, { now: server.clock.now() })
    await admin.api.uploadChunks(sealed.blobId, 0, sealed.chunks)
    await admin.api.putMessage(sealed.request)
    const forged = sealed.chunks[0]!.slice().fill(0x41)
    for (const person of [admin, bob]) {
      for (const index of [0, 2]) {
        const refused = await apiError(() =>
          person.api.uploadChunks(sealed.blobId, index, [forged]),
        )
        expect(refused).toMatchObject({ status: 409, code: 'file_exists' })
        expect(refused.message).toContain('already sent')
      }
    }
    expect(await stagedChunks(server.db, sealed.blobId)).toEqual([])
    expect(await committedChunks(server.db, sealed.blobId)).toEqual(
      sealed.chunks.map((bytes, index) => ({ index, bytes: Buffer.from(bytes) })),
    )
  })

  it('stages and sends an empty file: one chunk of nothing but the seal’s overhead', async () => {
    const sealed = await sealWithFile(admin, [bob], new Uint8Array(0), { now: server.clock.now() })
    expect(sealed.chunks.map((c) => c.length)).toEqual([SEALED_CHUNK_OVERHEAD])
    await admin.api.uploadChunks(sealed.blobId, 0, sealed.chunks)
    await admin.api.putMessage(sealed.request)
    const downloaded = await readFirstFile(bob, sealed.id, server.clock.now())
    expect(downloaded).toHaveLength(0)
  })

  it('counts a whole batch against the staging limit: one that would pass it stages nothing', async () => {
    await server.close()
    ;({
      server,
      admin,
      members: [bob],
    } = await startWithPeople(dialect, ['bob'], { env: { SEALPOST_MAX_STAGED_MB: '1' } }))
    const blobId = crypto.randomUUID()
    const full = () => sealedChunk(0, CHUNK_BYTES)
    const batch = Array.from({ length: CHUNKS_PER_REQUEST }, full)
    const refused = await apiError(() => bob.api.uploadChunks(blobId, 0, batch))
    expect(refused).toMatchObject({ status: 413, code: 'payload_too_large' })
    expect(refused.message).toContain('may total at most 1 MB')
    expect(await stagedChunks(server.db, blobId)).toEqual([])
    await bob.api.uploadChunks(blobId, 0, batch.slice(0, 15))
    expect(await stagedChunks(server.db, blobId)).toHaveLength(15)
  })

  it('answers a range of a file’s chunks in order, all of them or none', async () => {
    const file = new Uint8Array(3 * CHUNK_BYTES + 7).map((_, i) => i % 251)
    const sealed = await sealWithFile(admin, [bob], file, { now: server.clock.now() })
    await admin.api.uploadChunks(sealed.blobId, 0, sealed.chunks)
    await admin.api.putMessage(sealed.request)

    const middle = await bob.api.downloadChunks(sealed.id, sealed.blobId, 1, 2)
    expect(middle).toEqual([sealed.chunks[1], sealed.chunks[2]])
    // Past the last chunk: not a shorter answer that looks like a server dropping chunks.
    expect(
      await apiError(() => bob.api.downloadChunks(sealed.id, sealed.blobId, 2, 3)),
    ).toMatchObject({ status: 404, code: 'not_found' })
    expect(
      await apiError(() =>
        bob.api.downloadChunks(sealed.id, sealed.blobId, 0, CHUNKS_PER_REQUEST + 1),
      ),
    ).toMatchObject({ status: 400, code: 'invalid_input' })

    // And the whole file opens through the batched download.
    const downloaded = await readFirstFile(bob, sealed.id, server.clock.now())
    expect(Buffer.from(downloaded).equals(Buffer.from(file))).toBe(true)
  })
})
