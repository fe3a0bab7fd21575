import { describe, expect, it } from 'vitest'
import type { AccountKeys } from '../contracts/auth.js'
import { Base64Url, type HpkeBox } from '../contracts/common.js'
import type { AnswerEnvelope } from '../contracts/messages.js'
import type { SealedAnswer } from '../contracts/requests.js'
import { createAccountKeys, unlockAccount } from './account.js'
import { fromBase64Url, randomBytes, toBase64Url, utf8 } from './bytes.js'
import { CryptoError, type CryptoErrorCode } from './crypto-error.js'
import { sealEnvelope } from './envelope.js'
import { sha256 } from './hkdf.js'
import { type HpkePsk, hpkeSeal } from './hpke.js'
import { createContentKey, openChunk } from './message.js'
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
  sealRequestNote,
  sealRequestOwnerCopy,
} from './request.js'
import v1 from './vectors/request-v1.json' with { type: 'json' }
import accountsV1 from './vectors/sealpost-v1.json' with { type: 'json' }
import { importX25519PublicKey } from './x25519.js'

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
const [alice, mallory] = await Promise.all([person('alice'), person('mallory')])

const KEY_INFO = utf8('sealpost/v1/request-answer-key')
const flip = (text: string) => {
  const bytes = fromBase64Url(text)
  bytes[0] = bytes[0]! ^ 1
  return Base64Url.parse(toBase64Url(bytes))
}

/** A request of `requester`, as their client makes it: secret, keys, link parts, own copy. */
async function request(requester: Person = alice, note = 'VPN password for the Berlin router') {
  const secret = newRequestSecret()
  const keys = await deriveRequestKeys(secret)
  const fingerprint = await requestKeyFingerprint(requester.account.x25519PublicKey)
  const owner = await sealRequestOwnerCopy(requester.account.accountKey, keys.id, {
    secret,
    note,
    label: 'Berlin',
  })
  return { secret, keys, fingerprint, owner, requester }
}
type Request = Awaited<ReturnType<typeof request>>

const FILE = { name: 'vpn.conf', type: 'text/plain', size: 25, chunkCount: 1 }

/** An answer sealed by a visitor holding the link, stored as the server stores it. */
async function answered(req: Request, files = [FILE, { ...FILE, name: 'ca.pem', size: 70_000 }]) {
  const contentKey = await createContentKey()
  const id = crypto.randomUUID()
  const attachments = files.map((f) => ({
    ...f,
    blobId: crypto.randomUUID(),
    chunkCount: Math.max(1, Math.ceil(f.size / 65536)),
  }))
  const sealed = await sealAnswer({
    keys: req.keys,
    fingerprint: req.fingerprint,
    requester: { id: req.requester.id, x25519PublicKey: req.requester.keys.x25519PublicKey },
    id,
    sentAt: '2026-11-25T09:00:00.000Z',
    expiresAt: '2026-12-25T09:00:00.000Z',
    text: 'the password is hunter2',
    attachments,
    contentKey,
  })
  const envelope: AnswerEnvelope = {
    v: 1,
    kind: 'request-answer',
    id,
    requestId: req.keys.id,
    requesterId: req.requester.id,
    sentAt: sealed.sentAt,
    expiresAt: sealed.expiresAt,
    body: sealed.body,
    attachments: sealed.attachments,
    owner: req.owner,
  }
  return { envelope, key: sealed.key, sealed, contentKey }
}

function toOpen(envelope: AnswerEnvelope, key: HpkeBox, reader: Person = alice) {
  return { account: reader.account, readerId: reader.id, envelope, key }
}

/** The content key boxed again for `envelope` as it now is, as anyone holding `psk` could. */
async function rebox(envelope: AnswerEnvelope, raw: Uint8Array, psk: HpkePsk): Promise<HpkeBox> {
  const box = await hpkeSeal(
    await importX25519PublicKey(alice.account.x25519PublicKey),
    raw as Uint8Array<ArrayBuffer>,
    KEY_INFO,
    answerAad(envelope, 'key'),
    psk,
  )
  return { enc: Base64Url.parse(toBase64Url(box.enc)), ct: Base64Url.parse(toBase64Url(box.ct)) }
}

