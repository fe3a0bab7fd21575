import { CHUNK_BYTES, SEALED_CHUNK_OVERHEAD, SealedEnvelope } from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'
import { committedChunks, stagedChunks } from '../../test-support/rows.js'

// The server never opens staged chunks or vault payloads, so any bytes of the right sizes do.
const sealedChunk = (plainBytes: number) =>
  new Uint8Array(plainBytes + SEALED_CHUNK_OVERHEAD).fill(9)
const payload = SealedEnvelope.parse({ v: 1, iv: 'AAAAAAAAAAAAAAAA', ct: 'AAAAAAAAAAAAAAAAAAAAAA' })
const MiB = 1024 * 1024
// 0.2 MiB: 3 whole chunks and 13,107 bytes more. 0.3 MiB for all files of one item together.
const MAX_FILE = Math.floor(0.2 * MiB)
const MAX_FILES_TOGETHER = Math.floor(0.3 * MiB)

/** The plaintext sizes of the chunks of a file of `size` bytes, as a client seals them. */
const chunkSizes = (size: number) =>
  Array.from({ length: Math.max(1, Math.ceil(size / CHUNK_BYTES)) }, (_, i) =>
    Math.min(CHUNK_BYTES, size - i * CHUNK_BYTES),
  )

// Files reach the vault, messages, links and answers through one check of what was staged
// (verifyStagedFiles); a vault item names its files in clear, so it can declare anything.
describe.each(dialects)('committing staged files on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person
  let vaultId: string

  beforeEach(async () => {
    ;({
      server,
      admin,
      members: [bob],
    } = await startWithPeople(dialect, ['bob'], {
      env: {
        SEALPOST_MAX_FILE_MB: '0.2',
        SEALPOST_MAX_MESSAGE_MB: '0.3',
        SEALPOST_MAX_STAGED_MB: '2',
      },
    }))
    vaultId = (await bob.api.listVaults()).vaults[0]!.id
  })
  afterEach(async () => {
    await server.close()
  })

  /** Stages one sealed chunk per plaintext size, at indices from `from` on, as `person`. */
  async function stage(blobId: string, sizes: number[], from = 0, person = bob) {
    await person.api.uploadChunks(blobId, from, sizes.map(sealedChunk))
  }

  /** A new vault entry of bob's with `files`. */
  function putEntry(files: Array<{ blobId: string; size: number; chunkCount: number }>) {
    return bob.api.putItem(vaultId, crypto.randomUUID(), {
      parentId: null,
      kind: 'entry',
      payload,
      baseRevision: 0,
      files,
    })
  }

  const storedItems = async () => (await bob.api.vaultItems(vaultId)).items.length

  it('commits a file staged whole as declared, and refuses one missing, moved or resized', async () => {
    const size = CHUNK_BYTES + 100
    const missing = crypto.randomUUID()
    await stage(missing, [CHUNK_BYTES])
    // Both chunks, one index too far on: as many chunks and bytes as declared.
    const moved = crypto.randomUUID()
    await stage(moved, chunkSizes(size), 1)
    // Both chunks in place, one byte short of the declared size.
    const resized = crypto.randomUUID()
    await stage(resized, [CHUNK_BYTES, 99])
    for (const blobId of [missing, moved, resized]) {
      const refused = await apiError(() => putEntry([{ blobId, size, chunkCount: 2 }]))
      expect(refused).toMatchObject({ status: 400, code: 'invalid_input' })
      expect(refused.message).toContain('not been uploaded completely')
      expect(await committedChunks(server.db, blobId)).toEqual([])
    }
    expect(await storedItems()).toBe(0)

    const whole = crypto.randomUUID()
    await stage(whole, chunkSizes(size))
    await putEntry([{ blobId: whole, size, chunkCount: 2 }])
    expect((await committedChunks(server.db, whole)).map((c) => c.bytes.length)).toEqual([
      CHUNK_BYTES + SEALED_CHUNK_OVERHEAD,
      100 + SEALED_CHUNK_OVERHEAD,
    ])
    expect(await stagedChunks(server.db, whole)).toEqual([])
    expect((await bob.api.storageUsage()).vaultBytes).toBe(size)
  })

  it('refuses a file someone else staged, even when its owner will send it', async () => {
    const blobId = crypto.randomUUID()
    await stage(blobId, [500], 0, admin)
    const refused = await apiError(() => putEntry([{ blobId, size: 500, chunkCount: 1 }]))
    expect(refused).toMatchObject({ status: 400, code: 'invalid_input' })
    expect(await committedChunks(server.db, blobId)).toEqual([])
    expect((await stagedChunks(server.db, blobId)).map((c) => c.ownerId)).toEqual([
      admin.session.user.id,
    ])
  })

  it('refuses a chunk count that does not fit the size, and a file listed twice', async () => {
    // Two chunks holding exactly 100 bytes between them: staged as declared, but 100 bytes are
    // one chunk.
    const split = crypto.randomUUID()
    await stage(split, [50, 50])
    const miscounted = await apiError(() => putEntry([{ blobId: split, size: 100, chunkCount: 2 }]))
    expect(miscounted).toMatchObject({ status: 400, code: 'invalid_input' })
    expect(miscounted.message).toContain('chunkCount does not match size')

    const once = crypto.randomUUID()
    await stage(once, [100])
    const file = { blobId: once, size: 100, chunkCount: 1 }
    const twice = await apiError(() => putEntry([file, file]))
    expect(twice).toMatchObject({ status: 400, code: 'invalid_input' })
    expect(twice.message).toContain('listed twice')
    expect(await storedItems()).toBe(0)
    await putEntry([file])
    expect(await storedItems()).toBe(1)
  })

  it('takes a file of exactly the largest size, not a byte more', async () => {
    const over = crypto.randomUUID()
    await stage(over, chunkSizes(MAX_FILE + 1))
    const refused = await apiError(() =>
      putEntry([{ blobId: over, size: MAX_FILE + 1, chunkCount: 4 }]),
    )
    expect(refused).toMatchObject({ status: 413, code: 'payload_too_large' })
    expect(refused.message).toContain(`larger than ${MAX_FILE} bytes`)

    const largest = crypto.randomUUID()
    await stage(largest, chunkSizes(MAX_FILE))
    await putEntry([{ blobId: largest, size: MAX_FILE, chunkCount: 4 }])
    expect((await bob.api.storageUsage()).vaultBytes).toBe(MAX_FILE)
  })

  it('takes files of exactly the most one item may hold together, not a byte more', async () => {
    const rest = MAX_FILES_TOGETHER - MAX_FILE
    const stageFile = async (size: number) => {
      const blobId = crypto.randomUUID()
      await stage(blobId, chunkSizes(size))
      return { blobId, size, chunkCount: chunkSizes(size).length }
    }
    const largest = await stageFile(MAX_FILE)
    const refused = await apiError(async () => putEntry([largest, await stageFile(rest + 1)]))
    expect(refused).toMatchObject({ status: 413, code: 'payload_too_large' })
    expect(refused.message).toContain(`together are larger than ${MAX_FILES_TOGETHER} bytes`)
    expect(await storedItems()).toBe(0)

    await putEntry([largest, await stageFile(rest)])
    expect((await bob.api.storageUsage()).vaultBytes).toBe(MAX_FILES_TOGETHER)
  })
})
