import { describe, expect, it } from 'vitest'
import type { OpenLinkHead } from '../contracts/links.js'
import { CHUNK_BYTES, chunkCountFor } from '../contracts/messages.js'
import type { Argon2Params } from '../contracts/common.js'
import { type Bytes, concatBytes, randomBytes, toBase64Url, utf8 } from '../crypto/bytes.js'
import { CryptoError } from '../crypto/crypto-error.js'
import {
  deriveLinkKeys,
  linkContentKey,
  linkUrl,
  newLinkSecret,
  passphraseProof,
  sealLinkContent,
  stretchPassphrase,
} from '../crypto/link.js'
import { sealChunk } from '../crypto/message.js'
import { ApiError, createPublicApiClient, type FetchLikeResponse } from './api-client.js'
import { openLink, readLinkFrames } from './link-flows.js'

type ServedFile = OpenLinkHead['files'][number] & { chunks: Bytes[] }

/** The least Argon2id the contract takes: these tests count requests, not cost. */
const CHEAP_ARGON2: Argon2Params = { memoryKiB: 8 * 1024, iterations: 1, parallelism: 1 }

/**
 * A link with `files` as its creator sealed it, and what an honest server would serve; with a
 * `passphrase`, also its salt and parameters and the proof an open must bring.
 */
async function sealedLink(files: Array<{ name: string; bytes: Bytes }>, passphrase?: string) {
  const secret = newLinkSecret()
  const keys = await deriveLinkKeys(secret)
  const salt = randomBytes(16)
  const stretched = passphrase ? await stretchPassphrase(passphrase, salt, CHEAP_ARGON2) : null
  const guard = stretched && {
    salt: toBase64Url(salt),
    params: CHEAP_ARGON2,
    proof: (await passphraseProof(keys, stretched)).proof,
  }
  const key = await linkContentKey(keys, stretched)
  const served: ServedFile[] = []
  for (const file of files) {
    const blobId = crypto.randomUUID()
    const chunkCount = chunkCountFor(file.bytes.length)
    const chunks: Bytes[] = []
    for (let i = 0; i < chunkCount; i++) {
      const plain = file.bytes.slice(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES)
      chunks.push(await sealChunk(key, blobId, i, i === chunkCount - 1, plain))
    }
    served.push({ blobId, size: file.bytes.length, chunkCount, chunks })
  }
  const payload = await sealLinkContent(key, keys.id, {
    subject: 'Servers',
    text: 'Both files are attached.',
    files: files.map((file, i) => ({
      blobId: served[i]!.blobId,
      name: file.name,
      type: 'application/octet-stream',
      size: file.bytes.length,
    })),
  })
  return { url: linkUrl('https://vault.example', keys.id, secret), payload, served, guard }
}

function u32(value: number): Bytes {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, value)
  return out
}

/** The open response's framing: u32 head length, JSON head, each chunk as u32 length + bytes. */
function frames(head: unknown, files: ServedFile[]): Bytes {
  const json = utf8(JSON.stringify(head))
  const chunks = files.flatMap((file) => file.chunks.flatMap((chunk) => [u32(chunk.length), chunk]))
  return concatBytes(u32(json.length), json, ...chunks)
}

type SealedLink = Awaited<ReturnType<typeof sealedLink>>

/** The open answer for `link`, serving `files` (by default all of them, as stored). */
function openAnswer(link: SealedLink, files = link.served): Bytes {
  return frames(
    {
      payload: link.payload,
      files: files.map(({ blobId, size, chunkCount }) => ({ blobId, size, chunkCount })),
      views: 1,
      maxViews: 5,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      deleted: false,
    },
    files,
  )
}

/** A server that answers the open with `files` (by default all of them, as stored). */
function serverFor(link: SealedLink, files = link.served) {
  return { openLink: async () => openAnswer(link, files) }
}

/**
 * The public API client over a fake HTTP transport that answers the link routes as the server
 * does and records every request it is sent: the requests an open costs are counted on the wire.
 */