describe('request secret', () => {
  it('is 32 random bytes that yield a 128-bit id, an access proof and its SHA-256', async () => {
    const secret = newRequestSecret()
    expect(secret).toHaveLength(32)
    expect(toBase64Url(secret)).not.toBe(toBase64Url(newRequestSecret()))
    const keys = await deriveRequestKeys(secret)
    expect(keys.id).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(keys.accessVerifier).toBe(toBase64Url(await sha256(fromBase64Url(keys.accessProof))))
    expect(keys.answerPsk.key).toHaveLength(32)
    const other = await deriveRequestKeys(newRequestSecret())
    expect(other.id).not.toBe(keys.id)
    expect(other.accessProof).not.toBe(keys.accessProof)
    expect(toBase64Url(other.answerPsk.key)).not.toBe(toBase64Url(keys.answerPsk.key))
  })

  it('refuses a secret that is not 32 bytes', async () => {
    for (const length of [31, 33]) {
      await expectCryptoError(deriveRequestKeys(randomBytes(length)), 'bad_key')
    }
  })
})

describe('requester key fingerprint', () => {
  it('is 16 bytes of the key, the same each time and different for another key', async () => {
    const mine = await requestKeyFingerprint(alice.account.x25519PublicKey)
    expect(mine).toHaveLength(16)
    expect(toBase64Url(await requestKeyFingerprint(alice.account.x25519PublicKey))).toBe(
      toBase64Url(mine),
    )
    expect(toBase64Url(await requestKeyFingerprint(mallory.account.x25519PublicKey))).not.toBe(
      toBase64Url(mine),
    )
    await expectCryptoError(requestKeyFingerprint(randomBytes(31)), 'bad_key')
  })

  it('accepts the key the link names and refuses any other as bad_key', async () => {
    const fingerprint = await requestKeyFingerprint(alice.account.x25519PublicKey)
    await checkRequesterKey(fingerprint, alice.account.x25519PublicKey)
    await expectCryptoError(
      checkRequesterKey(fingerprint, mallory.account.x25519PublicKey),
      'bad_key',
    )
  })
})

describe('request link', () => {
  const id = 'AbCdEfGhIjKlMnOpQrSt_-'
  const secret = new Uint8Array(32).fill(7)
  const fingerprint = new Uint8Array(16).fill(9)

  it('puts the secret and the key fingerprint in the fragment and reads them back', () => {
    const url = requestUrl('https://vault.example.org//', id, secret, fingerprint)
    expect(url).toMatch(new RegExp(`^https://vault\\.example\\.org/r/${id}#[A-Za-z0-9_-]{64}$`))
    expect(parseRequestUrl(`  ${url}\n`)).toEqual({
      origin: 'https://vault.example.org',
      id,
      secret,
      fingerprint,
    })
  })

  it('refuses anything that is not a Sealpost request link as malformed', () => {
    const good = requestUrl('https://vault.example.org', id, secret, fingerprint)
    for (const url of [
      good.replace('#', ''),
      good.replace('/r/', '/s/'),
      good.replace('https://', 'ftp://'),
      good.replace(id, id.slice(1)),
      `${good}A`,
      good.slice(0, -1),
      good.replace('https://vault.example.org', 'https://vault.example.org/base'),
    ]) {
      expect(() => parseRequestUrl(url), url).toThrow(CryptoError)
    }
  })
})

describe('request note and owner copy', () => {
  const note = { note: 'VPN password', from: { displayName: 'Alice', username: 'alice' } }

  it('opens the note only with the keys of the request it was sealed for', async () => {
    const { keys } = await request()
    const sealed = await sealRequestNote(keys, note)
    expect(await openRequestNote(keys, sealed)).toEqual(note)
    await expectCryptoError(
      openRequestNote(await deriveRequestKeys(newRequestSecret()), sealed),
      'decrypt_failed',
    )
    await expectCryptoError(
      openRequestNote(keys, { ...sealed, ct: flip(sealed.ct) }),
      'decrypt_failed',
    )
  })

  it('opens the owner copy only with the account key, under its own request id', async () => {
    const req = await request()
    expect(await openRequestOwnerCopy(alice.account.accountKey, req.keys.id, req.owner)).toEqual({
      secret: req.secret,
      note: 'VPN password for the Berlin router',
      label: 'Berlin',
    })
    await expectCryptoError(
      openRequestOwnerCopy(mallory.account.accountKey, req.keys.id, req.owner),
      'decrypt_failed',
    )
    const other = await request()
    await expectCryptoError(
      openRequestOwnerCopy(alice.account.accountKey, other.keys.id, req.owner),
      'decrypt_failed',
    )
  })

  it('refuses an owner copy holding another request’s secret as malformed', async () => {
    const req = await request()
    const forged = await sealRequestOwnerCopy(alice.account.accountKey, req.keys.id, {
      secret: newRequestSecret(),
      note: 'x',
      label: null,
    })
    await expectCryptoError(
      openRequestOwnerCopy(alice.account.accountKey, req.keys.id, forged),
      'malformed',
    )
  })

  it('refuses an owner copy that is not the expected JSON as malformed', async () => {
    const req = await request()
    const garbage = await sealEnvelope(
      alice.account.accountKey,
      utf8('{"secret":1}'),
      utf8(`sealpost/v1/request/owner/${req.keys.id}`),
    )
    await expectCryptoError(
      openRequestOwnerCopy(alice.account.accountKey, req.keys.id, garbage),
      'malformed',
    )
  })
})

