import { describe, expect, it } from 'vitest'
import type { AnswerEnvelope, MessageDetail, MessageSummary } from '../contracts/messages.js'
import { createAccountKeys, type UnlockedAccount } from '../crypto/account.js'
import { randomBytes, toBase64Url } from '../crypto/bytes.js'
import { CryptoError, type CryptoErrorCode } from '../crypto/crypto-error.js'
import { createContentKey, sealMessage } from '../crypto/message.js'
import {
  deriveRequestKeys,
  newRequestSecret,
  requestKeyFingerprint,
  sealAnswer,
  sealRequestOwnerCopy,
} from '../crypto/request.js'
import {
  answerToSave,
  envelopeFacts,
  openAnswerDetail,
  openListSubject,
  openMessageDetail,
} from './message-flows.js'

type Person = { id: string; account: UnlockedAccount }

async function person(username: string): Promise<Person> {
  const { account } = await createAccountKeys(toBase64Url(randomBytes(64)), username)
  return { id: crypto.randomUUID(), account }
}
const [alice, mallory] = await Promise.all([person('alice'), person('mallory')])

async function expectCryptoError(promise: Promise<unknown>, code: CryptoErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(CryptoError)
  expect(error).toMatchObject({ code })
}

const SENT = '2026-11-25T09:00:00.000Z'
const EXPIRES = '2026-12-25T09:00:00.000Z'

/** An answer to one of alice's requests, as the server serves it to her. */
async function answerDetail(): Promise<MessageDetail & { envelope: AnswerEnvelope }> {
  const secret = newRequestSecret()
  const keys = await deriveRequestKeys(secret)
  const id = crypto.randomUUID()
  const sealed = await sealAnswer({
    keys,
    fingerprint: await requestKeyFingerprint(alice.account.x25519PublicKey),
    requester: { id: alice.id, x25519PublicKey: toBase64Url(alice.account.x25519PublicKey) },
    id,
    sentAt: SENT,
    expiresAt: EXPIRES,
    text: 'the password is hunter2',
    attachments: [],
    contentKey: await createContentKey(),
  })
  return {
    envelope: {
      v: 1,
      kind: 'request-answer',
      id,
      requestId: keys.id,
      requesterId: alice.id,
      sentAt: SENT,
      expiresAt: EXPIRES,
      body: sealed.body,
      attachments: [],
      owner: await sealRequestOwnerCopy(alice.account.accountKey, keys.id, {
        secret,
        note: 'VPN password',
        label: null,
      }),
    },
    key: sealed.key,
    sender: null,
    readAt: null,
    recipients: null,
    thread: [],
  }
}

/** The inbox row the server assembles for an answer. */
function answerRow(detail: MessageDetail & { envelope: AnswerEnvelope }): MessageSummary {
  return {
    id: detail.envelope.id,
    origin: 'request',
    sender: null,
    recipientIds: [alice.id],
    sentAt: SENT,
    expiresAt: EXPIRES,
    highPriority: false,
    replyTo: null,
    header: null,
    key: detail.key,
    attachmentCount: 0,
    readAt: null,
  }
}

const serverWith = (detail: MessageDetail) => ({ getMessage: async () => detail })
const when = new Date('2026-11-26T09:00:00.000Z')

