import { readFileSync } from 'node:fs'
import {
  acceptInvite,
  createApiClient,
  inviteTokenFrom,
  sendMessage,
  setupAdministrator,
  signIn,
} from '@sealpost/core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createDatabase } from '../../../../../scripts/postgres.mjs'
import { hasPostgres } from '../../test-support/harness.js'
import { type ServerProcess, startServerProcess } from '../../test-support/server-process.js'
import { openEventStream } from '../../test-support/sse.js'

describe.runIf(hasPostgres)('events across two server processes on one PostgreSQL', () => {
  let a: ServerProcess
  let b: ServerProcess
  beforeAll(async () => {
    const databaseUrl = await createDatabase(inject('pgUrl'), `procs_${process.pid}_${Date.now()}`)
    a = await startServerProcess({ databaseUrl })
    // Both processes must share the OPAQUE secret, as behind a load balancer.
    const setup = readFileSync(`${a.dataDir}/opaque-server-setup`, 'utf8')
    b = await startServerProcess({ databaseUrl, opaqueServerSetup: setup })
  })
  afterAll(async () => {
    await a?.stop()
    await b?.stop()
  })

  it('delivers a message sent through one process to a client connected to the other', async () => {
    const adminApi = createApiClient({ baseUrl: a.url, manageCookies: true })
    const admin = await setupAdministrator(adminApi, {
      username: 'admin',
      displayName: 'Admin',
      email: 'admin@example.org',
      password: 'admin password here',
    })
    const invite = await adminApi.inviteUser({ username: 'bob', email: 'bob@example.org' })
    const bobApi = createApiClient({ baseUrl: b.url, manageCookies: true })
    const bob = await acceptInvite(bobApi, {
      token: inviteTokenFrom(invite.inviteUrl),
      password: 'bob password here',
    })
    const stream = await openEventStream(b.url, bobApi.session.cookie ?? '')
    try {
      expect(stream.status).toBe(200)
      const { id } = await sendMessage(adminApi, {
        me: { id: admin.session.user.id, x25519PublicKey: admin.session.keys.x25519PublicKey },
        account: admin.account,
        recipients: [
          { id: bob.session.user.id, x25519PublicKey: bob.session.keys.x25519PublicKey },
        ],
        subject: 'across',
        body: 'processes',
        expiresAt: null,
        highPriority: true,
      })
      const event = await stream.next((e) => e.type === 'message.created', 2000)
      expect(event.data).toEqual({ type: 'message.created', id, highPriority: true })
      // And the other way round: bob reads through B, admin's stream on A hears it.
      const adminStream = await openEventStream(a.url, adminApi.session.cookie ?? '')
      try {
        await bobApi.markRead(id)
        await adminStream.next((e) => e.type === 'message.read', 2000)
      } finally {
        adminStream.close()
      }
      // Sessions are in the database, so a sign-in on A is valid on B.
      const again = createApiClient({ baseUrl: a.url, manageCookies: true })
      await signIn(again, { username: 'bob', password: 'bob password here' })
      const onB = createApiClient({
        baseUrl: b.url,
        manageCookies: true,
        cookie: again.session.cookie,
      })
      expect((await onB.getSession()).user.username).toBe('bob')
    } finally {
      stream.close()
    }
  })
})
