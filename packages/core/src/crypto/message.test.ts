import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { Base64Url } from '../contracts/common.js'
import {
  MESSAGE_RECIPIENTS_MAX,
  type MessageEnvelope,
  type PutMessageRequest,
} from '../contracts/messages.js'
import { createAccountKeys } from './account.js'
import { fromBase64Url, randomBytes, toBase64Url, utf8 } from './bytes.js'
import { CryptoError, type CryptoErrorCode } from './crypto-error.js'
import { signEd25519 } from './ed25519.js'
import { openJsonEnvelope, sealEnvelope } from './envelope.js'
import { sha256 } from './hkdf.js'
import {
  type ContentKey,
  createContentKey,
  type MessageDraft,
  messageAad,
  messageSignedBytes,
  openChunk,
  openContentKey,
  openMessage,
  openVerifiedHeader,
  openVerifiedSubject,
  sealChunk,
  sealMessage,
} from './message.js'
import { generateX25519KeyPair, importX25519KeyPair } from './x25519.js'

async function expectCryptoError(promise: Promise<unknown>, code: CryptoErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(CryptoError)
  expect(error).toMatchObject({ code })
}

async function person(username: string) {
  return {
    id: crypto.randomUUID(),
    ...(await createAccountKeys(toBase64Url(randomBytes(64)), username)),
  }
}
type Person = Awaited<ReturnType<typeof person>>
const [alice, bob, carol] = await Promise.all([person('alice'), person('bob'), person('carol')])
const publicKeys = new Map([alice, bob, carol].map((p) => [p.id, p.keys.x25519PublicKey]))

function draft(overrides: Partial<MessageDraft> = {}): MessageDraft {
  return {
    id: crypto.randomUUID(),
    senderId: alice.id,
    recipientIds: [bob.id, carol.id],
    sentAt: '2026-11-25T09:00:00.000Z',
    expiresAt: '2026-11-26T09:00:00.000Z',
    highPriority: false,
    replyTo: null,
    subject: 'Router',
    body: 'The config is attached.',
    attachments: [
      {
        blobId: crypto.randomUUID(),
        name: 'router.conf',
        type: 'text/plain',
        size: 10,
        chunkCount: 1,
      },
    ],
    tree: [
      {
        kind: 'folder',
        content: { name: 'Network', type: 'folder', fields: [], files: [] },
        children: [],
      },
    ],
    ...overrides,
  }
}

async function sealed(overrides: Partial<MessageDraft> = {}) {
  const contentKey = await createContentKey()
  const request = await sealMessage({
    draft: draft(overrides),
    contentKey,
    sender: alice.account,
    publicKeys,
  })
  return { request, contentKey }
}

function toOpen(request: PutMessageRequest, reader: Person, envelope = request.envelope) {
  return {
    account: reader.account,
    readerId: reader.id,
    envelope,
    key: request.keys.find((k) => k.userId === reader.id)!.box,
    senderSigningKey: alice.keys.ed25519PublicKey,
  }
}

/** The envelope signed again by alice after `change`: only the AAD can catch what it did. */
async function resigned(envelope: MessageEnvelope, change: Partial<MessageEnvelope>) {
  const { signature: _old, ...unsigned } = { ...envelope, ...change }
  const signature = await signEd25519(
    alice.account.signingKey,
    await sha256(messageSignedBytes(unsigned)),
  )
  return { ...unsigned, signature: Base64Url.parse(toBase64Url(signature)) }
}

/** The sealed header as plain JSON, opened with the content key. */
async function openHeader(request: PutMessageRequest, key: CryptoKey): Promise<unknown> {
  return openJsonEnvelope(
    key,
    request.envelope.header,
    messageAad(request.envelope, 'header'),
    z.unknown(),
    'header',
  )
}

const flip = (text: string) => {
  const bytes = fromBase64Url(text)
  bytes[0] = bytes[0]! ^ 1
  return Base64Url.parse(toBase64Url(bytes))
}