describe('answer', () => {
  it('opens for the requester with the note, the text and every file name', async () => {
    const req = await request()
    const { envelope, key } = await answered(req)
    const opened = await openAnswer(toOpen(envelope, key))
    expect(opened).toMatchObject({
      note: 'VPN password for the Berlin router',
      label: 'Berlin',
      text: 'the password is hunter2',
      attachments: [
        { blobId: envelope.attachments[0]!.blobId, name: 'vpn.conf', size: 25, chunkCount: 1 },
        { blobId: envelope.attachments[1]!.blobId, name: 'ca.pem', size: 70_000, chunkCount: 2 },
      ],
    })
  })

  it('refuses to seal to a served key that is not the requester’s of the link', async () => {
    const req = await request()
    const error = await sealAnswer({
      keys: req.keys,
      fingerprint: req.fingerprint,
      // The server swapped in its own key (here: mallory's) for the requester's.
      requester: { id: alice.id, x25519PublicKey: mallory.keys.x25519PublicKey },
      id: crypto.randomUUID(),
      sentAt: '2026-11-25T09:00:00.000Z',
      expiresAt: '2026-12-25T09:00:00.000Z',
      text: 'secret',
      attachments: [],
      contentKey: await createContentKey(),
    }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    )
    expect(error).toBeInstanceOf(CryptoError)
    expect(error).toMatchObject({ code: 'bad_key' })
  })

  it('opens for nobody but the requester', async () => {
    const req = await request()
    const { envelope, key } = await answered(req)
    await expectCryptoError(openAnswer(toOpen(envelope, key, mallory)), 'malformed')
    // Mallory claiming to be the requester still lacks the account key and the X25519 key.
    await expectCryptoError(
      openAnswer({ account: mallory.account, readerId: alice.id, envelope, key }),
      'decrypt_failed',
    )
  })

  it('refuses a key box the server made without the link’s pre-shared key', async () => {
    const req = await request()
    const { envelope, contentKey } = await answered(req)
    const box = await hpkeSeal(
      await importX25519PublicKey(alice.account.x25519PublicKey),
      contentKey.raw,
      KEY_INFO,
      answerAad(envelope, 'key'),
    )
    const forged = {
      enc: Base64Url.parse(toBase64Url(box.enc)),
      ct: Base64Url.parse(toBase64Url(box.ct)),
    }
    await expectCryptoError(openAnswer(toOpen(envelope, forged)), 'decrypt_failed')
  })

  it('refuses a key box sealed with another request’s pre-shared key', async () => {
    const req = await request()
    const other = await request()
    const { envelope, contentKey } = await answered(req)
    const key = await rebox(envelope, contentKey.raw, other.keys.answerPsk)
    await expectCryptoError(openAnswer(toOpen(envelope, key)), 'decrypt_failed')
    // The control: the right pre-shared key opens it.
    const right = await rebox(envelope, contentKey.raw, req.keys.answerPsk)
    expect((await openAnswer(toOpen(envelope, right))).text).toBe('the password is hunter2')
  })

  it('refuses an unknown envelope version', async () => {
    const { envelope, key } = await answered(await request())
    await expectCryptoError(
      openAnswer(toOpen({ ...envelope, v: 2 as 1 }, key)),
      'unsupported_version',
    )
  })

  // Each bound field changed: the key box no longer opens; and when a holder of the link boxes
  // the same content key again for the changed field, the body's AAD still refuses it.
  const other = crypto.randomUUID()
  const changes: Array<[string, (e: AnswerEnvelope) => Partial<AnswerEnvelope>]> = [
    ['answer id', () => ({ id: other })],
    ['sent time', () => ({ sentAt: '2026-11-25T09:00:01.000Z' })],
    ['expiry', () => ({ expiresAt: '2027-11-25T09:00:00.000Z' })],
    [
      'file size',
      (e) => ({ attachments: [{ ...e.attachments[0]!, size: 24 }, e.attachments[1]!] }),
    ],
    [
      'file chunk count',
      (e) => ({ attachments: [e.attachments[0]!, { ...e.attachments[1]!, chunkCount: 1 }] }),
    ],
    ['dropped file', (e) => ({ attachments: [e.attachments[0]!] })],
    ['reordered files', (e) => ({ attachments: [e.attachments[1]!, e.attachments[0]!] })],
  ]
  for (const [field, change] of changes) {
    it(`refuses an answer whose ${field} was changed`, async () => {
      const req = await request()
      const { envelope, key, contentKey } = await answered(req)
      const changed = { ...envelope, ...change(envelope) }
      await expectCryptoError(openAnswer(toOpen(changed, key)), 'decrypt_failed')
      const reboxed = await rebox(changed, contentKey.raw, req.keys.answerPsk)
      await expectCryptoError(openAnswer(toOpen(changed, reboxed)), 'decrypt_failed')
    })
  }

  it('refuses an answer moved to another request of the same requester', async () => {
    const req = await request()
    const other = await request()
    const { envelope, key, contentKey } = await answered(req)
    const moved = { ...envelope, requestId: other.keys.id, owner: other.owner }
    await expectCryptoError(openAnswer(toOpen(moved, key)), 'decrypt_failed')
    // Even by someone holding both links, who can box the key for the other request.
    const reboxed = await rebox(moved, contentKey.raw, other.keys.answerPsk)
    await expectCryptoError(openAnswer(toOpen(moved, reboxed)), 'decrypt_failed')
  })

  it('refuses an answer whose requester id was changed', async () => {
    const req = await request()
    const { envelope, key, contentKey } = await answered(req)
    // Read as the requester it now names (the server says so), with the real keys.
    const changed = { ...envelope, requesterId: mallory.id }
    const reboxed = await rebox(changed, contentKey.raw, req.keys.answerPsk)
    for (const box of [key, reboxed]) {
      await expectCryptoError(
        openAnswer({ account: alice.account, readerId: mallory.id, envelope: changed, key: box }),
        'decrypt_failed',
      )
    }
  })

  it('refuses an answer whose body or file name was swapped or altered', async () => {
    const req = await request()
    const { envelope, key } = await answered(req)
    const { envelope: second } = await answered(req)
    const [first, next] = envelope.attachments
    for (const changed of [
      { ...envelope, body: { ...envelope.body, ct: flip(envelope.body.ct) } },
      { ...envelope, body: second.body },
      { ...envelope, attachments: [{ ...first!, meta: next!.meta }, next!] },
      { ...envelope, attachments: [{ ...first!, meta: envelope.body }, next!] },
    ]) {
      await expectCryptoError(openAnswer(toOpen(changed, key)), 'decrypt_failed')
    }
  })
})

