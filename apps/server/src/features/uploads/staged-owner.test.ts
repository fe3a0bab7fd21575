import { CHUNK_BYTES } from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import { type Person, readFirstFile } from '../../test-support/messages.js'
import { stagedChunks } from '../../test-support/rows.js'
import { sealWithFile } from '../../test-support/sealed-send.js'

describe.each(dialects)('staged chunks on %s', (dialect) => {
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

  it('refuses another user’s chunk under the same file id, and the sent file stays whole', async () => {
    const file = new Uint8Array(CHUNK_BYTES + 100).fill(0x5a)
    const sealed = await sealWithFile(admin, [bob], file, { now: server.clock.now() })
    await admin.api.uploadChunks(sealed.blobId, 0, [sealed.chunks[0]!])
    const forged = sealed.chunks[1]!.slice().fill(0x41)

    // Bob knows the file id (he will receive it): he tries to replace a chunk, then to add one.
    for (const index of [0, 1]) {
      const refused = await apiError(() => bob.api.uploadChunks(sealed.blobId, index, [forged]))
      expect(refused).toMatchObject({ status: 404, code: 'not_found' })
      expect(refused.message).toContain('no such upload')
    }
    expect(await stagedChunks(server.db, sealed.blobId)).toEqual([
      { index: 0, ownerId: admin.session.user.id, bytes: Buffer.from(sealed.chunks[0]!) },
    ])

    await admin.api.uploadChunks(sealed.blobId, 1, [sealed.chunks[1]!])
    await admin.api.putMessage(sealed.request)
    const downloaded = await readFirstFile(bob, sealed.id, server.clock.now())
    expect(Buffer.from(downloaded).equals(Buffer.from(file))).toBe(true)
  })
})