function httpServerFor(link: SealedLink) {
  const requests: Array<{ path: string; body: Record<string, unknown> }> = []
  const answer = (status: number, body: Bytes | string): FetchLikeResponse => {
    const bytes = typeof body === 'string' ? utf8(body) : body
    return {
      ok: status < 400,
      status,
      headers: { get: () => null },
      body: null,
      text: async () => new TextDecoder().decode(bytes),
      arrayBuffer: async () => bytes.slice().buffer,
    }
  }
  const error = (status: number, fields: Record<string, unknown>) =>
    answer(status, JSON.stringify({ error: { message: 'x', ...fields } }))
  const api = createPublicApiClient({
    baseUrl: 'https://vault.example',
    fetch: async (url, init) => {
      const path = new URL(url).pathname
      const body = JSON.parse(String(init.body)) as Record<string, unknown>
      requests.push({ path, body })
      if (!path.endsWith('/open')) return error(404, { code: 'not_available' })
      const { guard } = link
      if (guard && body.passphraseProof === undefined) {
        return error(403, {
          code: 'passphrase_needed',
          passphrase: { salt: guard.salt, params: guard.params },
        })
      }
      if (guard && body.passphraseProof !== guard.proof) {
        return error(403, { code: 'wrong_passphrase', triesLeft: 9 })
      }
      return answer(200, openAnswer(link))
    },
  })
  return { api, requests }
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
}

const keysFile = {
  name: 'keys.txt',
  bytes: concatBytes(randomBytes(CHUNK_BYTES), randomBytes(10)),
}
const notesFile = { name: 'notes.txt', bytes: utf8('rotate quarterly') }

describe('openLink', () => {
  it('opens every file the sealed content lists', async () => {
    const link = await sealedLink([keysFile, notesFile])
    const opened = await openLink(serverFor(link), link.url)
    expect(opened.files.map((f) => [f.name, f.bytes])).toEqual([
      ['keys.txt', keysFile.bytes],
      ['notes.txt', notesFile.bytes],
    ])
  })

  it('refuses a link whose server silently dropped one of its files', async () => {
    const link = await sealedLink([keysFile, notesFile])
    const error = await failure(openLink(serverFor(link, link.served.slice(0, 1)), link.url))
    expect(error).toBeInstanceOf(CryptoError)
    expect(error).toMatchObject({ code: 'malformed' })
  })

  it('refuses a link whose server serves one file twice instead of two', async () => {
    const link = await sealedLink([keysFile, notesFile])
    const twice = [link.served[1]!, link.served[1]!]
    const error = await failure(openLink(serverFor(link, twice), link.url))
    expect(error).toBeInstanceOf(CryptoError)
    expect(error).toMatchObject({ code: 'malformed' })
  })

  it('refuses a link whose server adds a file its content does not list', async () => {
    const link = await sealedLink([notesFile])
    const other = await sealedLink([keysFile])
    const error = await failure(
      openLink(serverFor(link, [...link.served, ...other.served]), link.url),
    )
    expect(error).toBeInstanceOf(CryptoError)
    expect(error).toMatchObject({ code: 'malformed' })
  })

  it('refuses a link whose server swapped one of its files for another', async () => {
    const link = await sealedLink([notesFile])
    const other = await sealedLink([notesFile])
    const error = await failure(openLink(serverFor(link, other.served), link.url))
    expect(error).toBeInstanceOf(CryptoError)
    expect(error).toMatchObject({ code: 'malformed' })
  })

  it('refuses a served file whose size differs from the sealed one', async () => {
    const link = await sealedLink([notesFile])
    const shorter = [{ ...link.served[0]!, size: notesFile.bytes.length - 1 }]
    const error = await failure(openLink(serverFor(link, shorter), link.url))
    expect(error).toBeInstanceOf(CryptoError)
    expect(error).toMatchObject({ code: 'malformed' })
  })

  it('refuses a served file whose chunk count does not fit its sealed size', async () => {
    const link = await sealedLink([keysFile])
    const [file] = link.served
    const cut = [{ ...file!, chunkCount: 1, chunks: file!.chunks.slice(0, 1) }]
    const error = await failure(openLink(serverFor(link, cut), link.url))
    expect(error).toBeInstanceOf(CryptoError)
    expect(error).toMatchObject({ code: 'malformed' })
  })
})

