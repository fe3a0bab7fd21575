import { describe, expect, it } from 'vitest'
import type { AccountKeys } from '../contracts/auth.js'
import { Base64Url } from '../contracts/common.js'
import type { AnswerEnvelope, MessageEnvelope, PutMessageRequest } from '../contracts/messages.js'
import { unlockAccount } from './account.js'
import { importAesKey } from './aes-gcm.js'
import { randomBytes, toBase64Url, utf8 } from './bytes.js'
import { CryptoError, type CryptoErrorCode } from './crypto-error.js'
import { signEd25519, verifyEd25519 } from './ed25519.js'
import { readSealedJson, readSealedText, sealEnvelope } from './envelope.js'
import { sha256 } from './hkdf.js'
import {
  linkPayloadAad,
  openLinkContent,
  openLinkLabel,
  parseLinkUrl,
  sealLinkContent,
} from './link.js'
import {
  createContentKey,
  messageAad,
  messageSignedBytes,
  openChunk,
  openMessage,
  sealMessage,
} from './message.js'
import {
  deriveReset,
  openEscrow,
  openRecoveryShare,
  signRecoveryKey,
  verifyRecoveryKey,
} from './org-recovery.js'
import { generateRecoveryCode, parseRecoveryCode } from './recovery-code.js'
import {
  answerAad,
  checkRequesterKey,
  deriveRequestKeys,
  newRequestSecret,
  openAnswer,
  openRequestNote,
  openRequestOwnerCopy,
  parseRequestUrl,
  requestKeyFingerprint,
  requestUrl,
  sealAnswer,
  sealRequestOwnerCopy,
} from './request.js'
import { itemAad, openItem, openVaultName } from './vault.js'
import requestV1 from './vectors/request-v1.json' with { type: 'json' }
import v1 from './vectors/sealpost-v1.json' with { type: 'json' }
import { generateX25519KeyPair, importX25519KeyPair } from './x25519.js'

/*
 * A refusal is read by code (clients branch on it) and by message (people and logs read it):
 * each one here must come with the code that names the kind of failure and a message that
 * names what failed.
 */

async function refusal(run: () => Promise<unknown>): Promise<CryptoError> {
  const error = await run().then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(CryptoError)
  return error as CryptoError
}

async function expectRefused(run: () => Promise<unknown>, code: CryptoErrorCode, message: RegExp) {
  const error = await refusal(run)
  expect(error.code).toBe(code)
  expect(error.message).toMatch(message)
  return error
}

const notUtf8 = new Uint8Array([0x4b, 0xff])
const key = await importAesKey(randomBytes(32))
const { alice, bob } = v1.accounts
const aliceAccount = await unlockAccount(alice.exportKey, alice.username, alice.keys as AccountKeys)

describe('a refused key', () => {
  it('is bad_signature when a signature cannot even be checked with the key given', async () => {
    const x25519 = await generateX25519KeyPair()
    const notAnEd25519Key = (await importX25519KeyPair(x25519.privateKey, x25519.publicKey))
      .publicKey
    await expectRefused(
      () => verifyEd25519(notAnEd25519Key, new Uint8Array(64), utf8('m')),
      'bad_signature',
      /^signature cannot be checked$/,
    )
  })

  it('is bad_key when an X25519 pair’s public half is not a key', async () => {
    const pair = await generateX25519KeyPair()
    await expectRefused(
      () => importX25519KeyPair(pair.privateKey, pair.publicKey.slice(0, 31)),
      'bad_key',
      /^X25519 key pair is invalid$/,
    )
  })
})

