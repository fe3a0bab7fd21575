import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { expectKeptFromRest } from './test-support/at-rest.js'
import { ALICE, inviteMember, setUpAdministrator } from './test-support/accounts.js'
import { createCliUser, type CliUser } from './test-support/cli.js'
import { databases } from './test-support/databases.js'
import { expectStatus, parseJson } from './test-support/results.js'
import { startServer, type RunningServer } from './test-support/server.js'
import { startSmtpServer, type RunningSmtpServer } from '@sealpost/test-support'

type Created = { id: string; url: string }
type RequestRow = {
  id: string
  note: string | null
  label: string | null
  url: string | null
  createdAt: string
  expiresAt: string
  answers: number
  maxAnswers: number
  allowFiles: boolean
}
type InboxRow = { id: string; origin: string; from: string | null; subject: string | null }

const REQUEST_URL = /^https?:\/\/[^/\s]+\/r\/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{64}$/
const DAY_MS = 24 * 3_600_000
const NOT_AVAILABLE =
  'error: this request is not available: it has expired, was closed or answered in full, or ' +
  'the link is wrong (not_available)\n'

/**
 * A server in front of the real one that serves `key` as every requester's X25519 key, as a
 * server trying to read the answers would.
 */
async function keySwappingProxy(
  target: string,
  key: string,
): Promise<{ url: string; server: Server }> {
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => {
      void (async () => {
        const headers = Object.fromEntries(
          Object.entries(incoming.headers).filter(
            (entry): entry is [string, string] =>
              typeof entry[1] === 'string' && entry[0] !== 'host',
          ),
        )
        const response = await fetch(`${target}${incoming.url ?? '/'}`, {
          method: incoming.method,
          headers,
          body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
        })
        let body = Buffer.from(await response.arrayBuffer())
        if (/\/api\/public\/requests\/[^/]+\/view$/.test(incoming.url ?? '') && response.ok) {
          const view = JSON.parse(body.toString()) as { requester: { x25519PublicKey: string } }
          view.requester.x25519PublicKey = key
          body = Buffer.from(JSON.stringify(view))
        }
        outgoing.writeHead(response.status, { 'content-type': 'application/json' })
        outgoing.end(body)
      })()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { url: `http://127.0.0.1:${port}`, server }
}

describe.each(databases)('sealpost requests on $name', ({ databaseUrl }) => {
  let server: RunningServer | undefined
  let smtp: RunningSmtpServer | undefined
  let files = ''
  const people: CliUser[] = []
  let alice: CliUser
  let bob: CliUser
  /** Someone outside the organisation: never signed in anywhere. */
  let stranger: CliUser
  const config = randomBytes(100_000)
  let configPath = ''

  async function create(args: string[], user: CliUser = alice): Promise<Created> {
    return parseJson(await user.run(['request', 'create', '--json', ...args])) as Created
  }

  async function requests(user: CliUser = alice): Promise<RequestRow[]> {
    return parseJson(await user.run(['request', 'ls', '--json'])) as RequestRow[]
  }

  beforeAll(async () => {
    smtp = await startSmtpServer()
    server = await startServer({
      databaseUrl: await databaseUrl(),
      env: { SEALPOST_SMTP_URL: smtp.url, SEALPOST_MAIL_FROM: 'Sealpost <vault@example.org>' },
    })
    files = await mkdtemp(join(tmpdir(), 'sealpost-cli-requests-'))
    configPath = join(files, 'router.conf')
    await writeFile(configPath, config)
    alice = await createCliUser()
    bob = await createCliUser()
    stranger = await createCliUser()
    people.push(alice, bob, stranger)
    await setUpAdministrator(alice, server.url, ALICE)
    await inviteMember(alice, bob, { username: 'bob', email: 'bob@example.com' })
  })

  afterAll(async () => {
    await server?.stop()
    await smtp?.close()
    await Promise.all(people.map((person) => person.remove()))
    if (files) await rm(files, { recursive: true, force: true })
  })

  test('an answer from outside arrives in the inbox, reads as from outside and saves in the vault', async () => {
    const note = `VPN password for Berlin ${randomUUID()}`
    const text = `the password is ${randomUUID()}`
    const created = await create([
      '--note',
      note,
      '--allow-files',
      '--max-answers',
      '2',
      '--label',
      'Berlin',
    ])
    expect(Object.keys(created).sort()).toEqual(['id', 'url'])
    expect(created.url).toMatch(REQUEST_URL)
    expect(created.url.startsWith(`${server?.url}/r/${created.id}#`)).toBe(true)

    const answered = await stranger.run([
      'request',
      'answer',
      created.url,
      '--text',
      text,
      '--file',
      configPath,
      '--json',
    ])
    const sent = parseJson(answered) as { id: string; requestId: string }
    expect(sent.requestId).toBe(created.id)
    expect(answered.stderr).toContain(`Alice Doe (alice) asks: ${note}\n`)
    // Answering signs nobody in and keeps nothing about the visitor.
    expect(await readdir(stranger.home)).toEqual([])

    const inbox = parseJson(await alice.run(['inbox', '--json'])) as InboxRow[]
    expect(inbox).toEqual([
      expect.objectContaining({ id: sent.id, origin: 'request', from: null, subject: note }),
    ])
    const table = await alice.run(['inbox'])
    expect(table.stdout).toContain('(outside)')
    expect(table.stdout).toContain('from outside, sender not verified')

    const read = await alice.run(['read', sent.id])
    expectStatus(read, 0)
    expect(read.stdout).toMatch(/^From: +OUTSIDE SEALPOST \(from outside, sender not verified\)$/m)
    expect(read.stdout).toMatch(new RegExp(`^Subject: +Answer to your request '${note}'$`, 'm'))
    expect(read.stdout).not.toContain('signature verified')
    expect(read.stdout).toContain(text)
    const json = parseJson(await alice.run(['read', sent.id, '--json'])) as Record<string, unknown>
    expect(json).toMatchObject({
      id: sent.id,
      origin: 'request',
      from: null,
      fromName: null,
      verified: false,
      subject: note,
      body: text,
      attachments: [{ name: 'router.conf', size: config.length }],
    })

    const reply = await alice.run(['reply', sent.id, '--body', 'thanks'])
    expectStatus(reply, 1)
    expect(reply.stderr).toMatch(/came from outside Sealpost.*\(reply_not_possible\)\n$/)

    const saved = await alice.run(['save', sent.id])
    expectStatus(saved, 0)
    expect(saved.stdout).toContain('  Berlin (credential)')

    const [row] = await requests()
    expect(row).toMatchObject({
      id: created.id,
      note,
      label: 'Berlin',
      url: created.url,
      answers: 1,
      maxAnswers: 2,
      allowFiles: true,
    })
    const lifetime = Date.parse(row?.expiresAt ?? '') - Date.parse(row?.createdAt ?? '')
    expect(Math.abs(lifetime - 7 * DAY_MS)).toBeLessThan(60_000)

    await expectKeptFromRest({
      server: server!,
      secrets: [
        ['note', note],
        ['answer', text],
        ['file', config.subarray(0, 4096)],
        ['request link', created.url.split('#')[1]!],
      ],
      inClear: 'alice@example.com',
      inLog: `/api/public/requests/${created.id}/answers/${sent.id}`,
    })
  })

  test('request rm closes it: the same not-available answer as a wrong link', async () => {
    const created = await create(['--note', 'closing soon'])
    const stdin = await stranger.run(['request', 'answer', created.url, '--text-stdin'], {
      stdin: 'first answer\n',
    })
    expectStatus(stdin, 0)
    expect(stdin.stdout).toBe('Sent securely: only Alice Doe can read it.\n')
    // Answered in full: one answer was allowed.
    const late = await stranger.run(['request', 'answer', created.url, '--text', 'late'])
    expectStatus(late, 1)
    expect(late.stderr).toBe(NOT_AVAILABLE)

    const other = await create(['--note', 'another', '--max-answers', '3'])
    expectStatus(await alice.run(['request', 'rm', other.id]), 0)
    const closed = await stranger.run(['request', 'answer', other.url, '--text', 'x'])
    expectStatus(closed, 1)
    expect(closed.stderr).toBe(NOT_AVAILABLE)
    expect((await requests()).map((row) => row.id)).not.toContain(other.id)
  })

  test('another member can neither list nor close someone’s request', async () => {
    const created = await create(['--note', 'mine alone'])
    expect(await requests(bob)).toEqual([])
    const rm = await bob.run(['request', 'rm', created.id])
    expectStatus(rm, 1)
    expect(rm.stderr).toBe('error: no such request (not_found)\n')
    expect((await requests()).map((row) => row.id)).toContain(created.id)
  })

  test('refuses to send when the server serves another key than the link names', async () => {
    const created = await create(['--note', 'swap me', '--allow-files'])
    // Any key but alice's: a server that made its own pair would serve its public half.
    const otherKey = Buffer.from(randomBytes(32)).toString('base64url')
    const proxy = await keySwappingProxy(server!.url, otherKey)
    try {
      const url = created.url.replace(server!.url, proxy.url)
      const result = await stranger.run([
        'request',
        'answer',
        url,
        '--text',
        'the password is hunter2',
        '--file',
        configPath,
      ])
      expectStatus(result, 1)
      expect(result.stderr).toMatch(
        /^error: refusing to send: the server offered a key that is not the requester’s .*\(bad_key\)\n$/,
      )
      expect(result.stdout).toBe('')
    } finally {
      await new Promise((resolve) => proxy.server.close(resolve))
    }
    expect((await requests()).find((row) => row.id === created.id)?.answers).toBe(0)
  })

  test('--email has the server mail the link, which the recipient can answer', async () => {
    const before = smtp!.received.length
    const result = await alice.run([
      'request',
      'create',
      '--note',
      'your SSH public key',
      '--email',
      'contractor@example.org',
    ])
    expectStatus(result, 0)
    const url = result.stdout.trim()
    expect(url).toMatch(REQUEST_URL)
    expect(result.stderr).toContain('sent to contractor@example.org\n')
    const mail = smtp!.received[before]!
    expect(mail.subject).toBe('Alice Doe asks you to send a secret securely')
    expect(mail.text?.match(/https?:\/\/\S+/g)).toEqual([url])
    expectStatus(await stranger.run(['request', 'answer', url, '--text', 'ssh-ed25519 AAAA']), 0)
  })

  test('refuses bad options before anything is sent', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['request', 'create'], /required option '--note <text>'/],
      [['request', 'create', '--note', '  '], /--note: say what you are asking for/],
      [['request', 'create', '--note', 'x', '--max-answers', '0'], /--max-answers: not a whole/],
      [['request', 'create', '--note', 'x', '--max-answers', '101'], /--max-answers: not a whole/],
      [['request', 'create', '--note', 'x', '--expires-in', '30m'], /at least 1h/],
      [['request', 'create', '--note', 'x', '--expires-in', '31d'], /more than 30 days away/],
      [
        ['request', 'answer', 'https://example.org/s/x#y', '--text', 'x'],
        /not a Sealpost request link/,
      ],
    ]
    for (const [args, message] of cases) {
      const result = await alice.run(args)
      expect(result.status, args.join(' ')).not.toBe(0)
      expect(result.stderr, args.join(' ')).toMatch(message)
    }
    const created = await create(['--note', 'both texts'])
    const both = await stranger.run([
      'request',
      'answer',
      created.url,
      '--text',
      'x',
      '--text-stdin',
    ])
    expectStatus(both, 2)
    expect(both.stderr).toMatch(/exactly one of --text or --text-stdin/)
    const noFiles = await stranger.run([
      'request',
      'answer',
      created.url,
      '--text',
      'x',
      '--file',
      configPath,
    ])
    expectStatus(noFiles, 1)
    expect(noFiles.stderr).toMatch(/this request takes no files.*\(forbidden\)\n$/)
  })

  test('an administrator turns requests off and on for a member', async () => {
    const off = await alice.run(['admin', 'users', 'set', 'bob', '--no-allow-requests', '--json'])
    expect(
      (parseJson(off) as { user: { canRequestSecrets: boolean } }).user.canRequestSecrets,
    ).toBe(false)
    const refused = await bob.run(['request', 'create', '--note', 'x'])
    expectStatus(refused, 1)
    expect(refused.stderr).toBe('error: policy canRequestSecrets forbids this (policy_forbids)\n')
    const list = await alice.run(['admin', 'users', 'list'])
    expect(list.stdout).toMatch(/ REQUESTS\n/)
    expectStatus(await alice.run(['admin', 'users', 'set', 'bob', '--allow-requests']), 0)
    await create(['--note', 'allowed again'], bob)
  })
})
