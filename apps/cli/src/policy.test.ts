import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ALICE, inviteMember, setUpAdministrator } from './test-support/accounts.js'
import { createCliUser, type CliUser } from './test-support/cli.js'
import { databases } from './test-support/databases.js'
import { expectStatus, parseJson } from './test-support/results.js'
import { startServer, type RunningServer } from './test-support/server.js'

type Effective = Record<string, { value: unknown; source: string }>
type LinkRow = { id: string; expiresAt: string; createdAt: string }

const DAY_MS = 24 * 3_600_000

describe.each(databases)('sealpost admin policy on $name', ({ databaseUrl }) => {
  let server: RunningServer
  let alice: CliUser
  let bob: CliUser

  beforeAll(async () => {
    server = await startServer({ databaseUrl: await databaseUrl() })
    alice = await createCliUser()
    bob = await createCliUser()
    await setUpAdministrator(alice, server.url, ALICE)
    await inviteMember(alice, bob, { username: 'bob', email: 'bob@example.com' })
  })

  afterAll(async () => {
    await server?.stop()
    await alice?.remove()
    await bob?.remove()
  })

  async function show(args: string[] = []): Promise<Effective> {
    const result = await alice.run(['admin', 'policy', 'show', ...args, '--json'])
    expectStatus(result, 0)
    return parseJson(result) as Effective
  }

  test('sets organisation values and user overrides, shows each key with its source, unsets', async () => {
    const set = await alice.run([
      'admin',
      'policy',
      'set',
      '--org',
      'canCreateLinks=false',
      'defaultExpiry=1d',
      'allowedEmailDomains=example.org,partner.test',
    ])
    expectStatus(set, 0)
    expect(set.stdout).toMatch(/^KEY +VALUE +SOURCE\n/)
    expect(set.stdout).toMatch(/\nallowedEmailDomains +example\.org,partner\.test +org\n/)
    const org = await show()
    expect(org.canCreateLinks).toEqual({ value: false, source: 'org' })
    expect(org.defaultExpiry).toEqual({ value: '1d', source: 'org' })
    expect(org.allowedEmailDomains).toEqual({
      value: ['example.org', 'partner.test'],
      source: 'org',
    })
    expect(org.maxFileMb).toEqual({ value: 0, source: 'default' })
    expect(Object.keys(org)).toHaveLength(12)

    expectStatus(
      await alice.run([
        'admin',
        'policy',
        'set',
        '--user',
        'bob',
        'canCreateLinks=yes',
        'maxLinkViews=3',
      ]),
      0,
    )
    let forBob = await show(['--user', 'bob'])
    expect(forBob.canCreateLinks).toEqual({ value: true, source: 'user' })
    expect(forBob.maxLinkViews).toEqual({ value: 3, source: 'user' })
    expect(forBob.defaultExpiry).toEqual({ value: '1d', source: 'org' })

    expectStatus(
      await alice.run([
        'admin',
        'policy',
        'unset',
        '--user',
        'bob',
        'canCreateLinks',
        'maxLinkViews',
      ]),
      0,
    )
    forBob = await show(['--user', 'bob'])
    expect(forBob.canCreateLinks).toEqual({ value: false, source: 'org' })
    expect(forBob.maxLinkViews).toEqual({ value: 0, source: 'default' })

    expectStatus(
      await alice.run([
        'admin',
        'policy',
        'set',
        '--org',
        'canCreateLinks=true',
        'defaultExpiry=7d',
        'allowedEmailDomains=',
      ]),
      0,
    )
  })

  test('refuses a malformed command line with status 2, naming the key', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['set', 'canCreateLinks=false'], /--org, --group NAME or --user/],
      [['set', '--group', 'ops', '--user', 'bob', 'canCreateLinks=false'], /cannot be used with/],
      [['set', '--org', 'canCreateLinks=maybe'], /^error: canCreateLinks: /],
      [['set', '--org', 'maxLinkViews=1000'], /^error: maxLinkViews: /],
      [['set', '--org', 'defaultExpiry=soon'], /^error: defaultExpiry: /],
      [['set', '--org', 'canFly=true'], /^error: canFly: no such policy/],
      [['set', '--org', '--user', 'bob', 'canCreateLinks=false'], /cannot be used with/],
      [['unset', '--user', 'bob', 'canFly'], /^error: canFly: no such policy/],
      [['unset', 'canCreateLinks'], /--user/],
    ]
    for (const [args, message] of cases) {
      const result = await alice.run(['admin', 'policy', ...args])
      expectStatus(result, 2)
      expect(result.stderr, args.join(' ')).toMatch(message)
    }
    expect((await show()).canCreateLinks).toMatchObject({ source: 'org' })
  })

  test('admin groups: create, fill, rename, a group’s values with their source, empty, delete', async () => {
    const admin = (...args: string[]) => alice.run(['admin', ...args])
    expectStatus(await admin('groups', 'create', 'Contractors'), 0)
    const taken = await admin('groups', 'create', 'contractors')
    expectStatus(taken, 1)
    expect(taken.stderr).toMatch(/\(group_exists\)\n$/)
    const badName = await admin('groups', 'create', 'ops,dev')
    expectStatus(badName, 2)
    expect(badName.stderr).toMatch(/^error: group name: /)

    const added = await admin('groups', 'add', 'contractors', 'bob', 'alice')
    expectStatus(added, 0)
    expect(added.stdout).toMatch(
      /^Contractors\nUSERNAME +NAME +STATUS\nalice +Alice Doe +active\nbob /,
    )
    expect(parseJson(await admin('groups', 'ls', '--json'))).toMatchObject({
      groups: [{ name: 'Contractors', memberCount: 2 }],
    })

    // A message to the group reaches its active members, the sender aside, and says so.
    const sent = await alice.run([
      'send',
      '--to',
      'group:CONTRACTORS',
      '--subject',
      'Badges',
      '--body',
      'New badges on Monday.',
    ])
    expectStatus(sent, 0)
    const messageId = sent.stdout.trim()
    const read = await bob.run(['read', messageId])
    expectStatus(read, 0)
    expect(read.stdout).toMatch(/\nTo: +Contractors \(1\)\n/)
    expect(parseJson(await bob.run(['read', messageId, '--json']))).toMatchObject({
      groups: [{ name: 'Contractors', count: 1 }],
    })
    const nowhere = await alice.run([
      'send',
      '--to',
      'group:nobody-here,bob',
      '--subject',
      'x',
      '--body',
      'x',
    ])
    expectStatus(nowhere, 1)
    expect(nowhere.stderr).toBe('error: unknown group: nobody-here (unknown_recipient)\n')

    expectStatus(await admin('policy', 'set', '--group', 'Contractors', 'maxLinkViews=4'), 0)
    expect((await show(['--user', 'bob'])).maxLinkViews).toEqual({
      value: 4,
      source: 'group:Contractors',
    })
    expect(
      parseJson(await admin('policy', 'show', '--group', 'CONTRACTORS', '--json')),
    ).toMatchObject({ settings: { maxLinkViews: 4 } })
    expectStatus(await admin('groups', 'rename', 'contractors', 'Vendors'), 0)
    expect((await show(['--user', 'bob'])).maxLinkViews).toMatchObject({ source: 'group:Vendors' })

    const removed = parseJson(await admin('groups', 'remove', 'vendors', 'bob', '--json'))
    expect(removed).toMatchObject({ name: 'Vendors', members: [{ username: 'alice' }] })
    expect((await show(['--user', 'bob'])).maxLinkViews?.source).not.toMatch(/^group:/)
    const unset = await admin('policy', 'unset', '--group', 'vendors', 'maxLinkViews')
    expectStatus(unset, 0)
    expect(unset.stdout).toBe('No values set.\n')

    const unknown = await admin('groups', 'add', 'nobody-here', 'bob')
    expectStatus(unknown, 1)
    expect(unknown.stderr).toBe('error: no group named nobody-here (not_found)\n')
    const notAdmin = await bob.run(['admin', 'groups', 'create', 'Mine'])
    expectStatus(notAdmin, 1)
    expect(notAdmin.stderr).toMatch(/\(admin_only\)\n$/)

    expectStatus(await admin('groups', 'delete', 'Vendors'), 0)
    expect((await admin('groups', 'ls')).stdout).toBe('No groups.\n')
  })

  test('a member may not change policies', async () => {
    const result = await bob.run(['admin', 'policy', 'set', '--user', 'bob', 'canCreateLinks=true'])
    expectStatus(result, 1)
    expect(result.stderr).toMatch(/\(admin_only\)\n$/)
  })

  test('canCreateLinks=false makes link create fail, naming the policy', async () => {
    expectStatus(
      await alice.run(['admin', 'policy', 'set', '--user', 'bob', 'canCreateLinks=false']),
      0,
    )
    const refused = await bob.run(['link', 'create', '--text', 'x'])
    expectStatus(refused, 1)
    expect(refused.stderr).toBe('error: policy canCreateLinks forbids this (policy_forbids)\n')
    expectStatus(
      await alice.run(['admin', 'policy', 'unset', '--user', 'bob', 'canCreateLinks']),
      0,
    )
    expectStatus(await bob.run(['link', 'create', '--text', 'x']), 0)
  })

  test('a link without --expires-in takes the policy’s defaultExpiry', async () => {
    expectStatus(
      await alice.run(['admin', 'policy', 'set', '--user', 'bob', 'defaultExpiry=2h']),
      0,
    )
    const created = await bob.run(['link', 'create', '--text', 'preset', '--json'])
    expectStatus(created, 0)
    const { id } = parseJson(created) as { id: string }
    const listed = await bob.run(['link', 'ls', '--json'])
    expectStatus(listed, 0)
    const row = (parseJson(listed) as LinkRow[]).find((link) => link.id === id)
    const lifetime = Date.parse(row!.expiresAt) - Date.parse(row!.createdAt)
    expect(Math.abs(lifetime - 2 * 3_600_000)).toBeLessThan(60_000)
    expect(lifetime).toBeLessThan(DAY_MS)
    expectStatus(await alice.run(['admin', 'policy', 'unset', '--user', 'bob', 'defaultExpiry']), 0)
  })
})
