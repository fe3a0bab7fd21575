import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ALICE, invite, setUpAdministrator } from './test-support/accounts.js'
import { createCliUser, type CliUser } from './test-support/cli.js'
import { runSql } from './test-support/database.js'
import { databases } from './test-support/databases.js'
import { expectStatus } from './test-support/results.js'
import { startServer, type RunningServer } from './test-support/server.js'

type Event = { seq: number; action: string; actorUsername: string | null; hash: string }

describe.each(databases)('sealpost admin audit on $name', ({ databaseUrl }) => {
  const password = `audit-${randomUUID()}`
  let server: RunningServer
  let alice: CliUser

  beforeAll(async () => {
    server = await startServer({ databaseUrl: await databaseUrl() })
    alice = await createCliUser()
    await setUpAdministrator(alice, server.url, { ...ALICE, displayName: 'Alice' }, password)
    await invite(alice, { username: 'bob', email: 'bob@example.com' })
  })

  afterAll(async () => {
    await server?.stop()
    await alice?.remove()
  })

  test('lists events newest first, one JSON object per line, and filters by action', async () => {
    const listed = await alice.run(['admin', 'audit', '--json'])
    expectStatus(listed, 0)
    const events = listed.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Event)
    expect(events.map((event) => event.action)).toEqual(['user.invited', 'setup'])
    expect(events[0]).toMatchObject({ seq: 2, actorUsername: 'alice' })
    const table = await alice.run(['admin', 'audit', '--action', 'setup'])
    expectStatus(table, 0)
    expect(table.stdout).toMatch(/^SEQ +TIME +ACTOR +ACTION/)
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(2)
    const bad = await alice.run(['admin', 'audit', '--since', 'yesterday'])
    expectStatus(bad, 2)
  })

  test('exports the log as NDJSON and CSV', async () => {
    const ndjson = await alice.run(['admin', 'audit', 'export'])
    expectStatus(ndjson, 0)
    const seqs = ndjson.stdout
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as Event).seq)
    expect(seqs).toEqual([1, 2])
    const csv = await alice.run(['admin', 'audit', 'export', '--format', 'csv'])
    expectStatus(csv, 0)
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'seq,at,actorId,actorUsername,action,targetId,ip,userAgent,details,prevHash,hash',
    )
  })

  test('verify says ok, then names the event an attacker changed and exits 1', async () => {
    const ok = await alice.run(['admin', 'audit', 'verify'])
    expectStatus(ok, 0)
    expect(ok.stdout).toMatch(/^ok \d+ events\n$/)
    await runSql(server, 'UPDATE audit_events SET action = $1 WHERE seq = $2', ['login', 1])
    const broken = await alice.run(['admin', 'audit', 'verify'])
    expect(broken.status).toBe(1)
    expect(broken.stderr).toMatch(
      /^error: the audit log is broken at event 1 \([0-9a-f-]{36}\): it was changed after it was recorded \(audit_broken\)\n$/,
    )
  })
})
