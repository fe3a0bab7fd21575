import { describe, expect, it } from 'vitest'
import { Base64Url } from '../contracts/common.js'
import { CHUNK_BYTES, type AnswerEnvelope } from '../contracts/messages.js'
import type { PutAnswerRequest, PutRequestRequest, RequestView } from '../contracts/requests.js'
import { createAccountKeys } from '../crypto/account.js'
import {
  concatBytes,
  fromBase64Url,
  randomBytes,
  toBase64Url,
  type Bytes,
} from '../crypto/bytes.js'
import { CryptoError } from '../crypto/crypto-error.js'
import { openChunk } from '../crypto/message.js'
import { deriveRequestKeys, openAnswer, parseRequestUrl, requestUrl } from '../crypto/request.js'
import { bytesSource } from './files.js'
import { answerRequest, createRequest, openRequestRow, viewRequest } from './request-flows.js'

async function person(username: string) {
  return {
    id: crypto.randomUUID(),
    ...(await createAccountKeys(toBase64Url(randomBytes(64)), username)),
  }
}
const [alice, mallory] = await Promise.all([person('alice'), person('mallory')])
const ORIGIN = 'https://vault.example'

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
}

/**
 * A server holding one request of alice's; `servedKey` is the X25519 key it hands visitors
 * (alice's, unless a test makes it swap in another).
 */
function fakeServer(servedKey = alice.keys.x25519PublicKey) {
  const state = {
    requests: new Map<string, PutRequestRequest>(),
    chunks: new Map<string, Bytes>(),
    answers: new Map<string, PutAnswerRequest>(),
  }
  const api = {
    putRequest: async (id: string, body: PutRequestRequest) => {
      state.requests.set(id, body)
      return { id }
    },
    viewRequest: async (id: string): Promise<RequestView> => {
      const stored = state.requests.get(id)
      if (!stored) throw new Error('not_available')
      return {
        note: stored.note,
        requester: { id: alice.id, x25519PublicKey: Base64Url.parse(servedKey) },
        allowFiles: stored.allowFiles,
        expiresAt: stored.expiresAt,
        answersLeft: stored.maxAnswers,
        answerLifetimeDays: 30,
        maxFileBytes: 1_000_000,
        maxAnswerBytes: 1_000_000,
      }
    },
    uploadAnswerChunk: async (
      _id: string,
      _proof: string,
      blobId: string,
      index: number,
      sealed: Uint8Array,
    ) => {
      state.chunks.set(`${blobId}/${index}`, sealed as Bytes)
    },
    putAnswer: async (_id: string, answerId: string, body: PutAnswerRequest) => {
      state.answers.set(answerId, body)
      return { id: answerId }
    },
  }
  return { api, state }
}

function create(api: ReturnType<typeof fakeServer>['api'], allowFiles = true) {
  return createRequest(api, {
    origin: ORIGIN,
    account: alice.account,
    me: { displayName: 'Alice', username: 'alice' },
    note: 'VPN password for the Berlin router',
    label: 'Berlin',
    expiresAt: '2026-12-02T09:00:00.000Z',
    maxAnswers: 1,
    allowFiles,
  })
}

describe('creating a request', () => {
  it('gives a link whose fragment names the requester’s key, and sends no secret', async () => {
    const { api, state } = fakeServer()
    const { id, url } = await create(api)
    const parsed = parseRequestUrl(url)
    expect(parsed.origin).toBe(ORIGIN)
    expect(parsed.id).toBe(id)
    const keys = await deriveRequestKeys(parsed.secret)
    expect(keys.id).toBe(id)
    const sent = JSON.stringify(state.requests.get(id))
    expect(sent).not.toContain(toBase64Url(parsed.secret))
    expect(sent).not.toContain(keys.accessProof)
    expect(sent).not.toContain('Berlin')
    expect(state.requests.get(id)?.accessVerifier).toBe(keys.accessVerifier)
  })

  it('rebuilds the same link, note and label from the requester’s own copy', async () => {
    const { api, state } = fakeServer()
    const { id, url } = await create(api)
    const stored = state.requests.get(id)!
    const summary = {
      id,
      createdAt: '2026-11-25T09:00:00.000Z',
      expiresAt: stored.expiresAt,
      maxAnswers: 1,
      answers: 0,
      allowFiles: true,
      owner: stored.owner,
    }
    expect(await openRequestRow(alice.account, ORIGIN, summary)).toEqual({
      summary,
      note: 'VPN password for the Berlin router',
      label: 'Berlin',
      url,
    })
    expect(await openRequestRow(mallory.account, ORIGIN, summary)).toEqual({
      summary,
      note: null,
      label: null,
      url: null,
    })
  })
})

