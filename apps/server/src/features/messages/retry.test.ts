import { createContentKey, type PutMessageRequest, sealMessage } from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'

/** The same JSON value with every object's keys in reverse order, at every depth. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys)
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversedKeys(v)]),
    )
  }
  return value
}

/** A sealed message from `from` to `to`, not sent yet (no attachments: no staged chunks). */
async function sealed(from: Person, to: Person, subject: string, now: Date) {
  return sealMessage({
    draft: {
      id: crypto.randomUUID(),
      senderId: from.session.user.id,
      recipientIds: [to.session.user.id],
      sentAt: now.toISOString(),
      expiresAt: null,
      highPriority: false,
      replyTo: null,
      subject,
      body: 'Sent once, retried.',
      attachments: [],
    },
    contentKey: await createContentKey(),
    sender: from.account,
    publicKeys: new Map([
      [from.session.user.id, from.session.keys.x25519PublicKey],
      [to.session.user.id, to.session.keys.x25519PublicKey],
    ]),
  })
}

describe.each(dialects)('retrying a send on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person
  const now = () => server.clock.now()

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

  async function storedCount(id: string) {
    const rows = await server.db.selectFrom('messages').select('id').where('id', '=', id).execute()
    return rows.length
  }

  it('answers 200 to the same envelope with its keys in another order, and keeps one message', async () => {
    const request = await sealed(admin, bob, 'Keys', now())
    expect(await admin.api.putMessage(request)).toEqual({ id: request.envelope.id })
    const retry = reversedKeys(request) as PutMessageRequest
    expect(JSON.stringify(retry)).not.toBe(JSON.stringify(request))
    expect(await admin.api.putMessage(retry)).toEqual({ id: request.envelope.id })
    expect(await storedCount(request.envelope.id)).toBe(1)
    expect((await bob.api.inbox()).items.map((m) => m.id)).toEqual([request.envelope.id])
  })

  it('answers 200 to a retry when the stored envelope was written in another key order', async () => {
    // As a restore through PostgreSQL jsonb, a migration or an earlier server version writes it.
    const request = await sealed(admin, bob, 'Keys', now())
    await admin.api.putMessage(request)
    await server.db
      .updateTable('messages')
      .set({ envelope: JSON.stringify(reversedKeys(request.envelope)) })
      .where('id', '=', request.envelope.id)
      .execute()
    expect(await admin.api.putMessage(request)).toEqual({ id: request.envelope.id })
    expect(await storedCount(request.envelope.id)).toBe(1)
  })

  it('answers 409 to a different envelope under the same id', async () => {
    const request = await sealed(admin, bob, 'Keys', now())
    await admin.api.putMessage(request)
    // Same id, sealed again: other ciphertext, so another message.
    const other = await sealed(admin, bob, 'Other keys', now())
    const clash: PutMessageRequest = {
      envelope: { ...other.envelope, id: request.envelope.id },
      keys: other.keys,
    }
    expect(await apiError(() => admin.api.putMessage(clash))).toMatchObject({
      status: 409,
      code: 'message_exists',
    })
    expect(await storedCount(request.envelope.id)).toBe(1)
  })

  it('answers 409 to the same envelope retried by someone else', async () => {
    const request = await sealed(admin, bob, 'Keys', now())
    await admin.api.putMessage(request)
    expect(await apiError(() => bob.api.putMessage(request))).toMatchObject({
      status: 409,
      code: 'message_exists',
    })
  })
})
