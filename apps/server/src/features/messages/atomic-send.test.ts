import { CHUNK_BYTES } from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import { type Person, readFirstFile } from '../../test-support/messages.js'
import { committedChunks, messageRows, stagedChunks } from '../../test-support/rows.js'
import { sealWithFile } from '../../test-support/sealed-send.js'

function fileBytes(n: number): Uint8Array {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = (i * 7 + 3) & 0xff
  return out
}

describe.each(dialects)('a send whose commit fails on %s', (dialect) => {
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

  it('leaves no row of the message and keeps its staged chunks, and the same request then lands once', async () => {
    const file = fileBytes(CHUNK_BYTES * 2 + 500)
    const sealed = await sealWithFile(admin, [bob], file, { now: server.clock.now() })
    await sealed.upload()
    // A blob row under the file's id makes the commit fail at its third insert, after the
    // message and its key boxes: only a transaction can take those back.
    await server.db
      .insertInto('blobs')
      .values({
        id: sealed.blobId,
        message_id: null,
        link_id: null,
        item_id: null,
        size: 0,
        chunk_count: 0,
        created_at: 0,
      })
      .execute()

    expect(await apiError(() => admin.api.putMessage(sealed.request))).toMatchObject({
      status: 500,
      code: 'internal',
    })
    expect(await messageRows(server.db, sealed.id)).toEqual({
      messages: 0,
      recipients: 0,
      blobs: 0,
      chunks: 0,
    })
    expect(await committedChunks(server.db, sealed.blobId)).toEqual([])
    expect(await stagedChunks(server.db, sealed.blobId)).toEqual(
      sealed.chunks.map((bytes, index) => ({
        index,
        ownerId: admin.session.user.id,
        bytes: Buffer.from(bytes),
      })),
    )

    // The obstacle gone, the client retries the very same request, twice.
    await server.db.deleteFrom('blobs').where('id', '=', sealed.blobId).execute()
    expect(await admin.api.putMessage(sealed.request)).toEqual({ id: sealed.id })
    expect(await admin.api.putMessage(sealed.request)).toEqual({ id: sealed.id })
    expect(await messageRows(server.db, sealed.id)).toEqual({
      messages: 1,
      recipients: 2,
      blobs: 1,
      chunks: 3,
    })
    expect(await stagedChunks(server.db, sealed.blobId)).toEqual([])
    expect((await bob.api.inbox()).items.map((m) => m.id)).toEqual([sealed.id])
    const downloaded = await readFirstFile(bob, sealed.id, server.clock.now())
    expect(Buffer.from(downloaded).equals(Buffer.from(file))).toBe(true)
  })
})