describe('answering a request', () => {
  it('shows the note and who asks, and seals text and file so the requester opens them', async () => {
    const { api, state } = fakeServer()
    const { id, url } = await create(api)
    expect(await viewRequest(api, url)).toMatchObject({
      id,
      note: 'VPN password for the Berlin router',
      from: { displayName: 'Alice', username: 'alice' },
      allowFiles: true,
      answersLeft: 1,
    })
    const file = new Uint8Array(CHUNK_BYTES + 10).map((_, i) => (i * 31 + 7) & 0xff)
    const now = new Date('2026-11-25T10:00:00.000Z')
    const { id: answerId } = await answerRequest(api, url, {
      text: 'the password is hunter2',
      files: [bytesSource('vpn.conf', 'text/plain', file)],
      now: () => now,
    })
    const put = state.answers.get(answerId)!
    expect(put.accessProof).toBe((await deriveRequestKeys(parseRequestUrl(url).secret)).accessProof)
    expect(put.answer.sentAt).toBe(now.toISOString())
    expect(put.answer.expiresAt).toBe('2026-12-25T10:00:00.000Z')
    const envelope: AnswerEnvelope = {
      v: 1,
      kind: 'request-answer',
      id: answerId,
      requestId: id,
      requesterId: alice.id,
      sentAt: put.answer.sentAt,
      expiresAt: put.answer.expiresAt,
      body: put.answer.body,
      attachments: put.answer.attachments,
      owner: state.requests.get(id)!.owner,
    }
    const opened = await openAnswer({
      account: alice.account,
      readerId: alice.id,
      envelope,
      key: put.answer.key,
    })
    expect(opened.text).toBe('the password is hunter2')
    const [ref] = opened.attachments
    expect(ref).toMatchObject({ name: 'vpn.conf', size: file.length, chunkCount: 2 })
    const parts = [0, 1].map((i) =>
      openChunk(
        opened.contentKey,
        ref!.blobId,
        i,
        i === 1,
        state.chunks.get(`${ref!.blobId}/${i}`)!,
      ),
    )
    expect(toBase64Url(concatBytes(...(await Promise.all(parts))))).toBe(toBase64Url(file))
  })

  it('refuses to view, seal or upload anything when the server serves another key', async () => {
    const honest = fakeServer()
    const { url } = await create(honest.api)
    const swapped = fakeServer(mallory.keys.x25519PublicKey)
    swapped.state.requests = honest.state.requests
    expect(await failure(viewRequest(swapped.api, url))).toMatchObject({ code: 'bad_key' })
    const error = await failure(
      answerRequest(swapped.api, url, {
        text: 'the password is hunter2',
        files: [bytesSource('vpn.conf', 'text/plain', randomBytes(10))],
      }),
    )
    expect(error).toBeInstanceOf(CryptoError)
    expect(error).toMatchObject({ code: 'bad_key' })
    expect(swapped.state.chunks.size).toBe(0)
    expect(swapped.state.answers.size).toBe(0)
  })

  it('refuses a link whose id does not belong to its secret as malformed', async () => {
    const { api } = fakeServer()
    const { url } = await create(api)
    const parsed = parseRequestUrl(url)
    const other = (await deriveRequestKeys(randomBytes(32))).id
    const damaged = requestUrl(ORIGIN, other, parsed.secret, parsed.fingerprint)
    expect(await failure(viewRequest(api, damaged))).toMatchObject({ code: 'malformed' })
    expect(fromBase64Url(damaged.split('#')[1]!)).toHaveLength(48)
  })
})
