import {
  acceptInvite,
  CHUNK_BYTES,
  createApiClient,
  inviteTokenFrom,
  setupAdministrator,
} from '@sealpost/core'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { createDatabase } from '../../../../../scripts/postgres.mjs'
import { openDatabase } from '../../db/database.js'
import { dialects } from '../../test-support/harness.js'
import { messageRows, stagedChunks } from '../../test-support/rows.js'
import { sealWithFile } from '../../test-support/sealed-send.js'
import { type ServerProcess, startServerProcess } from '../../test-support/server-process.js'

function fileBytes(n: number): Uint8Array {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = (i * 13 + 5) & 0xff
  return out
}

describe.each(dialects)('a server killed during a send on %s', (dialect) => {
  let server: ServerProcess | undefined
  afterEach(async () => {
    await server?.stop()
  })

  // Two real server processes and a kill: slow on a loaded machine, so a longer limit.
  it(
    'keeps the acknowledged chunks and no message, and the same sealed request then lands exactly once',
    { timeout: 120_000 },
    async () => {
      const databaseUrl =
        dialect === 'postgres'
          ? await createDatabase(inject('pgUrl'), `crash_${process.pid}_${Date.now()}`)
          : undefined
      const first = await startServerProcess({ databaseUrl })
      server = first
      const adminApi = createApiClient({ baseUrl: first.url, manageCookies: true })
      const admin = {
        api: adminApi,
        ...(await setupAdministrator(adminApi, {
          username: 'admin',
          displayName: 'Admin',
          email: 'admin@example.org',
          password: 'admin password here',
        })),
      }
      const invite = await adminApi.inviteUser({ username: 'bob', email: 'bob@example.org' })
      const bobApi = createApiClient({ baseUrl: first.url, manageCookies: true })
      const bob = {
        api: bobApi,
        ...(await acceptInvite(bobApi, {
          token: inviteTokenFrom(invite.inviteUrl),
          password: 'bob password',
        })),
      }

      const file = fileBytes(CHUNK_BYTES * 8)
      const sealed = await sealWithFile(admin, [bob], file, { now: new Date() })
      expect(sealed.chunks).toHaveLength(8)
      for (const index of [0, 1, 2]) {
        await adminApi.uploadChunks(sealed.blobId, index, [sealed.chunks[index]!])
      }
      // SIGKILL: no chance to clean up or flush anything, as in a power cut.
      await first.kill()

      const { db } = openDatabase({ databaseUrl, dataDir: first.dataDir })
      try {
        expect(await messageRows(db, sealed.id)).toEqual({
          messages: 0,
          recipients: 0,
          blobs: 0,
          chunks: 0,
        })
        expect((await stagedChunks(db, sealed.blobId)).map((c) => c.bytes)).toEqual(
          sealed.chunks.slice(0, 3).map((c) => Buffer.from(c)),
        )
      } finally {
        await db.destroy()
      }

      server = await startServerProcess({ databaseUrl, dataDir: first.dataDir })
      const resumed = createApiClient({
        baseUrl: server.url,
        manageCookies: true,
        ...adminApi.session,
      })
      // The client resumes where the server left off and commits the very same request, twice.
      for (let index = 3; index < 8; index++) {
        await resumed.uploadChunks(sealed.blobId, index, [sealed.chunks[index]!])
      }
      expect(await resumed.putMessage(sealed.request)).toEqual({ id: sealed.id })
      expect(await resumed.putMessage(sealed.request)).toEqual({ id: sealed.id })

      const after = openDatabase({ databaseUrl, dataDir: first.dataDir }).db
      try {
        expect(await messageRows(after, sealed.id)).toEqual({
          messages: 1,
          recipients: 2,
          blobs: 1,
          chunks: 8,
        })
        expect(await stagedChunks(after, sealed.blobId)).toEqual([])
      } finally {
        await after.destroy()
      }
      const inbox = await createApiClient({
        baseUrl: server.url,
        manageCookies: true,
        ...bobApi.session,
      }).inbox()
      expect(inbox.items.map((m) => m.id)).toEqual([sealed.id])
    },
  )
})