describe('authentic bytes that are not what was expected', () => {
  it('keep the decoder’s or parser’s error as the cause', () => {
    const notText = (() => {
      try {
        readSealedText(notUtf8, 'a note')
      } catch (error) {
        return error as CryptoError
      }
    })()
    expect(notText?.cause).toBeInstanceOf(TypeError)
    const notJson = (() => {
      try {
        readSealedJson(utf8('{'), Base64Url, 'a proof')
      } catch (error) {
        return error as CryptoError
      }
    })()
    expect(notJson?.cause).toBeInstanceOf(SyntaxError)
  })

  it('are named after what they were meant to be', async () => {
    const id = 'AAAAAAAAAAAAAAAAAAAAAA'
    const place = { vaultId: 'v', itemId: 'i', parentId: null, revision: 1 }
    const cases: Array<[() => Promise<unknown>, RegExp]> = [
      [
        async () =>
          openLinkContent(key, id, await sealEnvelope(key, utf8('{}'), linkPayloadAad(id))),
        /^link content has the wrong shape$/,
      ],
      [
        async () =>
          openLinkLabel(
            key,
            id,
            await sealEnvelope(key, notUtf8, utf8(`sealpost/v1/link/label/${id}`)),
          ),
        /^link label is not UTF-8 text$/,
      ],
      [
        async () => openItem(key, place, await sealEnvelope(key, utf8('{}'), itemAad(place))),
        /^vault item has the wrong shape$/,
      ],
      [
        async () =>
          openVaultName(
            key,
            'v',
            await sealEnvelope(key, notUtf8, utf8('sealpost/v1/vault-name/v')),
          ),
        /^vault name is not UTF-8 text$/,
      ],
    ]
    for (const [run, message] of cases) await expectRefused(run, 'malformed', message)
  })
})

describe('a refused link', () => {
  it('opens content with its files as sealed, and refuses a file entry missing a field', async () => {
    const id = 'BBBBBBBBBBBBBBBBBBBBBB'
    const file = { blobId: crypto.randomUUID(), name: 'vpn.conf', type: 'text/plain', size: 25 }
    const content = { subject: 's', text: 't', files: [file] }
    expect(await openLinkContent(key, id, await sealLinkContent(key, id, content))).toEqual(content)
    const { size: _size, ...sizeless } = file
    const withoutSize = utf8(JSON.stringify({ ...content, files: [sizeless] }))
    await expectRefused(
      async () =>
        openLinkContent(key, id, await sealEnvelope(key, withoutSize, linkPayloadAad(id))),
      'malformed',
      /^link content has the wrong shape$/,
    )
  })

  it('is malformed, whatever else the text holds', async () => {
    await expectRefused(
      async () => parseLinkUrl('https://x.test/'),
      'malformed',
      /^this is not a Sealpost link$/,
    )
  })
})

describe('a refused message', () => {
  const request = v1.message.request as PutMessageRequest
  const toOpen = (envelope: MessageEnvelope) => ({
    account: aliceAccount,
    readerId: alice.id,
    envelope,
    key: request.keys.find((k) => k.userId === alice.id)!.box,
    senderSigningKey: alice.keys.ed25519PublicKey,
  })

  it('names the version it does not know', async () => {
    const v2 = { ...request.envelope, v: 2 } as unknown as MessageEnvelope
    await expectRefused(() => openMessage(toOpen(v2)), 'unsupported_version', /^message version 2$/)
  })

  it('is not sealed at all when a reader’s public key is missing, and names that reader', async () => {
    const readerId = crypto.randomUUID()
    const draft = {
      id: crypto.randomUUID(),
      senderId: alice.id,
      recipientIds: [readerId],
      sentAt: new Date().toISOString(),
      expiresAt: null,
      highPriority: false,
      replyTo: null,
      subject: 's',
      body: 'b',
      attachments: [],
    }
    await expectRefused(
      async () =>
        sealMessage({
          draft,
          contentKey: await createContentKey(),
          sender: aliceAccount,
          publicKeys: new Map([[alice.id, alice.keys.x25519PublicKey]]),
        }),
      'bad_key',
      new RegExp(`^no public key for user ${readerId}$`),
    )
  })

  it('names a signed part whose content has the wrong shape', async () => {
    const contentKey = await createContentKey()
    const { envelope, keys } = await sealMessage({
      draft: {
        id: crypto.randomUUID(),
        senderId: alice.id,
        recipientIds: [alice.id],
        sentAt: new Date().toISOString(),
        expiresAt: null,
        highPriority: false,
        replyTo: null,
        subject: 's',
        body: 'b',
        attachments: [],
      },
      contentKey,
      sender: aliceAccount,
      publicKeys: new Map([[alice.id, alice.keys.x25519PublicKey]]),
    })
    // The sender's own client sealed and signed a header without a subject.
    const header = await sealEnvelope(contentKey.key, utf8('{}'), messageAad(envelope, 'header'))
    const { signature: _old, ...unsigned } = { ...envelope, header }
    const signature = await signEd25519(
      aliceAccount.signingKey,
      await sha256(messageSignedBytes(unsigned)),
    )
    const signed = { ...unsigned, signature: Base64Url.parse(toBase64Url(signature)) }
    await expectRefused(
      () => openMessage({ ...toOpen(signed), key: keys[0]!.box }),
      'malformed',
      /^message content has the wrong shape$/,
    )
  })

  it('names a file chunk too short to hold a nonce and a tag', async () => {
    await expectRefused(
      () => openChunk(key, 'blob', 0, true, randomBytes(27)),
      'malformed',
      /^chunk is too short$/,
    )
  })
})

