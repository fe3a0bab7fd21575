import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ALICE, inviteMember, setUpAdministrator } from './test-support/accounts.js'
import { createCliUser, type CliUser } from './test-support/cli.js'
import { alterEnvelope } from './test-support/database.js'
import { databases } from './test-support/databases.js'
import { expectStatus, parseJson } from './test-support/results.js'
import { startServer, type RunningServer } from './test-support/server.js'

type InboxRow = {
  id: string
  from: string
  fromName: string
  subject: string | null
  sentAt: string
  expiresAt: string | null
  read: boolean
  highPriority: boolean
  attachments: string[]
  warning?: string
}
type SentRow = {
  id: string
  to: string[]
  subject: string | null
  sentAt: string
  expiresAt: string | null
  openedBy: string[]
  readBy: string[]
}

const MESSAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const HOUR_MS = 3_600_000

describe.each(databases)('sealpost messages on $name', ({ databaseUrl }) => {
  let server: RunningServer | undefined
  let files = ''
  const people: CliUser[] = []
  let admin: CliUser
  let member: CliUser
  let outsider: CliUser

  /** 150,000 random bytes: three 64 KiB chunks, the last one partial. */
  const figures = randomBytes(150_000)
  let figuresPath = ''
  const subject = 'Quarterly figures'
  const body = 'Hello Bob,\n\nthe figures are attached. <b>Not HTML.</b>\n'
  let firstId = ''
  let replyId = ''
  let replyToReplyId = ''

  async function inbox(user: CliUser, ...flags: string[]): Promise<InboxRow[]> {
    return parseJson(await user.run(['inbox', '--json', ...flags])) as InboxRow[]
  }

  async function sent(user: CliUser): Promise<SentRow[]> {
    return parseJson(await user.run(['sent', '--json'])) as SentRow[]
  }

  /** Sends a plain message and returns its id. */
  async function sendPlain(user: CliUser, to: string, text = 'A plain message'): Promise<string> {
    const result = await user.run(['send', '--to', to, '--subject', text, '--body', text])
    expectStatus(result, 0)
    return result.stdout.trim()
  }

  async function setAdminUserFlag(username: string, flag: string) {
    expectStatus(await admin.run(['admin', 'users', 'set', username, flag]), 0)
  }

  async function invite(username: string, displayName: string, person: CliUser) {
    await inviteMember(admin, person, { username, displayName, email: `${username}@example.com` })
  }

  beforeAll(async () => {
    server = await startServer({ databaseUrl: await databaseUrl() })
    files = await mkdtemp(join(tmpdir(), 'sealpost-cli-files-'))
    figuresPath = join(files, 'figures.bin')
    await writeFile(figuresPath, figures)
    admin = await createCliUser()
    member = await createCliUser()
    outsider = await createCliUser()
    people.push(admin, member, outsider)

    await setUpAdministrator(admin, server.url, ALICE)
    await invite('bob', 'Bob Member', member)
    await invite('carol', 'Carol Outsider', outsider)
  })

  afterAll(async () => {
    await server?.stop()
    await Promise.all(people.map((person) => person.remove()))
    if (files) await rm(files, { recursive: true, force: true })
  })

  test('send seals a high-priority message with an attachment and prints its id', async () => {
    const result = await admin.run(
      [
        'send',
        '--to',
        'bob',
        '--subject',
        subject,
        '--body-stdin',
        '--attach',
        figuresPath,
        '--expires-in',
        '1h',
        '--high-priority',
      ],
      { stdin: body },
    )
    expectStatus(result, 0)
    expect(result.stdout).toMatch(new RegExp(`^${MESSAGE_ID.source.slice(1, -1)}\\n$`))
    // stderr is not a terminal here, so no progress line.
    expect(result.stderr).toBe('')
    firstId = result.stdout.trim()
  })

  test('inbox --json shows the message unread, with its attachment name', async () => {
    const rows = await inbox(member)
    expect(rows).toEqual([
      {
        id: firstId,
        origin: 'member',
        from: 'alice',
        fromName: 'Alice Doe',
        subject,
        sentAt: expect.any(String) as unknown,
        expiresAt: expect.any(String) as unknown,
        read: false,
        highPriority: true,
        attachments: ['figures.bin'],
      },
    ])
    const [row] = rows
    const lifetime = Date.parse(row?.expiresAt ?? '') - Date.parse(row?.sentAt ?? '')
    expect(Math.abs(lifetime - HOUR_MS)).toBeLessThan(60_000)
    expect(await inbox(member, '--unread')).toHaveLength(1)
  })

  test('inbox prints an aligned table with an unread marker and flags', async () => {
    const result = await member.run(['inbox'])
    expectStatus(result, 0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^ {3}ID {36}FROM +SUBJECT +SENT +FLAGS$/)
    expect(lines[1]).toMatch(
      new RegExp(
        `^\\*  ${firstId}  alice +${subject} +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d +` +
          'high priority, expires \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d, 1 file$',
      ),
    )
    expect(lines[1]?.indexOf(subject)).toBe(lines[0]?.indexOf('SUBJECT'))
  })

  test('read shows the verified message, saves identical bytes and marks it read', async () => {
    const directory = join(files, 'saved', 'from-alice')
    const result = await member.run(['read', firstId, '--save-attachments', directory])
    expectStatus(result, 0)
    expect(result.stdout).toContain('From:     Alice Doe (alice), signature verified\n')
    expect(result.stdout).toContain(`Subject:  ${subject}\n`)
    expect(result.stdout).toMatch(/^Sent: +\d{4}-\d\d-\d\d \d\d:\d\d$/m)
    expect(result.stdout).toMatch(/^Expires: +\d{4}-\d\d-\d\d \d\d:\d\d$/m)
    expect(result.stdout).toMatch(/^Priority: +high$/m)
    expect(result.stdout).toMatch(/^ {2}figures\.bin {2}146\.5 KiB {2}.*figures\.bin$/m)
    expect(result.stdout).toContain(
      '\n\nHello Bob,\n\nthe figures are attached. <b>Not HTML.</b>\n',
    )

    expect(await readFile(join(directory, 'figures.bin'))).toEqual(figures)
    const [row] = await inbox(member)
    expect(row).toMatchObject({ id: firstId, read: true })
    expect(await inbox(member, '--unread')).toEqual([])
    const table = await member.run(['inbox'])
    expect(table.stdout.split('\n')[1]).toMatch(new RegExp(`^ {3}${firstId}`))
  })

  test('saving again never overwrites: the second copy is named "figures (2).bin"', async () => {
    const directory = join(files, 'saved', 'from-alice')
    const result = parseJson(
      await member.run(['read', firstId, '--json', '--save-attachments', directory]),
    ) as { attachments: { savedTo: string }[] }
    expect(result.attachments[0]?.savedTo).toBe(join(directory, 'figures (2).bin'))
    expect((await readdir(directory)).sort()).toEqual(['figures (2).bin', 'figures.bin'])
    expect(await readFile(join(directory, 'figures (2).bin'))).toEqual(figures)
  })

  test('read --json gives the verified message', async () => {
    const message = parseJson(await member.run(['read', firstId, '--json']))
    expect(message).toEqual({
      id: firstId,
      origin: 'member',
      from: 'alice',
      fromName: 'Alice Doe',
      subject,
      groups: [],
      body,
      sentAt: expect.any(String) as unknown,
      expiresAt: expect.any(String) as unknown,
      highPriority: true,
      replyTo: null,
      attachments: [
        { name: 'figures.bin', size: figures.length, type: 'application/octet-stream' },
      ],
      items: [],
      verified: true,
    })
  })

  test('reply goes to the sender as "Re: …", linked to the original', async () => {
    const result = await member.run(['reply', firstId, '--body', 'Thanks, got them.'])
    expectStatus(result, 0)
    replyId = result.stdout.trim()
    expect(replyId).toMatch(MESSAGE_ID)

    const rows = await inbox(admin)
    expect(rows).toEqual([
      expect.objectContaining({
        id: replyId,
        from: 'bob',
        fromName: 'Bob Member',
        subject: `Re: ${subject}`,
        read: false,
        highPriority: false,
        // The policy's defaultExpiry (7 days), or the original's remaining time if shorter.
        expiresAt: expect.any(String) as unknown,
        attachments: [],
      }) as unknown,
    ])
    const reply = parseJson(await admin.run(['read', replyId, '--json']))
    expect(reply).toMatchObject({ replyTo: firstId, body: 'Thanks, got them.' })
  })

  test('a reply to a reply keeps one "Re:"', async () => {
    const result = await admin.run(['reply', replyId, '--body-stdin'], { stdin: 'Good.\n' })
    expectStatus(result, 0)
    replyToReplyId = result.stdout.trim()
    const [row] = await inbox(member, '--unread')
    expect(row).toMatchObject({ id: replyToReplyId, subject: `Re: ${subject}`, from: 'alice' })
  })

  test('sent --json lists recipients and who has read each message', async () => {
    const rows = await sent(admin)
    expect(rows.map((row) => row.id)).toEqual([replyToReplyId, firstId])
    expect(rows[1]).toEqual({
      id: firstId,
      to: ['bob'],
      subject,
      sentAt: expect.any(String) as unknown,
      expiresAt: expect.any(String) as unknown,
      openedBy: ['bob'],
      readBy: ['bob'],
    })
    expect(rows[0]).toMatchObject({
      to: ['bob'],
      openedBy: [],
      readBy: [],
      subject: `Re: ${subject}`,
    })

    const table = await admin.run(['sent'])
    expectStatus(table, 0)
    expect(table.stdout).toMatch(/^ID +TO +SUBJECT +SENT +OPENED +READ +EXPIRES$/m)
    expect(table.stdout).toMatch(
      new RegExp(`^${firstId}  bob +${subject} +.+ +1 of 1  1 of 1  \\d{4}-`, 'm'),
    )
  })

  test('receipts tells the sender alone when bob opened, closed and replied', async () => {
    const result = await admin.run(['receipts', firstId, '--json'])
    expectStatus(result, 0)
    const { enabled, recipients } = parseJson(result) as {
      enabled: boolean
      recipients: Array<Record<string, string | null>>
    }
    expect(enabled).toBe(true)
    expect(recipients).toHaveLength(1)
    const [bob] = recipients
    expect(bob).toMatchObject({ username: 'bob', savedAt: null, removedAt: null })
    const at = (key: string) => Date.parse(bob?.[key] ?? '')
    for (const key of ['deliveredAt', 'openedAt', 'closedAt', 'repliedAt']) {
      expect(at(key)).not.toBeNaN()
    }
    // Opened by `read` before it was closed, and replied to after both.
    expect(at('openedAt')).toBeLessThanOrEqual(at('closedAt'))
    expect(at('closedAt')).toBeLessThanOrEqual(at('repliedAt'))

    const table = await admin.run(['receipts', firstId])
    expect(table.stdout).toMatch(/^RECIPIENT +DELIVERED +OPENED +CLOSED +SAVED +REPLIED +REMOVED$/m)
    const time = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d`
    // Delivered, opened and closed; not saved; replied; not removed.
    expect(table.stdout).toMatch(new RegExp(`^bob( +${time}){3} +- +${time} +-$`, 'm'))
    for (const other of [member, outsider]) {
      const refused = await other.run(['receipts', firstId])
      expectStatus(refused, 1)
      expect(refused.stderr).toMatch(/\(not_found\)\n$/)
    }
  })

  test('sends to several recipients, with the text from --body-file', async () => {
    const bodyFile = join(files, 'note.txt')
    await writeFile(bodyFile, 'Team meeting at three.\n')
    const id = parseJson(
      await admin.run([
        '--json',
        'send',
        '--to',
        'bob, carol',
        '--to',
        'alice',
        '--subject',
        'Meeting',
        '--body-file',
        bodyFile,
      ]),
    ) as { id: string }
    for (const person of [admin, member, outsider]) {
      const message = parseJson(await person.run(['read', id.id, '--json']))
      expect(message).toMatchObject({ subject: 'Meeting', body: 'Team meeting at three.\n' })
    }
    const [row] = await sent(admin)
    expect(row?.to.sort()).toEqual(['alice', 'bob', 'carol'])
    expect(row?.readBy.sort()).toEqual(['alice', 'bob', 'carol'])
  })

  test('a member who may not send is refused with sending_disabled', async () => {
    await setAdminUserFlag('bob', '--no-allow-send')
    try {
      const result = await member.run(['send', '--to', 'alice', '--subject', 'Hi', '--body', 'x'])
      expectStatus(result, 1)
      expect(result.stderr).toBe(
        'error: sending messages is disabled for this account (policy canSendMessages) (sending_disabled)\n',
      )
      expect(result.stdout).toBe('')
    } finally {
      await setAdminUserFlag('bob', '--allow-send')
    }
  })

  test('a member who may not attach files is refused only when attaching', async () => {
    await setAdminUserFlag('bob', '--no-allow-attachments')
    try {
      const withFile = await member.run([
        'send',
        '--to',
        'alice',
        '--subject',
        'With a file',
        '--body',
        'See attached.',
        '--attach',
        figuresPath,
      ])
      expectStatus(withFile, 1)
      expect(withFile.stderr).toBe(
        'error: sending attachments is disabled for this account (policy canSendAttachments) (attachments_disabled)\n',
      )
      const id = await sendPlain(member, 'alice', 'Without a file')
      expect(id).toMatch(MESSAGE_ID)
      expect((await inbox(admin)).map((row) => row.subject)).toContain('Without a file')
      expect((await inbox(admin)).map((row) => row.subject)).not.toContain('With a file')
    } finally {
      await setAdminUserFlag('bob', '--allow-attachments')
    }
  })

  test('expiry: a time in the past or beyond the maximum is refused, a duration is honoured', async () => {
    const send = (...expiry: string[]) =>
      admin.run(['send', '--to', 'bob', '--subject', 'Later', '--body', 'x', ...expiry])

    const past = await send('--expires-at', '2020-01-01T00:00Z')
    expect(past.status).not.toBe(0)
    expect(past.stderr).toBe(
      'error: --expires-at: 2020-01-01T00:00Z is in the past (invalid_input)\n',
    )
    // No maxExpiryDays: the ceiling of 3650 days.
    const tooFar = await send('--expires-in', 'P4000D')
    expect(tooFar.status).not.toBe(0)
    expect(tooFar.stderr).toMatch(
      /^error: --expires-in: more than 3650 days away.*\(invalid_input\)\n$/,
    )
    const both = await send('--expires-in', '1d', '--expires-at', '2099-01-01T00:00Z')
    expectStatus(both, 2)
    const nonsense = await send('--expires-in', 'soon')
    expectStatus(nonsense, 2)
    expect(nonsense.stderr).toMatch(/^error: --expires-in: not a duration: soon/)

    const ninetyMinutes = await send('--expires-in', 'PT90M')
    expectStatus(ninetyMinutes, 0)
    const at = new Date(Date.now() + 2 * HOUR_MS).toISOString()
    const atTime = await send('--expires-at', at)
    expectStatus(atTime, 0)
    const rows = await inbox(member, '--unread')
    const lifetimeOf = (id: string) => {
      const row = rows.find((candidate) => candidate.id === id)
      return Date.parse(row?.expiresAt ?? '') - Date.parse(row?.sentAt ?? '')
    }
    expect(Math.abs(lifetimeOf(ninetyMinutes.stdout.trim()) - 1.5 * HOUR_MS)).toBeLessThan(60_000)
    const atRow = rows.find((row) => row.id === atTime.stdout.trim())
    expect(atRow?.expiresAt).toBe(at)
  })

  test('an unknown recipient is named and nothing is sent', async () => {
    const before = (await sent(admin)).length
    const result = await admin.run(['send', '--to', 'bob,nobody', '--subject', 'S', '--body', 'B'])
    expectStatus(result, 1)
    expect(result.stderr).toBe('error: unknown recipient: nobody (unknown_recipient)\n')
    expect(await sent(admin)).toHaveLength(before)
  })

  test('subject and body are checked before anything is sent', async () => {
    const send = (args: string[], stdin?: string) =>
      admin.run(['send', '--to', 'bob', ...args], { stdin })
    const longSubject = await send(['--subject', 'x'.repeat(201), '--body', 'B'])
    expectStatus(longSubject, 2)
    expect(longSubject.stderr).toBe(
      'error: --subject: 201 characters; the most is 200 (invalid_input)\n',
    )
    expectStatus(await send(['--subject', ' ', '--body', 'B']), 2)
    expectStatus(await send(['--subject', 'S', '--body', 'x'.repeat(100_001)]), 2)
    const empty = await send(['--subject', 'S', '--body-stdin'], '  \n')
    expectStatus(empty, 2)
    expect(empty.stderr).toBe('error: --body-stdin: the message text is empty (invalid_input)\n')
    const none = await send(['--subject', 'S'])
    expectStatus(none, 2)
    expect(none.stderr).toContain('exactly one of --body, --body-file or --body-stdin')
    expectStatus(await send(['--subject', 'S', '--body', 'B', '--body-stdin'], 'C'), 2)
    expectStatus(await send(['--subject', 'S', '--body', 'B', '--nonsense']), 2)
  })

  test('a file over the per-file limit is named before anything is uploaded', async () => {
    const huge = join(files, 'huge.iso')
    // Sparse: 25 MiB + 1 byte of size without writing 25 MiB.
    await writeFile(huge, '')
    await truncate(huge, 25 * 1024 * 1024 + 1)
    const result = await admin.run([
      'send',
      '--to',
      'bob',
      '--subject',
      'Too big',
      '--body',
      'x',
      '--attach',
      figuresPath,
      '--attach',
      huge,
    ])
    expectStatus(result, 1)
    expect(result.stderr).toBe(
      `error: ${huge} is too large (26,214,401 bytes); the limit is 26,214,400 bytes per file ` +
        '(payload_too_large)\n',
    )
    const missing = await admin.run([
      'send',
      '--to',
      'bob',
      '--subject',
      'S',
      '--body',
      'B',
      '--attach',
      join(files, 'nope'),
    ])
    expectStatus(missing, 1)
    expect(missing.stderr).toMatch(
      /^error: cannot read .*nope: no such file or directory \(file_error\)\n$/,
    )
  })

  test('someone the message was not sent to cannot read it', async () => {
    const result = await outsider.run(['read', firstId])
    expectStatus(result, 1)
    expect(result.stderr).toMatch(/^error: .+ \(not_found\)\n$/)
    expect(result.stdout).toBe('')
    const reply = await outsider.run(['reply', firstId, '--body', 'Let me in'])
    expectStatus(reply, 1)
    expect(reply.stderr).toMatch(/\(not_found\)\n$/)
    expect((await inbox(outsider)).map((row) => row.id)).not.toContain(firstId)
    const malformed = await outsider.run(['read', 'not-an-id'])
    expectStatus(malformed, 2)
  })

  test('a recipient deletes from their own inbox only', async () => {
    const result = await member.run(['delete', firstId])
    expectStatus(result, 0)
    expect(result.stdout).toBe('Deleted.\n')
    expect((await inbox(member)).map((row) => row.id)).not.toContain(firstId)
    expect((await sent(admin)).map((row) => row.id)).toContain(firstId)
    expectStatus(await admin.run(['read', firstId]), 0)
  })

  test('the sender deletes a message for everyone', async () => {
    expectStatus(await member.run(['read', replyToReplyId]), 0)
    const result = await admin.run(['delete', replyToReplyId])
    expectStatus(result, 0)
    expect(result.stdout).toBe('Deleted.\n')
    const read = await member.run(['read', replyToReplyId])
    expectStatus(read, 1)
    expect(read.stderr).toMatch(/\(not_found\)\n$/)
    expect((await sent(admin)).map((row) => row.id)).not.toContain(replyToReplyId)
    const again = await admin.run(['delete', replyToReplyId])
    expectStatus(again, 1)
    expect(again.stderr).toMatch(/\(not_found\)\n$/)
  })

  test('a message altered in the database is refused, and listed with a warning', async () => {
    const id = await sendPlain(admin, 'bob', 'Payroll changes')
    if (!server) throw new Error('the server did not start')
    // The priority flag is bound by the signature: raising it must not go unnoticed.
    await alterEnvelope(server, id, (envelope) => {
      envelope.highPriority = true
    })
    const refused = 'error: this message failed verification and was not shown (bad_signature)\n'
    const read = await member.run(['read', id])
    expectStatus(read, 1)
    expect(read.stderr).toBe(refused)
    expect(read.stdout).toBe('')
    const reply = await member.run(['reply', id, '--body', 'Noted.'])
    expectStatus(reply, 1)
    expect(reply.stderr).toBe(refused)

    const row = (await inbox(member)).find((candidate) => candidate.id === id)
    expect(row).toEqual({
      id,
      origin: 'member',
      from: 'alice',
      fromName: 'Alice Doe',
      subject: null,
      sentAt: expect.any(String) as unknown,
      expiresAt: expect.any(String) as unknown,
      read: false,
      highPriority: true,
      attachments: [],
      warning: 'this message failed verification (bad_signature)',
    })
    const table = await member.run(['inbox'])
    expect(table.stdout).toMatch(
      new RegExp(
        `^\\*  ${id}  alice +\\(failed verification\\) +.+NOT VERIFIED, high priority, expires .+$`,
        'm',
      ),
    )
  })

  test('a session saved without the export key asks for a new login', async () => {
    const stale = await createCliUser()
    people.push(stale)
    const saved = JSON.parse(await readFile(join(admin.home, 'session.json'), 'utf8')) as Record<
      string,
      unknown
    >
    expect(typeof saved.exportKey).toBe('string')
    delete saved.exportKey
    await writeFile(join(stale.home, 'session.json'), JSON.stringify(saved), { mode: 0o600 })
    const expected =
      'error: this session was saved by an older sealpost and cannot unlock your keys; ' +
      'run `sealpost login` again (not_signed_in)\n'
    for (const args of [
      ['inbox'],
      ['sent'],
      ['read', firstId],
      ['reply', firstId, '--body', 'x'],
    ]) {
      const result = await stale.run(args)
      expectStatus(result, 1)
      expect(result.stderr).toBe(expected)
    }
    const send = await stale.run(['send', '--to', 'bob', '--subject', 'S', '--body', 'B'])
    expect(send.stderr).toBe(expected)
  })

  test('commands need a session', async () => {
    const nobody = await createCliUser()
    people.push(nobody)
    const result = await nobody.run(['--server', server?.url ?? '', 'inbox'])
    expectStatus(result, 1)
    expect(result.stderr).toBe('error: not signed in; run `sealpost login` (not_signed_in)\n')
  })
})