describe('message', () => {
  it('opens for every recipient and the sender, with subject, body, files and copied items', async () => {
    const { request } = await sealed()
    for (const reader of [bob, carol, alice]) {
      const opened = await openMessage(toOpen(request, reader))
      expect(opened).toMatchObject({
        subject: 'Router',
        body: 'The config is attached.',
        attachments: [{ name: 'router.conf', type: 'text/plain', size: 10, chunkCount: 1 }],
        tree: [{ kind: 'folder', content: { name: 'Network' }, children: [] }],
      })
      expect(await openVerifiedSubject(toOpen(request, reader))).toBe('Router')
    }
  })

  it('opens a message without files or copied items as exactly that', async () => {
    const { request } = await sealed({ attachments: [], tree: [] })
    expect(request.envelope.tree).toBeNull()
    const opened = await openMessage(toOpen(request, bob))
    expect(opened.attachments).toEqual([])
    expect(opened.tree).toBeNull()
  })

  it('seals the groups it went to with the subject, and a message without groups opens with none', async () => {
    const groups = [{ name: 'Ops', count: 2 }]
    const { request, contentKey } = await sealed({ groups, directIds: [carol.id] })
    expect(JSON.stringify(request.envelope)).not.toContain('Ops')
    for (const reader of [bob, carol, alice]) {
      const opened = await openMessage(toOpen(request, reader))
      expect(opened.groups).toEqual(groups)
      expect(opened.directIds).toEqual([carol.id])
      // A list row opens the header alone, and reads the same.
      expect(await openVerifiedHeader(toOpen(request, reader))).toEqual({
        subject: 'Router',
        groups,
        directIds: [carol.id],
      })
    }
    const header = await openHeader(request, contentKey.key)
    expect(header).toEqual({ subject: 'Router', groups, directIds: [carol.id] })

    const plain = await sealed()
    expect((await openMessage(toOpen(plain.request, bob))).groups).toEqual([])
    expect((await openMessage(toOpen(plain.request, bob))).directIds).toEqual([])
    // Without groups the header is what it always was, so older clients read it unchanged.
    expect(await openHeader(plain.request, plain.contentKey.key)).toEqual({
      subject: 'Router',
    })
  })

  it('seals one key box per reader, however often the draft lists one', async () => {
    const { request } = await sealed({ recipientIds: [bob.id, bob.id] })
    expect(request.envelope.recipientIds).toEqual([bob.id])
    expect(request.keys.map((k) => k.userId).sort()).toEqual([alice.id, bob.id].sort())
  })

  it('refuses to seal for a reader whose public key it was not given', async () => {
    const stranger = crypto.randomUUID()
    await expectCryptoError(
      sealMessage({
        draft: draft({ recipientIds: [stranger] }),
        contentKey: await createContentKey(),
        sender: alice.account,
        publicKeys,
      }),
      'bad_key',
    )
  })

  it('opens a message whose recipient list the server reordered', async () => {
    const { request } = await sealed()
    const reordered = { ...request.envelope, recipientIds: [carol.id, bob.id] }
    expect((await openMessage(toOpen(request, bob, reordered))).subject).toBe('Router')
  })

  const boundFields: Array<[string, (e: MessageEnvelope) => Partial<MessageEnvelope>]> = [
    ['id', () => ({ id: crypto.randomUUID() })],
    ['senderId', () => ({ senderId: carol.id })],
    ['recipientIds', () => ({ recipientIds: [bob.id] })],
    ['sentAt', () => ({ sentAt: '2026-11-25T09:00:01.000Z' })],
    ['expiresAt', () => ({ expiresAt: null })],
    ['highPriority', () => ({ highPriority: true })],
    ['replyTo', () => ({ replyTo: crypto.randomUUID() })],
    ['header', (e) => ({ header: e.body })],
    ['body', (e) => ({ body: { ...e.body, ct: flip(e.body.ct) } })],
    ['attachment size', (e) => ({ attachments: [{ ...e.attachments[0]!, size: 11 }] })],
    ['attachment chunk count', (e) => ({ attachments: [{ ...e.attachments[0]!, chunkCount: 2 }] })],
    [
      'attachment id',
      (e) => ({ attachments: [{ ...e.attachments[0]!, blobId: crypto.randomUUID() }] }),
    ],
    ['attachment name', (e) => ({ attachments: [{ ...e.attachments[0]!, meta: e.header }] })],
    ['dropped attachment', () => ({ attachments: [] })],
    ['copied items', (e) => ({ tree: e.header })],
    ['dropped copied items', () => ({ tree: null })],
    ['signature', (e) => ({ signature: flip(e.signature) })],
  ]
  for (const [field, change] of boundFields) {
    it(`rejects a message whose ${field} was changed`, async () => {
      const { request } = await sealed()
      const changed = { ...request.envelope, ...change(request.envelope) }
      await expectCryptoError(openMessage(toOpen(request, bob, changed)), 'bad_signature')
      await expectCryptoError(openVerifiedSubject(toOpen(request, bob, changed)), 'bad_signature')
    })
  }

  it('rejects a message that another key signed', async () => {
    const { request } = await sealed()
    const forged = { ...toOpen(request, bob), senderSigningKey: carol.keys.ed25519PublicKey }
    await expectCryptoError(openMessage(forged), 'bad_signature')
  })

  it('rejects a message of another version', async () => {
    const { request } = await sealed()
    const v2 = { ...request.envelope, v: 2 } as unknown as MessageEnvelope
    await expectCryptoError(openMessage(toOpen(request, bob, v2)), 'unsupported_version')
    await expectCryptoError(openVerifiedSubject(toOpen(request, bob, v2)), 'unsupported_version')
  })

  it('rejects a key box opened by anyone but the reader it was sealed for', async () => {
    const { request } = await sealed()
    const bobsBox = request.keys.find((k) => k.userId === bob.id)!.box
    await expectCryptoError(
      openContentKey(carol.account, carol.id, request.envelope, bobsBox),
      'decrypt_failed',
    )
    // Bob's own key, but the box claimed for another reader: the AAD names the reader.
    await expectCryptoError(
      openContentKey(bob.account, carol.id, request.envelope, bobsBox),
      'decrypt_failed',
    )
  })

  // Each part is sealed under an AAD naming the part: a signed envelope whose parts were
  // sealed for another place still fails to open.
  const misplaced: Array<
    [string, (e: MessageEnvelope, key: ContentKey) => Promise<Partial<MessageEnvelope>>]
  > = [
    [
      'header',
      async (e, key) => ({
        header: await sealEnvelope(key.key, utf8('{"subject":"x"}'), messageAad(e, 'body')),
      }),
    ],
    [
      'body',
      async (e, key) => ({
        body: await sealEnvelope(key.key, utf8('{"text":"x"}'), messageAad(e, 'header')),
      }),
    ],
    [
      'attachment',
      async (e, key) => ({
        attachments: [
          {
            ...e.attachments[0]!,
            meta: await sealEnvelope(
              key.key,
              utf8('{"name":"x","type":"y"}'),
              messageAad(e, 'attachment/other'),
            ),
          },
        ],
      }),
    ],
    [
      'copied items',
      async (e, key) => ({ tree: await sealEnvelope(key.key, utf8('[]'), messageAad(e, 'body')) }),
    ],
  ]
  for (const [part, change] of misplaced) {
    it(`rejects a signed message whose ${part} was sealed for another part`, async () => {
      const { request, contentKey } = await sealed()
      const envelope = await resigned(request.envelope, await change(request.envelope, contentKey))
      await expectCryptoError(openMessage(toOpen(request, bob, envelope)), 'decrypt_failed')
    })
  }

  it('opens only the header for a list row, after checking the whole signature', async () => {
    const { request, contentKey } = await sealed()
    const header = await sealEnvelope(
      contentKey.key,
      utf8('{"subject":"x"}'),
      messageAad(request.envelope, 'body'),
    )
    const envelope = await resigned(request.envelope, { header })
    await expectCryptoError(openVerifiedSubject(toOpen(request, bob, envelope)), 'decrypt_failed')
    // A broken body does not stop the subject, which never needs it.
    const body = await sealEnvelope(
      contentKey.key,
      utf8('{"text":"x"}'),
      messageAad(request.envelope, 'header'),
    )
    const withBadBody = await resigned(request.envelope, { body })
    expect(await openVerifiedSubject(toOpen(request, bob, withBadBody))).toBe('Router')
  })

  it('binds every context field and the part into the AAD, recipients in sorted order', () => {
    const ctx = {
      id: 'm',
      senderId: 's',
      recipientIds: ['r2', 'r1'],
      sentAt: '2026-11-25T09:00:00.000Z',
      expiresAt: null,
      highPriority: true,
      replyTo: 'o',
    }
    expect(new TextDecoder().decode(messageAad(ctx, 'header'))).toBe(
      '["sealpost/v1/message","m","s",["r1","r2"],"2026-11-25T09:00:00.000Z",null,true,"o","header"]',
    )
    expect(ctx.recipientIds).toEqual(['r2', 'r1'])
  })
})