describe('a refused request or answer', () => {
  it('says which part of a request link or key is wrong', async () => {
    const keys = await deriveRequestKeys(newRequestSecret())
    await expectRefused(
      () => deriveRequestKeys(randomBytes(16)),
      'bad_key',
      /^a request secret is 32 bytes$/,
    )
    await expectRefused(
      () => requestKeyFingerprint(randomBytes(31)),
      'bad_key',
      /^X25519 public key must be 32 bytes$/,
    )
    const fingerprint = await requestKeyFingerprint(aliceAccount.x25519PublicKey)
    await expectRefused(
      () => checkRequesterKey(fingerprint, randomBytes(32)),
      'bad_key',
      /^the requester’s key does not match this link$/,
    )
    await expectRefused(
      async () =>
        parseRequestUrl(
          `see ${requestUrl('https://x.test', keys.id, randomBytes(32), fingerprint)}`,
        ),
      'malformed',
      /^this is not a Sealpost request link$/,
    )
  })

  it('accepts a request link on plain http, as a server on localhost gives', () => {
    const url = requestUrl(
      'http://localhost:3000/',
      requestV1.keys.id,
      new Uint8Array(32),
      new Uint8Array(16),
    )
    expect(parseRequestUrl(url)).toMatchObject({
      origin: 'http://localhost:3000',
      id: requestV1.keys.id,
    })
  })

  it('names the note or the copy that has the wrong shape', async () => {
    const secret = newRequestSecret()
    const keys = await deriveRequestKeys(secret)
    const note = await sealEnvelope(
      keys.noteKey,
      utf8('{}'),
      utf8(`sealpost/v1/request/note/${keys.id}`),
    )
    await expectRefused(
      () => openRequestNote(keys, note),
      'malformed',
      /^request note has the wrong shape$/,
    )
    const copy = await sealEnvelope(
      aliceAccount.accountKey,
      utf8('{}'),
      utf8(`sealpost/v1/request/owner/${keys.id}`),
    )
    await expectRefused(
      () => openRequestOwnerCopy(aliceAccount.accountKey, keys.id, copy),
      'malformed',
      /^request copy has the wrong shape$/,
    )
    const others = await sealRequestOwnerCopy(aliceAccount.accountKey, keys.id, {
      secret: newRequestSecret(),
      note: 'n',
      label: null,
    })
    await expectRefused(
      () => openRequestOwnerCopy(aliceAccount.accountKey, keys.id, others),
      'malformed',
      /^the request copy holds another request’s secret$/,
    )
    // The secret is exactly 43 base64url characters: nothing before, nothing after.
    const good = toBase64Url(secret)
    for (const badSecret of [`${good}A`, `!${good}`, good.slice(1)]) {
      const copy = await sealEnvelope(
        aliceAccount.accountKey,
        utf8(JSON.stringify({ secret: badSecret, note: 'n', label: null })),
        utf8(`sealpost/v1/request/owner/${keys.id}`),
      )
      await expectRefused(
        () => openRequestOwnerCopy(aliceAccount.accountKey, keys.id, copy),
        'malformed',
        /^request copy has the wrong shape$/,
      )
    }
  })

  it('names an answer’s unknown version, its wrong reader and a part with the wrong shape', async () => {
    const secret = newRequestSecret()
    const keys = await deriveRequestKeys(secret)
    const owner = await sealRequestOwnerCopy(aliceAccount.accountKey, keys.id, {
      secret,
      note: 'n',
      label: null,
    })
    const contentKey = await createContentKey()
    const blobId = crypto.randomUUID()
    const id = crypto.randomUUID()
    const sealed = await sealAnswer({
      keys,
      fingerprint: await requestKeyFingerprint(aliceAccount.x25519PublicKey),
      requester: { id: alice.id, x25519PublicKey: alice.keys.x25519PublicKey },
      id,
      sentAt: '2026-11-25T09:00:00.000Z',
      expiresAt: '2026-12-25T09:00:00.000Z',
      text: 't',
      attachments: [{ blobId, name: 'f', type: 'text/plain', size: 1, chunkCount: 1 }],
      contentKey,
    })
    const envelope: AnswerEnvelope = {
      v: 1,
      kind: 'request-answer',
      id,
      requestId: keys.id,
      requesterId: alice.id,
      sentAt: sealed.sentAt,
      expiresAt: sealed.expiresAt,
      body: sealed.body,
      attachments: sealed.attachments,
      owner,
    }
    const open =
      (changed: Partial<AnswerEnvelope>, readerId = alice.id) =>
      () =>
        openAnswer({
          account: aliceAccount,
          readerId,
          envelope: { ...envelope, ...changed },
          key: sealed.key,
        })
    await expectRefused(
      open({ v: 2 } as unknown as Partial<AnswerEnvelope>),
      'unsupported_version',
      /^answer version 2$/,
    )
    await expectRefused(open({}, bob.id), 'malformed', /^this answer is for someone else$/)
    // A visitor's client holding the link can seal any bytes as the body or a file's name.
    const wrongShape = (part: string) =>
      sealEnvelope(contentKey.key, utf8('{}'), answerAad(envelope, part))
    await expectRefused(
      open({ body: await wrongShape('body') }),
      'malformed',
      /^answer has the wrong shape$/,
    )
    const file = { ...sealed.attachments[0]!, meta: await wrongShape(`attachment/${blobId}`) }
    await expectRefused(
      open({ attachments: [file] }),
      'malformed',
      /^answer file has the wrong shape$/,
    )
  })
})

