import Database from 'better-sqlite3'
import {
  bytesSource,
  CHUNK_BYTES,
  createApiClient,
  inviteTokenFrom,
  acceptInvite,
  sendMessage,
  setupAdministrator,
  type SendInput,
} from '@sealpost/core'
import { afterEach, describe, expect, it } from 'vitest'
import { type ServerProcess, startServerProcess } from '../../test-support/server-process.js'

describe('a server killed during an upload', () => {
  let server: ServerProcess | undefined
  afterEach(async () => {
    await server?.stop()
  })

  it('keeps no half message, and the retried send lands exactly once', async () => {
    server = await startServerProcess({})
    const dataDir = server.dataDir
    const api = createApiClient({ baseUrl: server.url, manageCookies: true })
    const admin = await setupAdministrator(api, {
      username: 'admin',
      displayName: 'Admin',
      email: 'admin@example.org',
      password: 'admin password here',
    })
    const invite = await api.inviteUser({ username: 'bob', email: 'bob@example.org' })
    const bobApi = createApiClient({ baseUrl: server.url, manageCookies: true })
    const bob = await acceptInvite(bobApi, {
      token: inviteTokenFrom(invite.inviteUrl),
      password: 'bob password',
    })

    const file = new Uint8Array(CHUNK_BYTES * 8).fill(7)
    const id = crypto.randomUUID()
    const input = (client: typeof api, onProgress?: SendInput['onProgress']): SendInput => ({
      id,
      me: { id: admin.session.user.id, x25519PublicKey: admin.session.keys.x25519PublicKey },
      account: admin.account,
      recipients: [{ id: bob.session.user.id, x25519PublicKey: bob.session.keys.x25519PublicKey }],
      subject: 'big file',
      body: 'see attachment',
      expiresAt: null,
      highPriority: false,
      files: [bytesSource('big.bin', 'application/octet-stream', file)],
      ...(onProgress ? { onProgress } : {}),
    })
    const running = server
    let killed: Promise<void> | undefined
    const failure = await sendMessage(
      api,
      input(api, ({ sentBytes }) => {
        if (sentBytes >= CHUNK_BYTES * 3 && !killed) killed = running.kill()
      }),
    ).catch((error: unknown) => error)
    await killed
    expect(failure).toBeInstanceOf(Error)

    const db = new Database(`${dataDir}/sealpost.db`, { readonly: true })
    const count = (table: string) =>
      (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n
    expect(count('messages')).toBe(0)
    expect(count('message_recipients')).toBe(0)
    expect(count('blob_chunks')).toBe(0)
    db.close()

    server = await startServerProcess({ dataDir })
    const resumed = createApiClient({ baseUrl: server.url, manageCookies: true, ...api.session })
    await sendMessage(resumed, input(resumed))
    await sendMessage(resumed, input(resumed)).catch(() => undefined)
    const after = new Database(`${dataDir}/sealpost.db`, { readonly: true })
    expect(
      (after.prepare('select count(*) as n from messages where id = ?').get(id) as { n: number }).n,
    ).toBe(1)
    expect((after.prepare('select count(*) as n from blob_chunks').get() as { n: number }).n).toBe(
      8,
    )
    after.close()
    const inbox = await createApiClient({
      baseUrl: server.url,
      manageCookies: true,
      ...bobApi.session,
    }).inbox()
    expect(inbox.items.map((m) => m.id)).toEqual([id])
  })
})
