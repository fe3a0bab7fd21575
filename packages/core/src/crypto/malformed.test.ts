import { describe, expect, it } from 'vitest'
import { Base64Url, type SealedEnvelope } from '../contracts/common.js'
import type { MessageEnvelope } from '../contracts/messages.js'
import { createAccountKeys } from './account.js'
import { importAesKey } from './aes-gcm.js'
import { type Bytes, randomBytes, toBase64Url, utf8 } from './bytes.js'
import { CryptoError } from './crypto-error.js'
import { signEd25519 } from './ed25519.js'
import { openEnvelope, sealEnvelope } from './envelope.js'
import { sha256 } from './hkdf.js'
import { linkPayloadAad, openLinkContent, openLinkLabel } from './link.js'
import {
  type ContentKey,
  createContentKey,
  messageAad,
  messageSignedBytes,
  openMessage,
  openVerifiedSubject,
  sealMessage,
} from './message.js'
import { itemAad, openItem, openVaultName } from './vault.js'

/*
 * Authentic is not well-formed: a buggy or hostile sender (or vault member, or link creator)
 * can seal bytes that decrypt fine and still are not what the reader expects. Every open path
 * must then fail with CryptoError, never a SyntaxError, TypeError or RangeError (STYLE.md 8).
 */

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
}

async function expectMalformed(promise: Promise<unknown>): Promise<void> {
  const error = await failure(promise)
  expect(error).toBeInstanceOf(CryptoError)
  expect(error).toMatchObject({ code: 'malformed' })
}

const notJson = utf8('{"subject": "Keys"')
const notUtf8 = new Uint8Array([0x4b, 0x65, 0xff, 0xfe])
const depth = 20_000
/** A copied-item tree nested deeper than any schema check can follow. */
const tooDeep = utf8(
  '['.concat(
    '{"kind":"folder","content":{"name":"a","type":"folder","fields":[],"files":[]},"children":['.repeat(
      depth,
    ),
    ']}'.repeat(depth),
    ']',
  ),
)

async function person(username: string) {
  return {
    id: crypto.randomUUID(),
    ...(await createAccountKeys(toBase64Url(randomBytes(64)), username)),
  }
}
const [alice, bob] = await Promise.all([person('alice'), person('bob')])

/** A message from alice to bob whose `part` alice sealed as `plaintext` and then signed. */
async function messageWith(part: 'header' | 'body' | 'tree', plaintext: Bytes) {
  const contentKey: ContentKey = await createContentKey()
  const { envelope, keys } = await sealMessage({
    draft: {
      id: crypto.randomUUID(),
      senderId: alice.id,
      recipientIds: [bob.id],
      sentAt: new Date().toISOString(),
      expiresAt: null,
      highPriority: false,
      replyTo: null,
      subject: 'Keys',
      body: 'Attached.',
      attachments: [],
    },
    contentKey,
    sender: alice.account,
    publicKeys: new Map([
      [alice.id, alice.keys.x25519PublicKey],
      [bob.id, bob.keys.x25519PublicKey],
    ]),
  })
  const sealed: SealedEnvelope = await sealEnvelope(
    contentKey.key,
    plaintext,
    messageAad(envelope, part),
  )
  const { signature: _old, ...unsigned } = { ...envelope, [part]: sealed }
  const signature = await signEd25519(
    alice.account.signingKey,
    await sha256(messageSignedBytes(unsigned)),
  )
  const signed: MessageEnvelope = {
    ...unsigned,
    signature: Base64Url.parse(toBase64Url(signature)),
  }
  return {
    account: bob.account,
    readerId: bob.id,
    envelope: signed,
    key: keys.find((k) => k.userId === bob.id)!.box,
    senderSigningKey: alice.keys.ed25519PublicKey,
  }
}

describe('an authentic but malformed', () => {
  it('message header is refused as malformed', async () => {
    await expectMalformed(openMessage(await messageWith('header', notJson)))
  })

  it('message header is refused as malformed in a list row too', async () => {
    await expectMalformed(openVerifiedSubject(await messageWith('header', notJson)))
  })

  it('message body that is not UTF-8 is refused as malformed', async () => {
    await expectMalformed(openMessage(await messageWith('body', notUtf8)))
  })

  it('copied-item tree nested too deep to check is refused as malformed', async () => {
    await expectMalformed(openMessage(await messageWith('tree', tooDeep)))
  })

  it('vault item is refused as malformed', async () => {
    const key = await importAesKey(randomBytes(32))
    const place = {
      vaultId: crypto.randomUUID(),
      itemId: crypto.randomUUID(),
      parentId: null,
      revision: 1,
    }
    await expectMalformed(openItem(key, place, await sealEnvelope(key, notJson, itemAad(place))))
  })

  it('vault name that is not UTF-8 is refused as malformed', async () => {
    const key = await importAesKey(randomBytes(32))
    const vaultId = crypto.randomUUID()
    const name = await sealEnvelope(key, notUtf8, utf8(`sealpost/v1/vault-name/${vaultId}`))
    await expectMalformed(openVaultName(key, vaultId, name))
  })

  it('link content is refused as malformed', async () => {
    const key = await importAesKey(randomBytes(32))
    const id = 'AAAAAAAAAAAAAAAAAAAAAA'
    await expectMalformed(
      openLinkContent(key, id, await sealEnvelope(key, notJson, linkPayloadAad(id))),
    )
  })

  it('link label that is not UTF-8 is refused as malformed', async () => {
    const key = await importAesKey(randomBytes(32))
    const id = 'AAAAAAAAAAAAAAAAAAAAAA'
    const label = await sealEnvelope(key, notUtf8, utf8(`sealpost/v1/link/label/${id}`))
    await expectMalformed(openLinkLabel(key, id, label))
  })
})

describe('a malformed encoding from the server', () => {
  it('envelope iv that is not base64 is refused as malformed', async () => {
    const key = await importAesKey(randomBytes(32))
    const aad = utf8('sealpost/v1/test')
    const envelope = await sealEnvelope(key, utf8('x'), aad)
    // Five characters pass the base64url alphabet check but are no base64 at all.
    await expectMalformed(openEnvelope(key, { ...envelope, iv: 'AAAAA' }, aad))
  })

  it('key box that is not base64 is refused as malformed', async () => {
    const message = await messageWith('header', utf8(JSON.stringify({ subject: 'Keys' })))
    await expectMalformed(
      openMessage({ ...message, key: { ...message.key, enc: Base64Url.parse('AAAAA') } }),
    )
  })

  it('sender signing key that is not base64 is refused as malformed', async () => {
    const message = await messageWith('header', utf8(JSON.stringify({ subject: 'Keys' })))
    await expectMalformed(openMessage({ ...message, senderSigningKey: 'AAAAA' }))
  })
})
