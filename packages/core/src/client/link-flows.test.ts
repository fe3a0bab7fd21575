import { describe, expect, it } from 'vitest'
import type { OpenLinkHead } from '../contracts/links.js'
import { CHUNK_BYTES, chunkCountFor } from '../contracts/messages.js'
import { type Bytes, concatBytes, randomBytes, utf8 } from '../crypto/bytes.js'
import { CryptoError } from '../crypto/crypto-error.js'
import {
  deriveLinkKeys,
  linkContentKey,
  linkUrl,
  newLinkSecret,
  sealLinkContent,
} from '../crypto/link.js'
import { sealChunk } from '../crypto/message.js'
import { openLink, readLinkFrames } from './link-flows.js'

type ServedFile = OpenLinkHead['files'][number] & { chunks: Bytes[] }

/** A link with `files` as its creator sealed it, and what an honest server would serve. */
async function sealedLink(files: Array<{ name: string; bytes: Bytes }>) {
  const secret = newLinkSecret()
  const keys = await deriveLinkKeys(secret)
  const key = await linkContentKey(keys, null)
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
  return { url: linkUrl('https://vault.example', keys.id, secret), payload, served }
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

/** A server that answers the open with `files` (by default all of them, as stored). */
function serverFor(link: Awaited<ReturnType<typeof sealedLink>>, files = link.served) {
  return {
    revealLink: async () => ({ passphrase: null, fileCount: files.length }),
    openLink: async () =>
      frames(
        {
          payload: link.payload,
          files: files.map(({ blobId, size, chunkCount }) => ({ blobId, size, chunkCount })),
          views: 1,
          maxViews: 5,
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
          deleted: false,
        },
        files,
      ),
  }
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
