import { randomUUID } from 'node:crypto'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { expectKeptFromRest } from './test-support/at-rest.js'
import { createCliUser, type CliResult, type CliUser } from './test-support/cli.js'
import { databases } from './test-support/databases.js'
import { expectStatus, parseJson as parseAnyJson } from './test-support/results.js'
import { startServer, type RunningServer } from './test-support/server.js'

const NOT_SIGNED_IN = 'error: not signed in; run `sealpost login` (not_signed_in)\n'

function parseJson(result: CliResult): Record<string, unknown> {
  return parseAnyJson(result) as Record<string, unknown>
}

type ListedUser = { username: string; status: string; canSendMessages: boolean }

describe.each(databases)('sealpost CLI on $name', ({ databaseUrl }) => {
  const adminPassword = `canary-admin-${randomUUID()}`
  const memberPassword = `canary-member-${randomUUID()}`
  let server: RunningServer | undefined
  let serverUrl = ''
  const people: CliUser[] = []
  let admin: CliUser
  let member: CliUser
  let laptop: CliUser

  beforeAll(async () => {
    server = await startServer({ databaseUrl: await databaseUrl() })
    serverUrl = server.url
    admin = await createCliUser()
    member = await createCliUser()
    laptop = await createCliUser()
    people.push(admin, member, laptop)
  })

  afterAll(async () => {
    await server?.stop()
    await Promise.all(people.map((person) => person.remove()))
  })

  async function listUsers(): Promise<ListedUser[]> {
    const list = parseJson(await admin.run(['admin', 'users', 'list', '--json']))
    return list.users as ListedUser[]
  }

  test('setup creates the administrator and signs them in', async () => {
    const result = await admin.run(
      [
        '--server',
        serverUrl,
        'setup',
        '--username',
        'alice',
        '--display-name',
        'Alice Doe',
        '--email',
        'alice@example.com',
        '--password-stdin',
      ],
      { stdin: `${adminPassword}\n` },
    )
    expectStatus(result, 0)
    expect(result.stdout).toContain('alice (Alice Doe) — admin')
    expect(result.stderr).toBe('')
  })

  test('whoami names the signed-in user, using the saved session’s server', async () => {
    const result = await admin.run(['whoami'])
    expectStatus(result, 0)
    expect(result.stdout).toBe('alice (Alice Doe) — admin\n')
  })

  test('whoami --json gives the same object before and after the command words', async () => {
    const before = parseJson(await admin.run(['--json', 'whoami']))
    const after = parseJson(await admin.run(['whoami', '--json']))
    expect(after).toEqual(before)
    expect(before).toMatchObject({
      username: 'alice',
      displayName: 'Alice Doe',
      email: 'alice@example.com',
      role: 'admin',
      canSendMessages: true,
      canSendAttachments: true,
    })
  })

  test('keeps the session readable by its owner only', async () => {
    expect((await stat(admin.home)).mode & 0o777).toBe(0o700)
    const file = join(admin.home, 'session.json')
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    const session = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>
    // The export key unlocks the account keys for the session's life; never the password.
    expect(session).toMatchObject({
      server: serverUrl,
      username: 'alice',
      exportKey: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/) as unknown,
    })
    expect(JSON.stringify(session)).not.toContain(adminPassword)
  })

  test('setup a second time fails with setup_done', async () => {
    const result = await laptop.run(
      [
        '--server',
        serverUrl,
        'setup',
        '--username',
        'mallory',
        '--display-name',
        'Mallory',
        '--email',
        'mallory@example.com',
        '--password-stdin',
      ],
      { stdin: 'another-password' },
    )
    expect(result.status).not.toBe(0)
    expect(result.stderr).toMatch(/^error: .+ \(setup_done\)\n$/)
    expect(result.stdout).toBe('')
  })

  test('an invited member accepts the invite link in their own home', async () => {
    const invite = await admin.run([
      'admin',
      'users',
      'invite',
      '--username',
      'bob',
      '--email',
      'bob@example.com',
      '--display-name',
      'Bob Member',
    ])
    expectStatus(invite, 0)
    const inviteUrl = invite.stdout.trim()
    expect(inviteUrl).toMatch(new RegExp(`^${serverUrl}/invite#[A-Za-z0-9_-]{43}$`))

    // No --server: the invite link names its server.
    const accepted = await member.run(['accept-invite', inviteUrl, '--password-stdin'], {
      stdin: `${memberPassword}\n`,
    })
    expectStatus(accepted, 0)

    const whoami = await member.run(['whoami'])
    expectStatus(whoami, 0)
    expect(whoami.stdout).toBe('bob (Bob Member) — member\n')
  })

  test('invite --json gives the user, the link and its expiry', async () => {
    const invite = parseJson(
      await admin.run([
        'admin',
        'users',
        'invite',
        '--json',
        '--username',
        'carol',
        '--email',
        'carol@example.com',
      ]),
    )
    expect(invite).toMatchObject({
      user: { username: 'carol', status: 'invited', role: 'member' },
      inviteUrl: expect.stringMatching(/\/invite#/) as unknown,
      expiresAt: expect.any(String) as unknown,
    })
  })

  test('a member cannot list users', async () => {
    const result = await member.run(['admin', 'users', 'list'])
    expectStatus(result, 1)
    expect(result.stderr).toMatch(/^error: .+ \(admin_only\)\n$/)
    expect(result.stdout).toBe('')
  })

  test('admin users list prints an aligned table', async () => {
    const result = await admin.run(['admin', 'users', 'list'])
    expectStatus(result, 0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(
      /^USERNAME\s+NAME\s+EMAIL\s+ROLE\s+STATUS\s+SEND\s+ATTACHMENTS\s+LINKS\s+REQUESTS$/,
    )
    expect(lines).toHaveLength(4)
    const emailColumn = lines[0]?.indexOf('EMAIL')
    for (const line of lines.slice(1)) expect(line.search(/\S+@/)).toBe(emailColumn)
    expect(result.stdout).toMatch(/^bob\s+Bob Member\s+bob@example.com\s+member\s+active\s+yes/m)
  })

  test('set --no-allow-send turns sending off for the member', async () => {
    const result = await admin.run(['admin', 'users', 'set', 'bob', '--no-allow-send'])
    expectStatus(result, 0)
    expect(result.stdout).toMatch(/^bob\s+Bob Member\s+.*\sno\s+yes\s+yes\s+yes$/m)

    const bob = (await listUsers()).find((user) => user.username === 'bob')
    expect(bob?.canSendMessages).toBe(false)
    const me = parseJson(await member.run(['whoami', '--json']))
    expect(me).toMatchObject({ canSendMessages: false, canSendAttachments: true })
  })

  test('set with an unknown username fails with not_found', async () => {
    const result = await admin.run(['admin', 'users', 'set', 'nobody', '--role', 'admin'])
    expectStatus(result, 1)
    expect(result.stderr).toMatch(/^error: .*nobody.* \(not_found\)\n$/)
  })

  test('set --disable ends the member’s session at once', async () => {
    const disabled = await admin.run(['--json', 'admin', 'users', 'set', 'bob', '--disable'])
    expect(parseJson(disabled)).toMatchObject({ user: { username: 'bob', status: 'disabled' } })

    const whoami = await member.run(['whoami'])
    expectStatus(whoami, 1)
    expect(whoami.stderr).toBe(NOT_SIGNED_IN)
  })

  test('an enabled member signs in again', async () => {
    expectStatus(await admin.run(['admin', 'users', 'set', 'bob', '--enable']), 0)
    const login = await member.run(['login', '--username', 'bob', '--password-stdin'], {
      stdin: memberPassword,
    })
    expectStatus(login, 0)
    expect((await member.run(['whoami'])).stdout).toBe('bob (Bob Member) — member\n')
  })

  test('a wrong password fails with the same message as an unknown user', async () => {
    const wrongPassword = await laptop.run(
      ['--server', serverUrl, 'login', '--username', 'alice', '--password-stdin'],
      { stdin: 'not-the-password\n' },
    )
    const unknownUser = await laptop.run(
      ['--server', serverUrl, 'login', '--username', 'nobody', '--password-stdin'],
      { stdin: 'not-the-password\n' },
    )
    expectStatus(wrongPassword, 1)
    expectStatus(unknownUser, 1)
    expect(wrongPassword.stderr).toMatch(/^error: .+ \(invalid_credentials\)\n$/)
    expect(unknownUser.stderr).toBe(wrongPassword.stderr)
    expect((await laptop.run(['--server', serverUrl, 'whoami'])).stderr).toBe(NOT_SIGNED_IN)
  })

  test('passwords are refused on the command line', async () => {
    const asArgument = await laptop.run([
      '--server',
      serverUrl,
      'login',
      '--username',
      'alice',
      '--password',
      'typed-on-the-command-line',
    ])
    expectStatus(asArgument, 2)
    expect(asArgument.stderr).toMatch(/^error: unknown option '--password' \(usage\)\n$/)

    const withoutFlag = await laptop.run(['--server', serverUrl, 'login', '--username', 'alice'], {
      stdin: adminPassword,
    })
    expectStatus(withoutFlag, 2)
    expect(withoutFlag.stderr).toContain('--password-stdin')
  })

  test('logout ends the session on the server, not only on this computer', async () => {
    const login = await laptop.run(
      ['--server', serverUrl, 'login', '--username', 'alice', '--password-stdin'],
      { stdin: `${adminPassword}\n` },
    )
    expectStatus(login, 0)
    const sessionFile = join(laptop.home, 'session.json')
    const saved = await readFile(sessionFile, 'utf8')

    const logout = await laptop.run(['logout'])
    expectStatus(logout, 0)
    expect((await laptop.run(['--server', serverUrl, 'whoami'])).stderr).toBe(NOT_SIGNED_IN)

    // Putting the old cookie back does not bring the session back.
    await writeFile(sessionFile, saved, { mode: 0o600 })
    const replayed = await laptop.run(['whoami'])
    expectStatus(replayed, 1)
    expect(replayed.stderr).toBe(NOT_SIGNED_IN)
  })

  test('an unreachable server is named in the error', async () => {
    const closed = 'http://127.0.0.1:9'
    const result = await laptop.run(
      ['--server', closed, 'login', '--username', 'alice', '--password-stdin'],
      { stdin: 'whatever' },
    )
    expectStatus(result, 1)
    expect(result.stderr).toBe(`error: cannot reach the server at ${closed} (network)\n`)
  })

  test('no password ever reaches the database or the server log', async () => {
    if (!server) throw new Error('the server did not start')
    await expectKeptFromRest({
      server,
      secrets: [
        ['administrator password', adminPassword],
        ['member password', memberPassword],
      ],
      inClear: 'alice@example.com',
      inLog: '/api/auth/login/start',
    })
  })

  test('no password ever appears in a command line', () => {
    const argv = people.flatMap((person) => person.argvLog.flat())
    expect(argv.length).toBeGreaterThan(0)
    for (const argument of argv) {
      expect(argument).not.toContain(adminPassword)
      expect(argument).not.toContain(memberPassword)
    }
  })
})