describe('readLinkFrames', () => {
  const malformed: Array<[string, Bytes]> = [
    ['is shorter than its length prefix', new Uint8Array([0, 0])],
    ['has a head that is not JSON', concatBytes(u32(5), utf8('{oops'))],
    ['has a head of the wrong shape', concatBytes(u32(2), utf8('{}'))],
    ['has a head that is not UTF-8', concatBytes(u32(2), new Uint8Array([0xff, 0xfe]))],
  ]
  it.each(malformed)('refuses an answer that %s with CryptoError', (_what, body) => {
    let error: unknown
    try {
      readLinkFrames(body)
    } catch (thrown) {
      error = thrown
    }
    expect(error).toBeInstanceOf(CryptoError)
    expect(error).toMatchObject({ code: 'malformed' })
  })
})

describe('openLink on the wire', () => {
  const passphrase = 'correct horse'

  it('opens a link without a passphrase in exactly one request', async () => {
    const link = await sealedLink([notesFile])
    const { api, requests } = httpServerFor(link)
    const opened = await openLink(api, link.url, 'not asked for')
    expect(opened.text).toBe('Both files are attached.')
    expect(opened.hasPassphrase).toBe(false)
    expect(requests.map((r) => r.path)).toEqual([expect.stringMatching(/\/open$/)])
    expect(requests[0]?.body).not.toHaveProperty('passphraseProof')
  })

  it('opens a link with a passphrase in two: passphrase_needed, then the proof', async () => {
    const link = await sealedLink([notesFile], passphrase)
    const { api, requests } = httpServerFor(link)
    const opened = await openLink(api, link.url, passphrase)
    expect(opened.files.map((f) => f.bytes)).toEqual([notesFile.bytes])
    expect(opened.hasPassphrase).toBe(true)
    expect(requests.map((r) => r.path)).toEqual([
      expect.stringMatching(/\/open$/),
      expect.stringMatching(/\/open$/),
    ])
    expect(requests.map((r) => r.body.passphraseProof)).toEqual([undefined, link.guard?.proof])
  })

  it('without a passphrase, throws passphrase_needed with the salt and parameters', async () => {
    const link = await sealedLink([notesFile], passphrase)
    const { api, requests } = httpServerFor(link)
    const error = await failure(openLink(api, link.url))
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({
      status: 403,
      code: 'passphrase_needed',
      passphrase: { salt: link.guard?.salt, params: CHEAP_ARGON2 },
    })
    expect(requests).toHaveLength(1)
  })

  it('with the parameters passphrase_needed gave, opens in one request', async () => {
    const link = await sealedLink([notesFile], passphrase)
    const { api, requests } = httpServerFor(link)
    const needed = (await failure(openLink(api, link.url))) as ApiError
    const opened = await openLink(api, link.url, passphrase, {
      passphraseParams: needed.passphrase,
    })
    expect(opened.text).toBe('Both files are attached.')
    expect(requests.map((r) => r.body.passphraseProof)).toEqual([undefined, link.guard?.proof])
  })

  it('passes a wrong passphrase on as wrong_passphrase with the tries left', async () => {
    const link = await sealedLink([notesFile], passphrase)
    const { api, requests } = httpServerFor(link)
    expect(await failure(openLink(api, link.url, 'wrong horse'))).toMatchObject({
      code: 'wrong_passphrase',
      triesLeft: 9,
    })
    expect(requests).toHaveLength(2)
  })
})