describe(`a message to ${MESSAGE_RECIPIENTS_MAX} recipients`, () => {
  it('gives each recipient and the sender their own key box, and the message opens for every one', async () => {
    const readers = await Promise.all(
      Array.from({ length: MESSAGE_RECIPIENTS_MAX }, async () => {
        const pair = await generateX25519KeyPair()
        return {
          id: crypto.randomUUID(),
          publicKey: toBase64Url(pair.publicKey),
          // Opening a message uses the account's X25519 pair alone: each reader has their own.
          account: {
            ...alice.account,
            encryptionKeyPair: await importX25519KeyPair(pair.privateKey, pair.publicKey),
          },
        }
      }),
    )
    const request = await sealMessage({
      draft: draft({ recipientIds: readers.map((r) => r.id) }),
      contentKey: await createContentKey(),
      sender: alice.account,
      publicKeys: new Map([
        ...readers.map((r): [string, string] => [r.id, r.publicKey]),
        [alice.id, alice.keys.x25519PublicKey],
      ]),
    })
    expect(request.keys.map((k) => k.userId)).toEqual([...readers.map((r) => r.id), alice.id])

    // A box sealed to someone else's key, or under another reader's id, fails to open here.
    const opened = await Promise.all(
      [...readers, alice].map(async (reader) => {
        const message = await openMessage({
          account: reader.account,
          readerId: reader.id,
          envelope: request.envelope,
          key: request.keys.find((k) => k.userId === reader.id)!.box,
          senderSigningKey: alice.keys.ed25519PublicKey,
        })
        return [message.subject, message.body]
      }),
    )
    expect(opened).toEqual(opened.map(() => ['Router', 'The config is attached.']))
  }, 60_000)
})

