import { readFileSync } from 'node:fs'
import {
  createApiClient,
  createLink,
  deriveLinkKeys,
  type FileSource,
  openLink,
  parseLinkUrl,
  setupAdministrator,
} from '@sealpost/core'
import { describe, expect, inject, it } from 'vitest'
import { createDatabase } from '../../../../../scripts/postgres.mjs'
import { dialects } from '../../test-support/harness.js'
import { type ServerProcess, startServerProcess } from '../../test-support/server-process.js'

/** The attack of issue 9: a 100 MB link (four files at the default 25 MiB file limit). */
const FILE_BYTES = 25_000_000
const FILE_COUNT = 4
const CONCURRENT_OPENS = 8

/** VmHWM (the peak resident set since start) or VmRSS of a process, in MiB. */
function memoryMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`)
  return Number(match[1]) / 1024
}

function pattern(length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) out[i] = (i * 31 + 7) & 0xff
  return out
}

/** Opens the link as an anonymous visitor and reads the answer as it streams, keeping none of it. */
async function openAndDiscard(server: ServerProcess, id: string, accessProof: string) {
  const response = await fetch(`${server.url}/api/public/links/${id}/open`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sealpost-csrf': '1' },
    body: JSON.stringify({ accessProof }),
  })
  if (!response.body) throw new Error('the open answered no body')
  const reader = response.body.getReader()
  let bytes = 0
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    bytes += read.value.length
  }
  return { status: response.status, bytes }
}

const content = pattern(FILE_BYTES)

async function createBigLink(databaseUrl: string | undefined) {
  const creator = await startServerProcess({ databaseUrl })
  try {
    const api = createApiClient({ baseUrl: creator.url, manageCookies: true })
    const admin = await setupAdministrator(api, {
      username: 'admin',
      displayName: 'Admin',
      email: 'admin@example.org',
      password: 'admin password here',
    })
    const files: FileSource[] = Array.from({ length: FILE_COUNT }, (_, i) => ({
      name: `part-${i}.bin`,
      type: 'application/octet-stream',
      size: FILE_BYTES,
      read: async (offset, length) => content.subarray(offset, offset + length),
    }))
    const link = await createLink(api, {
      origin: creator.url,
      account: admin.account,
      text: 'the big one',
      files,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      maxViews: CONCURRENT_OPENS,
    })
    return { link, dataDir: creator.dataDir }
  } finally {
    await creator.stop()
  }
}

describe.each(dialects)('opening a large link on %s', (dialect) => {
  it('serves 8 concurrent opens of a 100 MB link within 300 MiB of server memory', async () => {
    const databaseUrl =
      dialect === 'postgres'
        ? await createDatabase(inject('pgUrl'), `linkmem_${process.pid}_${Date.now()}`)
        : undefined
    // One process creates the link; a fresh one serves the opens, so its peak is theirs.
    const { link, dataDir } = await createBigLink(databaseUrl)
    const server = await startServerProcess({ databaseUrl, dataDir })
    try {
      const { secret } = parseLinkUrl(link.url)
      const { accessProof } = await deriveLinkKeys(secret)
      const visitor = createApiClient({ baseUrl: server.url })
      const [opened, ...raw] = await Promise.all([
        // One visitor is the real client, which checks every chunk it decrypts.
        openLink(visitor, link.url.replace(/^[^/]+\/\/[^/]+/, server.url)),
        ...Array.from({ length: CONCURRENT_OPENS - 1 }, () =>
          openAndDiscard(server, link.id, accessProof),
        ),
      ])
      const peak = memoryMiB(server.pid, 'VmHWM')

      expect(opened.files).toHaveLength(FILE_COUNT)
      for (const file of opened.files) expect(Buffer.compare(file.bytes, content)).toBe(0)
      for (const answer of raw) {
        expect(answer.status).toBe(200)
        expect(answer.bytes).toBeGreaterThan(FILE_COUNT * FILE_BYTES)
      }
      expect(peak).toBeLessThan(300)
    } finally {
      await server.stop()
    }
  }, 240_000)
})
