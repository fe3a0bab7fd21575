import { readFileSync } from 'node:fs'
import { createApiClient, setupAdministrator } from '@sealpost/core'
import { startWebhookReceiver, verifyWebhook, type WebhookReceiver } from '@sealpost/test-support'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createDatabase } from '../../../../../scripts/postgres.mjs'
import { hasPostgres } from '../../test-support/harness.js'
import { type ServerProcess, startServerProcess } from '../../test-support/server-process.js'

describe.runIf(hasPostgres)('webhooks across two server processes on one PostgreSQL', () => {
  let a: ServerProcess
  let b: ServerProcess
  let receiver: WebhookReceiver
  beforeAll(async () => {
    receiver = await startWebhookReceiver()
    const databaseUrl = await createDatabase(inject('pgUrl'), `hooks_${process.pid}_${Date.now()}`)
    a = await startServerProcess({ databaseUrl })
    const setup = readFileSync(`${a.dataDir}/opaque-server-setup`, 'utf8')
    b = await startServerProcess({ databaseUrl, opaqueServerSetup: setup })
  })
  afterAll(async () => {
    await a?.stop()
    await b?.stop()
    await receiver?.close()
  })

  it('delivers each event exactly once while both workers run', async () => {
    const onA = createApiClient({ baseUrl: a.url, manageCookies: true })
    await setupAdministrator(onA, {
      username: 'admin',
      displayName: 'Admin',
      email: 'admin@example.org',
      password: 'admin password here',
    })
    const onB = createApiClient({ baseUrl: b.url, manageCookies: true, ...onA.session })
    const hook = await onA.createWebhook({ url: receiver.url, events: ['user.invited'] })
    const invited: string[] = []
    for (let i = 0; i < 12; i++) {
      const api = i % 2 === 0 ? onA : onB
      const { user } = await api.inviteUser({ username: `user${i}`, email: `u${i}@example.org` })
      invited.push(user.id)
    }
    // Both workers are woken at once by a test event each, then pick up the rest on their timers.
    await Promise.all([onA.testWebhook(hook.id), onB.testWebhook(hook.id)])
    await receiver.nth(invited.length + 2, 20_000)
    // Stopping waits for the attempts under way: nothing more can arrive after this.
    await a.stop()
    await b.stop()

    const ids = receiver.received.map((request) => request.headers['webhook-id'])
    expect(ids).toHaveLength(invited.length + 2)
    expect(new Set(ids).size).toBe(ids.length)
    const targets = receiver.received
      .filter((request) => request.json.type === 'user.invited')
      .map((request) => request.json.data.targetId)
    expect(targets.sort()).toEqual([...invited].sort())
    expect(receiver.received.every((request) => verifyWebhook(hook.secret, request))).toBe(true)
  })
})