describe('file chunks', () => {
  const blobId = crypto.randomUUID()
  const plain = utf8('sixty-four kibibytes, give or take')

  async function chunk(index = 0, isLast = true) {
    const key = (await createContentKey()).key
    return { key, sealed: await sealChunk(key, blobId, index, isLast, plain) }
  }

  it('opens a chunk at the place it was sealed for', async () => {
    const { key, sealed } = await chunk(3, false)
    expect(sealed.length).toBe(12 + plain.length + 16)
    expect(await openChunk(key, blobId, 3, false, sealed)).toEqual(plain)
  })

  it('rejects a chunk moved to another index, file or end', async () => {
    const { key, sealed } = await chunk(3, false)
    await expectCryptoError(openChunk(key, blobId, 2, false, sealed), 'decrypt_failed')
    await expectCryptoError(openChunk(key, crypto.randomUUID(), 3, false, sealed), 'decrypt_failed')
    await expectCryptoError(openChunk(key, blobId, 3, true, sealed), 'decrypt_failed')
  })

  it('rejects a chunk too short to hold an IV and a tag as malformed, and one byte more as altered', async () => {
    const { key, sealed } = await chunk()
    await expectCryptoError(openChunk(key, blobId, 0, true, sealed.slice(0, 27)), 'malformed')
    await expectCryptoError(openChunk(key, blobId, 0, true, sealed.slice(0, 28)), 'decrypt_failed')
  })
})
