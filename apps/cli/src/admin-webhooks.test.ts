import { randomUUID } from 'node:crypto'
import { startWebhookReceiver, verifyWebhook, type WebhookReceiver } from '@sealpost/test-support'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ALICE, inviteMember, setUpAdministrator } from './test-support/accounts.js'
import { createCliUser, type CliUser } from './test-support/cli.js'
import { databases } from './test-support/databases.js'
import { expectStatus, parseJson } from './test-support/results.js'
import { startServer, type RunningServer } from './test-support/server.js'

type Listed = { webhooks: { id: string; url: string; events: string[]; description: string }[] }
type Deliveries = { deliveries: { id: string; type: string; status: string }[] }

describe.each(databases)('sealpost admin webhooks on $name', ({ databaseUrl }) => {
  let server: RunningServer
  let receiver: WebhookReceiver
  let alice: CliUser
  let bob: CliUser

  beforeAll(async () => {
    receiver = await startWebhookReceiver()
    server = await startServer({ databaseUrl: await databaseUrl() })
    alice = await createCliUser()
    bob = await createCliUser()
    await setUpAdministrator(alice, server.url, { ...ALICE, displayName: 'Alice' })
    await inviteMember(alice, bob, { username: 'bob', email: 'bob@example.com' })
  })

  afterAll(async () => {
    await server?.stop()
    await receiver?.close()
    await alice?.remove()
    await bob?.remove()
  })

  test('adds an endpoint, sends it a signed test event, redelivers it and removes it', async () => {
    const added = await alice.run([
      'admin',
      'webhooks',
      'add',
      receiver.url,
      '--events',
      'message.sent,link.opened',
      '--description',
      'SIEM',
      '--json',
    ])
    const { id, secret } = parseJson(added) as { id: string; secret: string }
    expect(Object.keys(parseJson(added) as object)).toEqual(['id', 'secret'])
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/)

    const listed = await alice.run(['admin', 'webhooks', 'ls', '--json'])
    expect(parseJson(listed)).toEqual({
      webhooks: [
        expect.objectContaining({
          id,
          url: receiver.url,
          events: ['message.sent', 'link.opened'],
          description: 'SIEM',
          enabled: true,
        }),
      ],
    })
    expect(listed.stdout).not.toContain(secret.slice('whsec_'.length))
    const table = await alice.run(['admin', 'webhooks', 'ls'])
    expectStatus(table, 0)
    expect(table.stdout).toMatch(/^ID +URL +EVENTS +ENABLED +DESCRIPTION\n/)
    expect(table.stdout).toContain('message.sent,link.opened  yes')

    // The server's worker delivers it; the receiver verifies it with the secret.
    const tested = await alice.run(['admin', 'webhooks', 'test', id, '--json'])
    const queued = parseJson(tested) as { id: string; type: string }
    expect(queued.type).toBe('webhook.test')
    const first = await receiver.nth(1)
    expect(first.json.type).toBe('webhook.test')
    expect(first.headers['webhook-id']).toBe(queued.id)
    expect(verifyWebhook(secret, first)).toBe(true)

    const deliveries = await alice.run(['admin', 'webhooks', 'deliveries', id, '--json'])
    expect((parseJson(deliveries) as Deliveries).deliveries).toEqual([
      expect.objectContaining({ id: queued.id, type: 'webhook.test' }),
    ])
    const again = await alice.run(['admin', 'webhooks', 'redeliver', id, queued.id])
    expectStatus(again, 0)
    expect(again.stdout).toBe(`Queued the delivery ${queued.id} again.\n`)
    const second = await receiver.nth(2)
    expect(second.headers['webhook-id']).toBe(queued.id)
    expect(verifyWebhook(secret, second)).toBe(true)

    expectStatus(await alice.run(['admin', 'webhooks', 'rm', id]), 0)
    const empty = await alice.run(['admin', 'webhooks', 'ls', '--json'])
    expect((parseJson(empty) as Listed).webhooks).toEqual([])
  })

  test('refuses a bad URL, event or id before sending anything, and a member', async () => {
    for (const args of [
      ['add', 'ftp://example.org/hook'],
      ['add', receiver.url, '--events', 'Not An Event'],
      ['rm', 'not-an-id'],
      ['redeliver', randomUUID(), 'nope'],
    ]) {
      const refused = await alice.run(['admin', 'webhooks', ...args])
      expectStatus(refused, 2)
      expect(refused.stderr).toMatch(/\(invalid_input\)\n$/)
    }
    const metadata = await alice.run(['admin', 'webhooks', 'add', 'http://169.254.169.254/'])
    expectStatus(metadata, 1)
    expect(metadata.stderr).toMatch(/link-local or metadata address/)
    const member = await bob.run(['admin', 'webhooks', 'ls'])
    expectStatus(member, 1)
    expect(member.stderr).toMatch(/\(admin_only\)\n$/)
  })
})
