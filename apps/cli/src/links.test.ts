import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { inviteMember, setUpAdministrator } from './test-support/accounts.js'
import { createCliUser, type CliResult, type CliUser } from './test-support/cli.js'
import { databases } from './test-support/databases.js'
import { expectStatus, parseJson } from './test-support/results.js'
import { startServer, type RunningServer } from './test-support/server.js'
import { startSmtpServer, type RunningSmtpServer } from '@sealpost/test-support'

type LinkRow = {
  id: string
  label: string | null
  createdAt: string
  expiresAt: string
  views: number
  maxViews: number
  viewsLeft: number
  hasPassphrase: boolean
  fileCount: number
  sizeBytes: number
  emails: { to: string; status: 'sent' | 'failed'; error: string | null; at: string }[]
  state: string
  endedAt: string | null
  notifyOnOpen: boolean
}
type Created = { id: string; url: string; expiresAt: string; maxViews: number }
type Opened = {
  subject: string
  text: string
  files: { name: string; size: number; type: string; savedTo?: string }[]
  views: number
  maxViews: number
  deleted: boolean
}

const LINK_URL = /https?:\/\/[^/\s]+\/s\/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}/
const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
const NOT_AVAILABLE =
  'error: this link is not available: it has expired, was used up or deleted, or is wrong ' +
  '(not_available)\n'
const RELAY_NOTE = 'note: the server sees the link while it relays the email'

