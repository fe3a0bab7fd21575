import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import { type Person, send } from '../../test-support/messages.js'

describe.each(dialects)('attachment chunks on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person
  let carol: Person
  const now = () => server.clock.now()

  beforeEach(async () => {
    ;({
      server,
      admin,
      members: [bob, carol],
    } = await startWithPeople(dialect, ['bob', 'carol']))
  })
  afterEach(async () => {
    await server.close()
  })

  it('serves a chunk only through the message it belongs to', async () => {
    const mine = await send(
      admin,
      [bob],
      { files: [{ name: 'mine.txt', bytes: new TextEncoder().encode('for bob') }] },
      now,
    )
    const theirs = await send(
      carol,
      [admin],
      { files: [{ name: 'theirs.txt', bytes: new TextEncoder().encode('not for bob') }] },
      now,
    )
    const myBlob = (await bob.api.getMessage(mine.id)).envelope.attachments[0]!.blobId
    const theirBlob = (await admin.api.getMessage(theirs.id)).envelope.attachments[0]!.blobId

    // Each reader gets each chunk through its own message...
    expect((await bob.api.downloadChunks(mine.id, myBlob, 0, 1)).length).toBeGreaterThan(0)
    expect((await admin.api.downloadChunks(theirs.id, theirBlob, 0, 1)).length).toBeGreaterThan(0)
    // ...but bob cannot reach carol's file through a message he can see.
    expect(await apiError(() => bob.api.downloadChunks(mine.id, theirBlob, 0, 1))).toMatchObject({
      status: 404,
      code: 'not_found',
    })
  })
})