describe('an answer from outside in the requester’s inbox', () => {
  it('opens as what it is: the request’s note as subject, the visitor’s text as body', async () => {
    const detail = await answerDetail()
    expect(await openAnswerDetail(alice.account, alice.id, detail, when)).toMatchObject({
      subject: 'VPN password',
      body: 'the password is hunter2',
      attachments: [],
      tree: null,
      request: { id: detail.envelope.requestId, note: 'VPN password', label: null },
    })
    expect(envelopeFacts(detail.envelope)).toEqual({
      id: detail.envelope.id,
      origin: 'request',
      senderId: null,
      recipientIds: [alice.id],
      sentAt: SENT,
      expiresAt: EXPIRES,
      highPriority: false,
      replyTo: null,
    })
  })

  it('never opens as a signed message, whoever the server says sent it', async () => {
    const detail = await answerDetail()
    await expectCryptoError(
      openMessageDetail(alice.account, alice.id, detail, when),
      'bad_signature',
    )
    const claimed = {
      ...detail,
      sender: {
        id: alice.id,
        username: 'alice',
        displayName: 'Alice',
        ed25519PublicKey: toBase64Url(alice.account.ed25519PublicKey) as never,
      },
    }
    await expectCryptoError(
      openMessageDetail(alice.account, alice.id, claimed, when),
      'bad_signature',
    )
    // Nor as an answer when the server names a sender for it.
    await expectCryptoError(openAnswerDetail(alice.account, alice.id, claimed, when), 'malformed')
  })

  it('refuses an answer once its sealed expiry has passed', async () => {
    const detail = await answerDetail()
    await expectCryptoError(
      openAnswerDetail(alice.account, alice.id, detail, new Date(EXPIRES)),
      'expired',
    )
  })

  it('refuses a signed message offered as an answer', async () => {
    const request = await sealMessage({
      draft: {
        id: crypto.randomUUID(),
        senderId: mallory.id,
        recipientIds: [alice.id],
        sentAt: SENT,
        expiresAt: null,
        highPriority: false,
        replyTo: null,
        subject: 'hi',
        body: 'hello',
        attachments: [],
      },
      contentKey: await createContentKey(),
      sender: mallory.account,
      publicKeys: new Map([
        [alice.id, toBase64Url(alice.account.x25519PublicKey)],
        [mallory.id, toBase64Url(mallory.account.x25519PublicKey)],
      ]),
    })
    const detail: MessageDetail = {
      envelope: request.envelope,
      key: request.keys.find((k) => k.userId === alice.id)!.box,
      sender: null,
      readAt: null,
      recipients: null,
      thread: [],
    }
    await expectCryptoError(openAnswerDetail(alice.account, alice.id, detail, when), 'malformed')
  })

  it('gives a list row the note as subject only when the row says it comes from outside', async () => {
    const detail = await answerDetail()
    const row = answerRow(detail)
    expect(await openListSubject(serverWith(detail), alice.account, alice.id, row)).toBe(
      'VPN password',
    )
    for (const disguised of [
      { ...row, origin: 'member' as const },
      { ...row, sender: { id: mallory.id, username: 'mallory', displayName: 'Mallory' } },
      { ...row, highPriority: true },
      { ...row, sentAt: '2026-11-25T09:00:01.000Z' },
      { ...row, attachmentCount: 1 },
    ]) {
      await expectCryptoError(
        openListSubject(serverWith(detail), alice.account, alice.id, disguised),
        'bad_signature',
      )
    }
  })
})

describe('saving an answer in the vault', () => {
  const opened = {
    subject: 'VPN password',
    body: 'hunter2',
    attachments: [{ blobId: 'b1', name: 'vpn.conf', type: 'text/plain', size: 10, chunkCount: 1 }],
    groups: [],
    directIds: [],
    tree: null,
    contentKey: {} as CryptoKey,
    request: { id: 'AAAAAAAAAAAAAAAAAAAAAA', note: 'VPN password', label: null },
  }

  it('makes one credential named after the request, with the text as password and the files', () => {
    expect(answerToSave(opened).tree).toEqual([
      {
        kind: 'entry',
        content: {
          name: 'VPN password',
          type: 'credential',
          password: 'hunter2',
          fields: [],
          files: [{ blobId: 'b1', name: 'vpn.conf', type: 'text/plain', size: 10 }],
        },
        children: [],
      },
    ])
  })

  it('keeps text of several lines as a note, and names it by the label when there is one', () => {
    const saved = answerToSave({
      ...opened,
      body: 'line one\nline two',
      request: { ...opened.request, label: 'Berlin router' },
    })
    expect(saved.tree?.[0]?.content).toMatchObject({
      name: 'Berlin router',
      type: 'note',
      notes: 'line one\nline two',
    })
    expect(saved.tree?.[0]?.content.password).toBeUndefined()
  })
})