describe.each(databases)('sealpost links on $name', ({ databaseUrl }) => {
  let server: RunningServer | undefined
  let mailless: RunningServer | undefined
  let smtp: RunningSmtpServer | undefined
  let files = ''
  const people: CliUser[] = []
  let admin: CliUser
  let member: CliUser
  /** Someone outside the organisation: never signed in anywhere. */
  let stranger: CliUser

  /** 150,000 random bytes: three 64 KiB chunks, the last one partial. */
  const plan = randomBytes(150_000)
  let planPath = ''
  const passphrase = `correct horse ${randomUUID()}`

  async function links(user: CliUser = admin): Promise<LinkRow[]> {
    return parseJson(await user.run(['link', 'ls', '--json'])) as LinkRow[]
  }

  /** Creates a link with `args` and returns what `--json` printed. */
  async function createLink(args: string[], stdin?: string): Promise<Created> {
    return parseJson(await admin.run(['link', 'create', '--json', ...args], { stdin })) as Created
  }

  function open(url: string, args: string[] = [], stdin?: string): Promise<CliResult> {
    return stranger.run(['link', 'open', url, ...args], { stdin })
  }

  async function signUp(person: CliUser, target: RunningServer, username: string) {
    await setUpAdministrator(person, target.url, {
      username,
      displayName: 'Alice Doe',
      email: `${username}@example.com`,
    })
  }

  beforeAll(async () => {
    smtp = await startSmtpServer({ rejectRecipients: ['gone@example.org'] })
    server = await startServer({
      databaseUrl: await databaseUrl(),
      env: { SEALPOST_SMTP_URL: smtp.url, SEALPOST_MAIL_FROM: 'Sealpost <vault@example.org>' },
    })
    files = await mkdtemp(join(tmpdir(), 'sealpost-cli-links-'))
    planPath = join(files, 'plan.bin')
    await writeFile(planPath, plan)
    admin = await createCliUser()
    member = await createCliUser()
    stranger = await createCliUser()
    people.push(admin, member, stranger)
    await signUp(admin, server, 'alice')

    await inviteMember(admin, member, { username: 'bob', email: 'bob@example.com' })
  })

  afterAll(async () => {
    await server?.stop()
    await mailless?.stop()
    await smtp?.close()
    await Promise.all(people.map((person) => person.remove()))
    if (files) await rm(files, { recursive: true, force: true })
  })

  describe('a one-view link with a file and a passphrase', () => {
    let url = ''
    let id = ''

    test('link create prints the link on this server, and nothing else', async () => {
      const result = await admin.run(
        [
          'link',
          'create',
          '--text',
          'The door code is 4711.',
          '--file',
          planPath,
          '--max-views',
          '1',
          '--passphrase-stdin',
          '--label',
          'Door code for Dana',
        ],
        { stdin: `${passphrase}\n` },
      )
      expectStatus(result, 0)
      expect(result.stdout).toMatch(new RegExp(`^${LINK_URL.source}\\n$`))
      expect(result.stdout.startsWith(`${server?.url}/s/`)).toBe(true)
      expect(result.stderr).toBe('')
      url = result.stdout.trim()
      id = url.slice(url.indexOf('/s/') + 3, url.indexOf('#'))
    })

    test('link ls --json shows the decrypted label, no view spent, and the file', async () => {
      const [row] = await links()
      expect(row).toEqual({
        id,
        label: 'Door code for Dana',
        createdAt: expect.any(String) as unknown,
        expiresAt: expect.any(String) as unknown,
        views: 0,
        maxViews: 1,
        viewsLeft: 1,
        hasPassphrase: true,
        fileCount: 1,
        sizeBytes: plan.length,
        emails: [],
        state: 'active',
        endedAt: null,
        notifyOnOpen: false,
      })
      // The default expiry is a week.
      const lifetime = Date.parse(row?.expiresAt ?? '') - Date.parse(row?.createdAt ?? '')
      expect(Math.abs(lifetime - 7 * DAY_MS)).toBeLessThan(60_000)
    })

    test('opening without the passphrase fails with passphrase_required and spends no view', async () => {
      const result = await open(url)
      expectStatus(result, 1)
      expect(result.stderr).toBe(
        'error: this link needs a passphrase: pipe it in with --passphrase-stdin ' +
          '(no view was spent) (passphrase_required)\n',
      )
      expect(result.stdout).toBe('')
      expect((await links()).find((row) => row.id === id)).toMatchObject({ views: 0 })
    })

    test('a wrong passphrase is refused with the tries left and spends no view', async () => {
      const result = await open(url, ['--passphrase-stdin'], 'not the passphrase\n')
      expectStatus(result, 1)
      expect(result.stderr).toBe(
        'error: wrong passphrase: 9 tries left before the link is destroyed (no view was spent) ' +
          '(wrong_passphrase)\n',
      )
      expect((await links()).find((row) => row.id === id)).toMatchObject({ views: 0 })
    })

    test('anyone with the link and the passphrase opens it without a session, once', async () => {
      const directory = join(files, 'opened', 'first')
      const result = await open(
        url,
        ['--passphrase-stdin', '--save-files', directory],
        `${passphrase}\n`,
      )
      expectStatus(result, 0)
      expect(result.stdout).toBe('The door code is 4711.\n')
      expect(result.stderr).toBe(
        `saved plan.bin (146.5 KiB) to ${join(directory, 'plan.bin')}\n` +
          'view 1 of 1\nthis link is now deleted\n',
      )
      expect(await readFile(join(directory, 'plan.bin'))).toEqual(plan)
      expect((await stat(join(directory, 'plan.bin'))).mode & 0o777).toBe(0o600)
      // Opening never signs anyone in, nor saves anything about the visitor.
      expect(await readdir(stranger.home)).toEqual([])
    })

    test('the second open finds nothing: not_available, and the link is gone from ls', async () => {
      const result = await open(url, ['--passphrase-stdin'], `${passphrase}\n`)
      expectStatus(result, 1)
      expect(result.stderr).toBe(NOT_AVAILABLE)
      expect(result.stdout).toBe('')
      expect((await links()).map((row) => row.id)).not.toContain(id)
    })

    test('link ls --all and link show keep it, used up, with what happened to it', async () => {
      const all = parseJson(await admin.run(['link', 'ls', '--all', '--json'])) as LinkRow[]
      expect(all.find((row) => row.id === id)).toMatchObject({
        label: 'Door code for Dana',
        state: 'used_up',
        views: 1,
        viewsLeft: 0,
      })
      const shown = parseJson(await admin.run(['link', 'show', id, '--json'])) as LinkRow & {
        history: Array<{ event: string; view: number | null }>
      }
      // Each open loaded the page (one reveal a minute) and the wrong passphrase was counted.
      expect(shown.history.map((entry) => [entry.event, entry.view])).toEqual([
        ['revealed', null],
        ['wrong_passphrase', null],
        ['opened', 1],
      ])
      const text = await admin.run(['link', 'show', id])
      expect(text.stdout).toMatch(/^History:\n {2}\d{4}-.+ {2}page loaded with the full link\n/m)
      expect(text.stdout).toMatch(/ {2}opened \(view 1 of 1\)\n$/)
      const table = await admin.run(['link', 'ls', '--all'])
      expect(table.stdout).toMatch(/^STATE +LABEL +ID /)
      expect(table.stdout).toMatch(new RegExp(`^used up +Door code for Dana +${id} `, 'm'))
      expectStatus(await member.run(['link', 'show', id]), 1)
    })
  })

  test('a three-view link opens with --json and counts its views', async () => {
    const created = await createLink(
      ['--text-stdin', '--max-views', '3', '--expires-in', '1h', '--label', 'Wi-Fi'],
      'SSID: office\nPassword: hunter2\n',
    )
    expect(created).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) as unknown,
      url: expect.stringMatching(LINK_URL) as unknown,
      expiresAt: expect.any(String) as unknown,
      maxViews: 3,
    })
    expect(Math.abs(Date.parse(created.expiresAt) - Date.now() - HOUR_MS)).toBeLessThan(60_000)

    const result = await open(created.url, ['--json'])
    const opened = parseJson(result) as Opened
    expect(opened).toEqual({
      subject: '',
      text: 'SSID: office\nPassword: hunter2\n',
      files: [],
      views: 1,
      maxViews: 3,
      deleted: false,
    })
    expect(result.stderr).toBe('view 1 of 3\n')

    const row = (await links()).find((candidate) => candidate.id === created.id)
    expect(row).toMatchObject({ label: 'Wi-Fi', views: 1, viewsLeft: 2, hasPassphrase: false })

    const table = await admin.run(['link', 'ls'])
    expectStatus(table, 0)
    expect(table.stdout).toMatch(/^LABEL +ID +CREATED +EXPIRES +VIEWS +PASSPHRASE +FILES +EMAIL\n/)
    expect(table.stdout).toMatch(
      new RegExp(`^Wi-Fi +${created.id}  \\d{4}-.+  1 used, 2 left  no$`, 'm'),
    )
  })

  test('a short passphrase gets a strength hint, and still works', async () => {
    const result = await admin.run(['link', 'create', '--text', 'PIN 1234', '--passphrase-stdin'], {
      stdin: 'tulip\n',
    })
    expectStatus(result, 0)
    expect(result.stderr).toBe(
      'note: a short passphrase can be guessed offline by whoever has the link and the ' +
        'server’s copy; four or more random words are safer\n',
    )
    const opened = await open(result.stdout.trim(), ['--passphrase-stdin'], 'tulip\n')
    expectStatus(opened, 0)
    expect(opened.stdout).toBe('PIN 1234\n')
  })

  test('a file without text, saved next to a file of the same name', async () => {
    const directory = join(files, 'opened', 'second')
    const created = await createLink(['--file', planPath])
    expectStatus(await open(created.url, ['--save-files', directory]), 0)
    const again = await createLink(['--file', planPath])
    const result = await open(again.url, ['--save-files', directory, '--json'])
    const opened = parseJson(result) as Opened
    expect(opened.files).toEqual([
      {
        name: 'plan.bin',
        size: plan.length,
        type: 'application/octet-stream',
        savedTo: join(directory, 'plan (2).bin'),
      },
    ])
    expect(await readFile(join(directory, 'plan (2).bin'))).toEqual(plan)
  })

  test('link rm deletes a link at once', async () => {
    const created = await createLink(['--text', 'Delete me'])
    const result = await admin.run(['link', 'rm', created.id])
    expectStatus(result, 0)
    expect(result.stdout).toBe('Deleted.\n')
    expect((await links()).map((row) => row.id)).not.toContain(created.id)
    const opened = await open(created.url)
    expectStatus(opened, 1)
    expect(opened.stderr).toBe(NOT_AVAILABLE)
    // It stays in the history, deleted, until removed from there too.
    const all = async () =>
      parseJson(await admin.run(['link', 'ls', '--all', '--json'])) as LinkRow[]
    expect((await all()).find((row) => row.id === created.id)?.state).toBe('deleted')
    expectStatus(await admin.run(['link', 'rm', created.id]), 0)
    expect((await all()).map((row) => row.id)).not.toContain(created.id)
    const again = await admin.run(['link', 'rm', created.id])
    expectStatus(again, 1)
    expect(again.stderr).toMatch(/\(not_found\)\n$/)
    expectStatus(await admin.run(['link', 'rm', 'not-a-link-id']), 2)
  })

  test('someone else’s link can be neither listed nor deleted', async () => {
    const created = await createLink(['--text', 'Mine'])
    expect((await links(member)).map((row) => row.id)).not.toContain(created.id)
    const result = await member.run(['link', 'rm', created.id])
    expectStatus(result, 1)
    expect(result.stderr).toMatch(/\(not_found\)\n$/)
    expect((await links()).map((row) => row.id)).toContain(created.id)
  })

  test('the command line is checked before anything is read or sent', async () => {
    const before = (await links()).length
    const create = (args: string[], stdin?: string) =>
      admin.run(['link', 'create', ...args], { stdin })

    const both = await create(['--text-stdin', '--passphrase-stdin'], 'text\n')
    expectStatus(both, 2)
    expect(both.stderr).toBe(
      'error: --text-stdin and --passphrase-stdin cannot share stdin: pipe in the passphrase, ' +
        'and give the text with --text or put it in a file and add it with --file (usage)\n',
    )
    const none = await create([])
    expectStatus(none, 2)
    expect(none.stderr).toBe(
      'error: give the text with --text or --text-stdin (or add files with --file) (usage)\n',
    )
    for (const views of ['0', '101', '1.5', 'many']) {
      const result = await create(['--text', 'x', '--max-views', views])
      expectStatus(result, 2)
      expect(result.stderr).toMatch(/^error: --max-views: not a whole number from 1 to 100/)
    }
    const tooFar = await create(['--text', 'x', '--expires-in', 'P4000D'])
    expectStatus(tooFar, 2)
    expect(tooFar.stderr).toMatch(/^error: --expires-in: more than 3650 days away/)
    expectStatus(await create(['--text', 'x', '--expires-in', 'soon']), 2)
    expectStatus(await create(['--text', '  ']), 2)
    const missing = await create(['--text', 'x', '--file', join(files, 'nope')])
    expectStatus(missing, 1)
    expect(missing.stderr).toMatch(/^error: cannot read .*nope: no such file or directory/)
    expect(await links()).toHaveLength(before)
  })

  test('link open refuses what is not a link without echoing it', async () => {
    const secretish = 'http://127.0.0.1:1/s/short#not-a-secret-but-close'
    const result = await open(secretish)
    expectStatus(result, 2)
    expect(result.stderr).toBe(
      'error: that is not a Sealpost link (…/s/<id>#<secret>) (invalid_link)\n',
    )
  })

  test('a member who may not create links is refused before anything is uploaded', async () => {
    expectStatus(await admin.run(['admin', 'users', 'set', 'bob', '--no-allow-links']), 0)
    try {
      for (const args of [
        ['link', 'create', '--text', 'x', '--file', planPath],
        ['send-email', '--to', 'dana@example.org', '--text', 'x'],
      ]) {
        const result = await member.run(args)
        expectStatus(result, 1)
        expect(result.stderr).toBe('error: policy canCreateLinks forbids this (policy_forbids)\n')
      }
      expect(await links(member)).toEqual([])
    } finally {
      expectStatus(await admin.run(['admin', 'users', 'set', 'bob', '--allow-links']), 0)
    }
    expectStatus(await member.run(['link', 'create', '--text', 'Allowed again']), 0)
  })

  describe('link create --notify-on-open', () => {
    test('emails the owner at each view, with the view but nothing of the link', async () => {
      const secret = `notify-canary-${randomUUID()}`
      const before = smtp?.received.length ?? 0
      const created = await createLink([
        '--text',
        secret,
        '--label',
        `label-${secret}`,
        '--max-views',
        '2',
        '--notify-on-open',
      ])
      for (const view of [1, 2]) {
        expectStatus(await open(created.url), 0)
        // The server mails after the open has answered: wait for it to arrive.
        await vi.waitFor(() => expect(smtp?.received.length).toBe(before + view))
        const mail = smtp?.received.at(-1)
        expect(mail?.to).toMatchObject({ value: [{ address: 'alice@example.com' }] })
        expect(mail?.text).toMatch(new RegExp(`was opened \\(view ${view} of 2\\)`))
        expect(`${mail?.subject}${mail?.text}${String(mail?.html)}`).not.toContain(secret)
      }
      const shown = parseJson(await admin.run(['link', 'show', created.id, '--json'])) as LinkRow
      expect(shown.notifyOnOpen).toBe(true)
      expect((await admin.run(['link', 'show', created.id])).stdout).toContain(
        'Email me when opened: yes',
      )
    })

    test('a link without it shows no, and no email comes', async () => {
      const before = smtp?.received.length ?? 0
      const created = await createLink(['--text', 'quiet', '--max-views', '2'])
      expectStatus(await open(created.url), 0)
      expect((await admin.run(['link', 'show', created.id])).stdout).toContain(
        'Email me when opened: no',
      )
      // A second link with the flag, opened after: its email is the only one that arrives.
      const watched = await createLink(['--text', 'loud', '--notify-on-open'])
      expectStatus(await open(watched.url), 0)
      await vi.waitFor(() => expect(smtp?.received.length).toBe(before + 1))
      expect(smtp?.received.at(-1)?.text).toMatch(/view 1 of 1/)
    })
  })

  describe('send-email', () => {
    test('emails the link; the recipient opens it from the mail', async () => {
      const received = smtp?.received.length ?? 0
      const result = await admin.run([
        'send-email',
        '--to',
        'dana@example.org',
        '--text',
        'Welcome aboard, Dana.',
        '--max-views',
        '2',
      ])
      expectStatus(result, 0)
      expect(result.stdout).toBe('sent to dana@example.org\n')
      expect(result.stderr).toBe(
        `${RELAY_NOTE}, so it could open the content; to prevent that, add --passphrase-stdin ` +
          'and give the passphrase another way\n',
      )
      expect(smtp?.received).toHaveLength(received + 1)
      const mail = smtp?.received.at(-1)
      expect(mail?.to).toMatchObject({ value: [{ address: 'dana@example.org' }] })
      const url = LINK_URL.exec(mail?.text ?? '')?.[0] ?? ''
      expect(url.startsWith(`${server?.url}/s/`)).toBe(true)
      expect(mail?.text).not.toContain('Welcome aboard')

      const opened = await open(url)
      expectStatus(opened, 0)
      expect(opened.stdout).toBe('Welcome aboard, Dana.\n')
      expect(opened.stderr).toBe('view 1 of 2\n')

      const id = url.slice(url.indexOf('/s/') + 3, url.indexOf('#'))
      const row = (await links()).find((candidate) => candidate.id === id)
      expect(row?.emails).toEqual([
        { to: 'dana@example.org', status: 'sent', error: null, at: expect.any(String) as unknown },
      ])
    })

    test('--json gives the link and the results; a passphrase silences the relay note', async () => {
      const result = await admin.run(
        [
          'send-email',
          '--json',
          '--to',
          'eve@example.org',
          '--text',
          'Payroll',
          '--passphrase-stdin',
        ],
        { stdin: `${passphrase}\n` },
      )
      const sent = parseJson(result) as { id: string; url: string; results: unknown[] }
      expect(sent.results).toEqual([{ to: 'eve@example.org', ok: true, error: null }])
      expect(sent.url).toMatch(LINK_URL)
      expect(result.stderr).toBe('')
      const mail = smtp?.received.at(-1)
      expect(mail?.text).toContain(sent.url)
      expect(mail?.text).toContain('passphrase')
      const opened = await open(sent.url, ['--passphrase-stdin'], `${passphrase}\n`)
      expectStatus(opened, 0)
      expect(opened.stdout).toBe('Payroll\n')
    })

    test('a refused address is reported, exits 1, and the link stays with the failure', async () => {
      const result = await admin.run([
        'send-email',
        '--to',
        'frank@example.org,gone@example.org',
        '--text',
        'Hello both',
      ])
      expectStatus(result, 1)
      expect(result.stdout).toMatch(
        /^sent to frank@example\.org\nFAILED gone@example\.org: .*mailbox gone@example\.org unavailable.*\n$/,
      )
      expect(result.stderr).toContain(
        'error: 1 of 2 emails could not be sent; the link stays until it expires or is used up ' +
          '(`sealpost link ls` shows it) (delivery_failed)\n',
      )
      const row = (await links()).find((candidate) =>
        candidate.emails.some((email) => email.to === 'gone@example.org'),
      )
      expect(row?.emails).toEqual([
        expect.objectContaining({ to: 'frank@example.org', status: 'sent', error: null }),
        expect.objectContaining({
          to: 'gone@example.org',
          status: 'failed',
          error: expect.stringContaining('unavailable') as unknown,
        }),
      ])
      const table = await admin.run(['link', 'ls'])
      expect(table.stdout).toMatch(new RegExp(`^\\S+ +${row?.id}  .+  1 sent, 1 FAILED$`, 'm'))
      expect(table.stdout).toMatch(
        new RegExp(`^Failed emails:\\n {2}${row?.id} {2}gone@example\\.org {2}.+unavailable`, 'm'),
      )
    })

    test('addresses are checked before anything is sent', async () => {
      const before = (await links()).length
      const bad = await admin.run(['send-email', '--to', 'not-an-address', '--text', 'x'])
      expectStatus(bad, 2)
      expect(bad.stderr).toMatch(/^error: --to: .+ \(invalid_input\)\n$/)
      expectStatus(await admin.run(['send-email', '--text', 'x']), 2)
      expect(await links()).toHaveLength(before)
    })

    test('without SMTP it fails with mail_not_configured and creates no link', async () => {
      mailless = await startServer({ databaseUrl: await databaseUrl() })
      const lonely = await createCliUser()
      people.push(lonely)
      await signUp(lonely, mailless, 'ada')
      const result = await lonely.run(['send-email', '--to', 'dana@example.org', '--text', 'x'])
      expectStatus(result, 1)
      expect(result.stderr).toBe(
        'error: email is not set up on this server (SEALPOST_SMTP_URL); ask your administrator ' +
          '(mail_not_configured)\n',
      )
      expect(await links(lonely)).toEqual([])
      expect((await lonely.run(['link', 'ls'])).stdout).toBe('No links.\n')
      // Nor a link that would email its owner at each view.
      const notify = await lonely.run(['link', 'create', '--text', 'x', '--notify-on-open'])
      expectStatus(notify, 1)
      expect(notify.stderr).toMatch(/\(mail_not_configured\)\n$/)
      expect(await links(lonely)).toEqual([])
    })
  })
})
