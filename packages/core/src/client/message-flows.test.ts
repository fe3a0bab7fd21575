import { describe, expect, it } from 'vitest'
import type { MessageDetail, MessageEnvelope, SentSummary } from '../contracts/messages.js'
import { createAccountKeys, type UnlockedAccount } from '../crypto/account.js'
import { randomBytes, toBase64Url } from '../crypto/bytes.js'
import { CryptoError, type CryptoErrorCode } from '../crypto/crypto-error.js'
import { createContentKey, sealMessage } from '../crypto/message.js'
import { ApiError } from './api-client.js'
import { createSubjectCache, openListSubject } from './message-flows.js'

type Person = { id: string; username: string; account: UnlockedAccount }

async function person(username: string): Promise<Person> {
  const { account } = await createAccountKeys(toBase64Url(randomBytes(64)), username)
  return { id: crypto.randomUUID(), username, account }
}

const [alice, bob, mallory] = await Promise.all([person('alice'), person('bob'), person('mallory')])

/**
 * A message to bob that names alice as its sender, signed by `signer` (alice herself, or
 * someone forging her name), as the server stores it.
 */
async function message(
  subject: string,
  signer: Person = alice,
): Promise<{ envelope: MessageEnvelope; box: MessageDetail['key'] }> {
  const request = await sealMessage({
    draft: {
      id: crypto.randomUUID(),
      senderId: alice.id,
      recipientIds: [bob.id],
      sentAt: new Date().toISOString(),
      expiresAt: null,
      highPriority: false,
      replyTo: null,
      subject,
      body: 'Please do it today.',
      attachments: [],
    },
    contentKey: await createContentKey(),
    sender: signer.account,
    publicKeys: new Map([
      [alice.id, toBase64Url(alice.account.x25519PublicKey)],
      [bob.id, toBase64Url(bob.account.x25519PublicKey)],
    ]),
  })
  const box = request.keys.find((k) => k.userId === bob.id)?.box
  if (!box) throw new Error('no key box for bob')
  return { envelope: request.envelope, box }
}

type Stored = Awaited<ReturnType<typeof message>>

/** What the server serves for bob's `GET /api/messages/:id`: alice's real signing key. */
function detailOf({ envelope, box }: Stored): MessageDetail {
  return {
    envelope,
    key: box,
    sender: {
      id: alice.id,
      username: 'alice',
      displayName: 'Alice',
      ed25519PublicKey: toBase64Url(alice.account.ed25519PublicKey) as never,
    },
    readAt: null,
    recipients: null,
    thread: [],
  }
}

/** The list row the server assembles for bob (inbox), from the same stored envelope. */
function rowOf({ envelope, box }: Stored): SentSummary {
  return {
    id: envelope.id,
    origin: 'member',
    sender: { id: alice.id, username: 'alice', displayName: 'Alice' },
    recipientIds: envelope.recipientIds,
    sentAt: envelope.sentAt,
    expiresAt: envelope.expiresAt,
    highPriority: envelope.highPriority,
    replyTo: envelope.replyTo,
    header: envelope.header,
    key: box,
    attachmentCount: envelope.attachments.length,
    readAt: null,
    recipients: [
      {
        id: bob.id,
        username: 'bob',
        displayName: 'Bob',
        deliveredAt: envelope.sentAt,
        openedAt: null,
        readAt: null,
        savedAt: null,
        repliedAt: null,
        removedAt: null,
      },
    ],
  }
}

/** A server holding `messages` by id; counts the message fetches. */
function serverWith(...messages: Stored[]) {
  const byId = new Map(messages.map((m) => [m.envelope.id, detailOf(m)]))
  const server = {
    fetches: 0,
    getMessage: async (id: string): Promise<MessageDetail> => {
      server.fetches++
      const detail = byId.get(id)
      if (!detail) throw new ApiError(404, 'not_found', 'no such message')
      return detail
    },
  }
  return server
}

async function expectCryptoError(promise: Promise<unknown>, code: CryptoErrorCode) {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(CryptoError)
  expect(error).toMatchObject({ code })
}

describe('openListSubject', () => {
  it('shows the subject of a message its sender signed', async () => {
    const sent = await message('Quarterly keys')
    expect(await openListSubject(serverWith(sent), bob.account, bob.id, rowOf(sent))).toBe(
      'Quarterly keys',
    )
  })

  it('refuses the subject of a message forged in the name of its sender', async () => {
    // Anyone can box a content key to bob: only alice's signature says alice wrote it.
    const forged = await message('Re-enter your password at https://evil.example', mallory)
    await expectCryptoError(
      openListSubject(serverWith(forged), bob.account, bob.id, rowOf(forged)),
      'bad_signature',
    )
  })

  it('refuses a row whose flags differ from what the sender signed', async () => {
    const sent = await message('Lunch')
    const raised = { ...rowOf(sent), highPriority: true }
    await expectCryptoError(
      openListSubject(serverWith(sent), bob.account, bob.id, raised),
      'bad_signature',
    )
  })

  it('refuses a row that names another sender than the signed one', async () => {
    const sent = await message('Lunch')
    const row = rowOf(sent)
    const renamed = { ...row, sender: { ...row.sender!, id: mallory.id } }
    await expectCryptoError(
      openListSubject(serverWith(sent), bob.account, bob.id, renamed),
      'bad_signature',
    )
  })

  it('refuses a sent row whose recipients differ from the signed ones', async () => {
    const sent = await message('Lunch')
    const row = rowOf(sent)
    const widened = {
      ...row,
      recipients: [
        ...row.recipients,
        { id: mallory.id, username: 'mallory', displayName: 'M', readAt: null },
      ],
    }
    await expectCryptoError(
      openListSubject(serverWith(sent), bob.account, bob.id, widened),
      'bad_signature',
    )
  })

  it('refuses the subject when the server answers with a different message', async () => {
    const asked = await message('Asked for')
    const other = await message('Served instead')
    const server = serverWith(other)
    const swapped = { getMessage: () => server.getMessage(other.envelope.id) }
    await expectCryptoError(
      openListSubject(swapped, bob.account, bob.id, rowOf(asked)),
      'malformed',
    )
  })

  it('verifies each message once however often the list refreshes', async () => {
    const sent = await message('Quarterly keys')
    const server = serverWith(sent)
    const cache = createSubjectCache()
    for (let refresh = 0; refresh < 3; refresh++) {
      expect(await openListSubject(server, bob.account, bob.id, rowOf(sent), cache)).toBe(
        'Quarterly keys',
      )
    }
    expect(server.fetches).toBe(1)
  })

  it('checks a cached row against the signed message again', async () => {
    const sent = await message('Lunch')
    const server = serverWith(sent)
    const cache = createSubjectCache()
    await openListSubject(server, bob.account, bob.id, rowOf(sent), cache)
    const raised = { ...rowOf(sent), highPriority: true }
    await expectCryptoError(
      openListSubject(server, bob.account, bob.id, raised, cache),
      'bad_signature',
    )
  })

  it('keeps no failure, so a later refresh verifies again', async () => {
    const forged = await message('Forged', mallory)
    const server = serverWith(forged)
    const cache = createSubjectCache()
    for (let refresh = 0; refresh < 2; refresh++) {
      await expectCryptoError(
        openListSubject(server, bob.account, bob.id, rowOf(forged), cache),
        'bad_signature',
      )
    }
    expect(server.fetches).toBe(2)
  })
})