describe('what version 1 sealed for a request', () => {
  const alice1 = accountsV1.accounts.alice

  it('derives the same id, proof, fingerprint and link from the same secret and key', async () => {
    const secret = fromBase64Url(v1.secret)
    const keys = await deriveRequestKeys(secret)
    expect({
      id: keys.id,
      accessProof: keys.accessProof,
      accessVerifier: keys.accessVerifier,
    }).toEqual(v1.keys)
    const fingerprint = await requestKeyFingerprint(fromBase64Url(alice1.keys.x25519PublicKey))
    expect(toBase64Url(fingerprint)).toBe(v1.fingerprint)
    expect(requestUrl('https://vault.example.org', keys.id, secret, fingerprint)).toBe(v1.url)
  })

  it('opens the note, the owner copy, the answer and its file', async () => {
    const account = await unlockAccount(
      alice1.exportKey,
      alice1.username,
      alice1.keys as AccountKeys,
    )
    const keys = await deriveRequestKeys(fromBase64Url(v1.secret))
    expect(await openRequestNote(keys, v1.note.sealed)).toEqual(v1.note.plain)
    expect(await openRequestOwnerCopy(account.accountKey, keys.id, v1.owner.sealed)).toEqual({
      secret: fromBase64Url(v1.secret),
      ...v1.owner.plain,
    })
    const sealed = v1.answer.sealed as SealedAnswer
    const opened = await openAnswer({
      account,
      readerId: v1.requesterId,
      envelope: {
        v: 1,
        kind: 'request-answer',
        id: v1.answer.id,
        requestId: keys.id,
        requesterId: v1.requesterId,
        sentAt: sealed.sentAt,
        expiresAt: sealed.expiresAt,
        body: sealed.body,
        attachments: sealed.attachments,
        owner: v1.owner.sealed as AnswerEnvelope['owner'],
      },
      key: sealed.key,
    })
    expect(opened).toMatchObject({
      note: v1.note.plain.note,
      label: v1.owner.plain.label,
      text: v1.answer.text,
      attachments: [{ blobId: v1.answer.blobId, name: 'vpn.conf', type: 'text/plain' }],
    })
    const file = await openChunk(
      opened.contentKey,
      v1.answer.blobId,
      0,
      true,
      fromBase64Url(v1.answer.chunk),
    )
    expect(toBase64Url(file)).toBe(v1.answer.file)
  })
})