describe('a refused recovery code, box or reset secret', () => {
  it('says what is wrong with a typed recovery code', async () => {
    await expectRefused(
      async () => parseRecoveryCode('ABCD'),
      'malformed',
      /^a recovery code has 32 characters$/,
    )
    await expectRefused(
      async () => parseRecoveryCode('UUUU-0000-0000-0000-0000-0000-0000-0000'),
      'malformed',
      /^not a recovery code$/,
    )
  })

  it('spreads random bits over every character of a new recovery code', () => {
    // 20 codes agreeing on a character by chance: 32^-19 per place.
    const codes = Array.from({ length: 20 }, () => generateRecoveryCode().replace(/-/g, ''))
    for (let place = 0; place < 32; place++) {
      expect(new Set(codes.map((code) => code[place])).size, `character ${place}`).toBeGreaterThan(
        1,
      )
    }
  })

  it('refuses a box of another version, or anything that is not a box', async () => {
    const { keyId, privateKey, publicKey, escrow } = {
      keyId: crypto.randomUUID(),
      ...(await generateX25519KeyPair()),
      escrow: { userId: crypto.randomUUID() },
    }
    const pair = { privateKey, publicKey }
    await expectRefused(
      () => openEscrow(pair, keyId, escrow.userId, { v: 2, enc: 'AA', ct: 'AA' }),
      'unsupported_version',
      /^box version 2$/,
    )
    for (const box of [null, 'box', 7, {}, { v: 1 }]) {
      await expectRefused(
        () => openRecoveryShare(aliceAccount, alice.id, keyId, box),
        'malformed',
        /^box is malformed$/,
      )
    }
  })

  it('says whether a recovery key was never signed or its signature does not verify', async () => {
    const key = { keyId: crypto.randomUUID(), publicKey: toBase64Url(randomBytes(32)) }
    await expectRefused(
      () => verifyRecoveryKey({ ...key, signature: null }, alice.keys.ed25519PublicKey),
      'recovery_key_unverified',
      /^no administrator signed the recovery key$/,
    )
    const signature = await signRecoveryKey(aliceAccount, key)
    const error = await expectRefused(
      () => verifyRecoveryKey({ ...key, signature }, bob.keys.ed25519PublicKey),
      'recovery_key_unverified',
      /^the recovery key’s signature does not verify with its administrator’s key$/,
    )
    expect(error.cause).toMatchObject({ code: 'bad_signature' })
  })

  it('refuses a reset secret that is not 32 bytes', async () => {
    for (const length of [0, 16, 31, 33]) {
      await expectRefused(
        () => deriveReset(toBase64Url(randomBytes(length))),
        'malformed',
        /^not a reset secret$/,
      )
    }
  })
})
