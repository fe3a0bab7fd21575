import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ALICE, inviteMember, setUpAdministrator } from './test-support/accounts.js'
import { createCliUser, type CliUser } from './test-support/cli.js'
import { expectKeptFromRest } from './test-support/at-rest.js'
import { alterEnvelope } from './test-support/database.js'
import { databases } from './test-support/databases.js'
import { expectStatus, parseJson } from './test-support/results.js'
import { startServer, type RunningServer } from './test-support/server.js'

type ItemRow = { id: string; kind: string; type: string; name: string; files: number }
type ReadItem = {
  kind: string
  type: string
  name: string
  files: { name: string; type: string; size: number }[]
  children: ReadItem[]
}
type GotItem = {
  id: string
  vault: string
  path: string
  kind: string
  type: string
  name: string
  username?: string
  password?: string
  url?: string
  notes?: string
  fields: unknown[]
  files: { name: string; type: string; size: number; savedTo?: string }[]
  items: number
}

const MESSAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe.each(databases)('sealpost vault on $name', ({ databaseUrl }) => {
  let server: RunningServer | undefined
  let files = ''
  const people: CliUser[] = []
  let admin: CliUser
  let member: CliUser
  let outsider: CliUser

  /** Canaries: sealed on the client, so they must never reach the database or the logs. */
  const password = `canary-password-${randomUUID()}`
  const notes = `canary-notes-${randomUUID()}\nsecond line`
  const rootPassword = `canary-root-${randomUUID()}`
  /** 150,000 random bytes: three 64 KiB chunks, the last one partial. */
  const config = randomBytes(150_000)
  let configPath = ''
  let copyId = ''

  async function ls(user: CliUser, ...args: string[]): Promise<ItemRow[]> {
    return parseJson(await user.run(['vault', 'ls', '--json', ...args])) as ItemRow[]
  }

  async function get(user: CliUser, ...args: string[]): Promise<GotItem> {
    return parseJson(await user.run(['vault', 'get', '--json', ...args])) as GotItem
  }

  async function invite(username: string, person: CliUser) {
    await inviteMember(admin, person, { username, email: `${username}@example.com` })
  }

  /** Runs a command that must fail with `status` and exactly this error line. */
  async function expectError(user: CliUser, args: string[], line: string, status = 1) {
    const result = await user.run(args)
    expectStatus(result, status)
    expect(result.stderr).toBe(`error: ${line}\n`)
    expect(result.stdout).toBe('')
  }

  beforeAll(async () => {
    server = await startServer({ databaseUrl: await databaseUrl() })
    files = await mkdtemp(join(tmpdir(), 'sealpost-cli-vault-'))
    configPath = join(files, 'nginx.conf')
    await writeFile(configPath, config)
    admin = await createCliUser()
    member = await createCliUser()
    outsider = await createCliUser()
    people.push(admin, member, outsider)
    await setUpAdministrator(admin, server.url, ALICE)
    await invite('bob', member)
    await invite('carol', outsider)
  })

  afterAll(async () => {
    await server?.stop()
    await Promise.all(people.map((person) => person.remove()))
    if (files) await rm(files, { recursive: true, force: true })
  })

  test('an empty vault lists nothing', async () => {
    const result = await admin.run(['vault', 'ls'])
    expectStatus(result, 0)
    expect(result.stdout).toBe('My vault is empty.\n')
    expect(await ls(admin)).toEqual([])
  })

  test('add-folder, add-entry and attach build a tree; secrets come from stdin', async () => {
    const folder = await admin.run(['vault', 'add-folder', 'Servers'])
    expectStatus(folder, 0)
    expect(folder.stdout).toBe('Created the folder Servers in My vault.\n')

    const web = await admin.run(
      [
        'vault',
        'add-entry',
        'Servers/web',
        '--type',
        'credential',
        '--username',
        'root',
        '--password-stdin',
        '--url',
        'https://web.example.com',
        '--notes',
        notes,
      ],
      { stdin: `${password}\n` },
    )
    expectStatus(web, 0)
    expect(web.stdout).toBe('Created the credential Servers/web in My vault.\n')

    const subEntry = await admin.run(
      ['vault', 'add-entry', 'Servers/web/root', '--username', 'admin', '--password-stdin'],
      { stdin: rootPassword },
    )
    expectStatus(subEntry, 0)

    const attached = await admin.run(['vault', 'attach', 'Servers/web', configPath])
    expectStatus(attached, 0)
    expect(attached.stdout).toBe('Attached nginx.conf (146.5 KiB) to Servers/web in My vault.\n')
    expect(attached.stderr).toBe('')

    const db = await admin.run(
      ['vault', 'add-entry', 'Servers/db', '--type', 'note', '--notes-stdin'],
      {
        stdin: 'Primary on db1, replica on db2.\n',
      },
    )
    expectStatus(db, 0)
    expect(db.stdout).toBe('Created the note Servers/db in My vault.\n')

    const argv = admin.argvLog.flat().join('\n')
    expect(argv).not.toContain(password)
    expect(argv).not.toContain(rootPassword)
  })

  test('vault ls lists a folder’s children, an entry’s sub-entries and the top level', async () => {
    expect(await ls(admin, 'Servers')).toEqual([
      { id: expect.any(String) as unknown, kind: 'entry', type: 'note', name: 'db', files: 0 },
      {
        id: expect.any(String) as unknown,
        kind: 'entry',
        type: 'credential',
        name: 'web',
        files: 1,
      },
    ])
    expect((await ls(admin, 'Servers/web')).map((row) => row.name)).toEqual(['root'])
    expect((await ls(admin)).map((row) => [row.kind, row.name])).toEqual([['folder', 'Servers']])

    const table = await admin.run(['vault', 'ls', 'Servers'])
    expectStatus(table, 0)
    expect(table.stdout).toBe(
      'KIND   TYPE        NAME  FILES\n' +
        'entry  note        db\n' +
        'entry  credential  web   1\n',
    )
  })

  test('vault get shows the entry with its password, notes and file', async () => {
    const entry = await get(admin, 'Servers/web')
    expect(entry).toMatchObject({
      vault: 'My vault',
      path: 'Servers/web',
      kind: 'entry',
      type: 'credential',
      name: 'web',
      username: 'root',
      password,
      url: 'https://web.example.com',
      notes,
      fields: [],
      files: [{ name: 'nginx.conf', type: 'application/octet-stream', size: config.length }],
      items: 1,
    })

    const human = await admin.run(['vault', 'get', 'Servers/web'])
    expectStatus(human, 0)
    expect(human.stdout).toContain('Name:     web\nType:     credential\n')
    expect(human.stdout).toContain(`Password: ${password}\n`)
    expect(human.stdout).toContain('Contains: 1 item\n')
    expect(human.stdout).toMatch(/^ {2}nginx\.conf {2}146\.5 KiB$/m)
    expect(human.stdout).toMatch(new RegExp(`\n\n${notes}\n$`))

    const directory = join(files, 'from-my-vault')
    const saved = await get(admin, 'Servers/web', '--save-files', directory)
    expect(saved.files[0]?.savedTo).toBe(join(directory, 'nginx.conf'))
    expect(await readFile(join(directory, 'nginx.conf'))).toEqual(config)
    expect(await get(admin, 'Servers/web/root')).toMatchObject({
      username: 'admin',
      password: rootPassword,
    })
  })

  test('paths must lead somewhere, and new items need a free name in a fitting parent', async () => {
    await expectError(
      admin,
      ['vault', 'get', 'Servers/mail'],
      'there is no Servers/mail in My vault (not_found)',
    )
    await expectError(
      admin,
      ['vault', 'add-folder', 'Nope/Sub'],
      'there is no Nope in My vault (not_found)',
    )
    await expectError(
      admin,
      ['vault', 'add-folder', 'Servers'],
      'Servers in My vault already exists (already_exists)',
    )
    await expectError(
      admin,
      ['vault', 'add-folder', 'Servers/web/logs'],
      'Servers/web in My vault is an entry; a folder goes in a folder or at the top level ' +
        '(invalid_input)',
    )
    await expectError(
      admin,
      ['vault', 'attach', 'Servers', configPath],
      'Servers in My vault is a folder; files go on entries (invalid_input)',
    )
    await expectError(
      admin,
      ['vault', 'add-entry', 'Memo', '--type', 'note', '--password-stdin'],
      '--password-stdin is for credentials only (--type credential) (usage)',
      2,
    )
    await expectError(
      admin,
      ['vault', 'add-entry', 'Manual', '--type', 'document'],
      'a document holds exactly one file: give it with --file <file> (usage)',
      2,
    )
    await expectError(
      admin,
      ['vault', 'ls', '--vault', 'Nope'],
      'you have no vault named Nope; `sealpost vault vaults` lists yours (not_found)',
    )
    expectStatus(await admin.run(['vault', 'rm', '']), 2)
    expectStatus(await admin.run(['vault', 'ls', 'Servers//web']), 2)
  })

  test('a document holds exactly one file', async () => {
    const document = await admin.run([
      'vault',
      'add-entry',
      'Manual',
      '--type',
      'document',
      '--file',
      configPath,
    ])
    expectStatus(document, 0)
    expect((await get(admin, 'Manual')).files).toHaveLength(1)
    await expectError(
      admin,
      ['vault', 'attach', 'Manual', configPath],
      'Manual in My vault is a document, which holds one file; attach it to another entry or ' +
        'add a new document with `sealpost vault add-entry … --type document --file …` ' +
        '(invalid_input)',
    )
    expectStatus(await admin.run(['vault', 'rm', 'Manual']), 0)
  })

  test('send-copy sends the folder with everything below it; read lists the copied items', async () => {
    const sent = await admin.run([
      'send-copy',
      'Servers',
      '--to',
      'bob',
      '--subject',
      'The servers',
      '--body',
      'Here they are.',
    ])
    expectStatus(sent, 0)
    expect(sent.stdout).toMatch(new RegExp(`^${MESSAGE_ID.source.slice(1, -1)}\\n$`))
    copyId = sent.stdout.trim()

    const message = parseJson(await member.run(['read', copyId, '--json'])) as {
      attachments: { name: string; size: number }[]
      items: ReadItem[]
    }
    expect(message.attachments).toEqual([
      { name: 'nginx.conf', size: config.length, type: 'application/octet-stream' },
    ])
    const file = { name: 'nginx.conf', type: 'application/octet-stream', size: config.length }
    expect(message.items).toEqual([
      {
        kind: 'folder',
        type: 'folder',
        name: 'Servers',
        files: [],
        children: [
          { kind: 'entry', type: 'note', name: 'db', files: [], children: [] },
          {
            kind: 'entry',
            type: 'credential',
            name: 'web',
            files: [file],
            children: [
              { kind: 'entry', type: 'credential', name: 'root', files: [], children: [] },
            ],
          },
        ],
      },
    ])

    const human = await member.run(['read', copyId])
    expectStatus(human, 0)
    expect(human.stdout).toContain(
      'Copied items:\n' +
        '  Servers (folder)\n' +
        '    db (note)\n' +
        '    web (credential, 1 file, 146.5 KiB)\n' +
        '      root (credential)\n' +
        '\nHere they are.\n',
    )
  })

  test('save puts the same tree into the user vault, passwords and files included', async () => {
    const saved = await member.run(['save', copyId])
    expectStatus(saved, 0)
    expect(saved.stdout).toBe('Saved 4 items into My vault\n  Servers (folder)\n')
    // Its sender learns that it was saved (a receipt).
    const receipts = parseJson(await admin.run(['receipts', copyId, '--json'])) as {
      recipients: Array<{ username: string; savedAt: string | null }>
    }
    expect(Date.parse(receipts.recipients[0]?.savedAt ?? '')).not.toBeNaN()

    expect((await ls(member, 'Servers')).map((row) => [row.type, row.name, row.files])).toEqual([
      ['note', 'db', 0],
      ['credential', 'web', 1],
    ])
    const directory = join(files, 'saved-by-bob')
    const web = await get(member, 'Servers/web', '--save-files', directory)
    expect(web).toMatchObject({ username: 'root', password, notes, items: 1 })
    expect(await readFile(join(directory, 'nginx.conf'))).toEqual(config)
    expect(await get(member, 'Servers/web/root')).toMatchObject({ password: rootPassword })
    expect(await get(member, 'Servers/db')).toMatchObject({
      type: 'note',
      notes: 'Primary on db1, replica on db2.\n',
    })
  })

  test('saving twice makes a second copy named "Servers (2)"', async () => {
    const saved = parseJson(await member.run(['save', copyId, '--json']))
    expect(saved).toEqual({
      messageId: copyId,
      vault: 'My vault',
      path: '',
      created: 4,
      items: [
        { id: expect.any(String) as unknown, kind: 'folder', type: 'folder', name: 'Servers (2)' },
      ],
    })
    expect((await ls(member)).map((row) => row.name)).toEqual(['Servers', 'Servers (2)'])
    expect(await get(member, 'Servers (2)/web')).toMatchObject({ password })
  })

  test('a message whose signature fails is not saved', async () => {
    const sent = await admin.run([
      'send-copy',
      'Servers/db',
      '--to',
      'bob',
      '--subject',
      'db notes',
      '--body',
      'x',
    ])
    expectStatus(sent, 0)
    const id = sent.stdout.trim()
    if (!server) throw new Error('the server did not start')
    await alterEnvelope(server, id, (envelope) => {
      envelope.highPriority = true
    })
    const before = await ls(member)
    await expectError(
      member,
      ['save', id],
      'this message failed verification and was not saved (bad_signature)',
    )
    expect(await ls(member)).toEqual(before)
  })

  test('a message without files or copied items has nothing to save', async () => {
    const sent = await admin.run(['send', '--to', 'bob', '--subject', 'Hi', '--body', 'Hello'])
    expectStatus(sent, 0)
    await expectError(
      member,
      ['save', sent.stdout.trim()],
      'this message has no files or copied items to save (nothing_to_save)',
    )
    await expectError(outsider, ['save', copyId], 'no such message (not_found)')
  })

  test('send-copy needs the permission to send attachments (S9)', async () => {
    expectStatus(await admin.run(['admin', 'users', 'set', 'bob', '--no-allow-attachments']), 0)
    try {
      await expectError(
        member,
        ['send-copy', 'Servers', '--to', 'alice', '--subject', 'Back', '--body', 'x'],
        'sending attachments is disabled for this account (policy canSendAttachments) (attachments_disabled)',
      )
    } finally {
      expectStatus(await admin.run(['admin', 'users', 'set', 'bob', '--allow-attachments']), 0)
    }
    expectStatus(
      await member.run([
        'send-copy',
        'Servers/db',
        '--to',
        'alice',
        '--subject',
        'Back',
        '--body',
        'x',
      ]),
      0,
    )
  })

  test('shared vaults: an administrator creates and shares them; save --to picks one', async () => {
    await expectError(
      member,
      ['vault', 'create-shared', 'Mine'],
      'only administrators can do this (admin_only)',
    )
    expectStatus(await admin.run(['vault', 'create-shared', 'Ops']), 0)
    expectStatus(await admin.run(['vault', 'create-shared', 'Archive']), 0)
    await expectError(
      admin,
      ['vault', 'create-shared', 'Ops'],
      'you already have a vault named Ops (already_exists)',
    )
    expectStatus(await admin.run(['vault', 'add-folder', 'Inbox', '--vault', 'Ops']), 0)
    const shared = await admin.run(['vault', 'share', 'Ops', '--with', 'bob'])
    expectStatus(shared, 0)
    expect(shared.stdout).toBe('Shared Ops with bob (read-write).\n')
    expectStatus(await admin.run(['vault', 'share', 'Archive', '--with', 'bob', '--read-only']), 0)

    const vault = (name: string, kind: string, canWrite: boolean) => ({
      id: expect.any(String) as unknown,
      name,
      kind,
      canWrite,
      rekeyDue: false,
    })
    expect(parseJson(await member.run(['vault', 'vaults', '--json']))).toEqual([
      vault('My vault', 'user', true),
      vault('Archive', 'shared', false),
      vault('Ops', 'shared', true),
    ])

    const saved = await member.run(['save', copyId, '--to', 'Ops:Inbox'])
    expectStatus(saved, 0)
    expect(saved.stdout).toBe('Saved 4 items into Ops:Inbox\n  Servers (folder)\n')
    // The administrator opens what bob saved: both hold the same vault key.
    expect(await get(admin, 'Inbox/Servers/web', '--vault', 'Ops')).toMatchObject({
      vault: 'Ops',
      path: 'Inbox/Servers/web',
      password,
    })
    const mine = await member.run(['save', copyId, '--to', 'My vault:Servers (2)'])
    expectStatus(mine, 0)
    expect(mine.stdout).toBe('Saved 4 items into My vault:Servers (2)\n  Servers (folder)\n')
  })

  test('save refuses read-only vaults, entries and vaults the user does not have', async () => {
    await expectError(
      member,
      ['save', copyId, '--to', 'Archive'],
      'you can only read the vault Archive (forbidden)',
    )
    await expectError(
      member,
      ['vault', 'add-folder', 'Mine', '--vault', 'Archive'],
      'you can only read the vault Archive (forbidden)',
    )
    await expectError(
      member,
      ['save', copyId, '--to', 'Ops:Inbox/Servers/web'],
      "Inbox/Servers/web in Ops is an entry; save into a folder or a vault's top level " +
        '(invalid_input)',
    )
    const noVault =
      'you have no vault named Ops; write --to VAULT or VAULT:FOLDER, e.g. "My vault:Servers" ' +
      '(`sealpost vault vaults` lists yours) (not_found)'
    await expectError(outsider, ['save', copyId, '--to', 'Ops:Inbox'], noVault)
    await expectError(
      outsider,
      ['vault', 'ls', '--vault', 'Ops'],
      'you have no vault named Ops; `sealpost vault vaults` lists yours (not_found)',
    )

    const unshared = await admin.run(['vault', 'unshare', 'Ops', '--with', 'bob'])
    expectStatus(unshared, 0)
    expect(unshared.stdout).toBe(
      'bob can no longer open Ops. A key they saved still opens it until `sealpost vault rekey Ops`.\n',
    )
    await expectError(
      member,
      ['vault', 'ls', '--vault', 'Ops'],
      'you have no vault named Ops; `sealpost vault vaults` lists yours (not_found)',
    )
  })

  test('a group gets a shared vault: its members now and later, until they leave', async () => {
    const vaultNames = async (user: CliUser) =>
      (parseJson(await user.run(['vault', 'vaults', '--json'])) as Array<{ name: string }>).map(
        (vault) => vault.name,
      )
    expectStatus(await admin.run(['vault', 'create-shared', 'Crew vault']), 0)
    expectStatus(await admin.run(['admin', 'groups', 'create', 'Crew']), 0)
    expectStatus(await admin.run(['admin', 'groups', 'add', 'Crew', 'carol']), 0)
    const shared = await admin.run(['vault', 'share', 'Crew vault', '--group', 'Crew'])
    expectStatus(shared, 0)
    expect(shared.stdout).toBe(
      'Shared Crew vault with the group Crew (read-write); sealed the key to 1 member.\n',
    )
    expect(await vaultNames(outsider)).toContain('Crew vault')

    // A newcomer waits until a computer that holds the key seals it to them.
    expectStatus(await admin.run(['admin', 'groups', 'add', 'Crew', 'bob']), 0)
    expect(await vaultNames(member)).not.toContain('Crew vault')
    const sealed = await admin.run(['vault', 'seal-waiting'])
    expectStatus(sealed, 0)
    expect(sealed.stdout).toBe('Sealed 1 vault key to group members who waited.\n')
    expect(await vaultNames(member)).toContain('Crew vault')

    // Leaving the group ends it at once; so does the grant's end for everyone else.
    expectStatus(await admin.run(['admin', 'groups', 'remove', 'Crew', 'carol']), 0)
    expect(await vaultNames(outsider)).not.toContain('Crew vault')
    const unshared = await admin.run(['vault', 'unshare', 'Crew vault', '--group', 'Crew'])
    expectStatus(unshared, 0)
    expect(await vaultNames(member)).not.toContain('Crew vault')
    await expectError(
      admin,
      ['vault', 'share', 'Crew vault', '--group', 'Crew', '--with', 'bob'],
      'give --with or --group, not both (usage)',
      2,
    )
  })

  test('vault rekey re-seals a shared vault under a new key; its members read it as before', async () => {
    await expectError(
      member,
      ['vault', 'rekey', 'Archive'],
      'only administrators can do this (admin_only)',
    )
    await expectError(
      admin,
      ['vault', 'rekey', 'My vault'],
      'My vault is not a shared vault (invalid_input)',
    )
    // bob left Ops earlier: the vault list says it is due.
    const keyColumn = async () =>
      (await admin.run(['vault', 'vaults'])).stdout
        .split('\n')
        .find((line) => line.startsWith('Ops '))
        ?.trimEnd()
    expect(await keyColumn()).toMatch(/ re-key due$/)
    const before = await get(admin, 'Inbox/Servers/web', '--vault', 'Ops')
    const rekeyed = await admin.run(['vault', 'rekey', 'Ops', '--json'])
    expectStatus(rekeyed, 0)
    expect(parseJson(rekeyed)).toEqual({
      vault: 'Ops',
      keyVersion: 2,
      items: 5,
      revisions: 5,
      files: 1,
      members: 1,
      dropped: 0,
    })
    expect(await keyColumn()).toMatch(/ read-write$/)
    const text = await admin.run(['vault', 'rekey', 'Ops'])
    expectStatus(text, 0)
    expect(text.stdout).toBe(
      'Re-keyed Ops: 5 items, 5 revisions and 1 files re-sealed; the new key is sealed to 1 members.\n',
    )
    const after = await get(admin, 'Inbox/Servers/web', '--vault', 'Ops', '--save-files', files)
    expect(after).toMatchObject({ password, notes })
    expect(after.files).toMatchObject(before.files)
    const saved = after.files[0]?.savedTo
    expect(saved && (await readFile(saved))).toEqual(config)
  })

  test('vault rm deletes an item with everything below it; copies stay', async () => {
    const removed = await admin.run(['vault', 'rm', 'Servers'])
    expectStatus(removed, 0)
    expect(removed.stdout).toBe('Deleted Servers in My vault and everything below it (4 items).\n')
    expect(await ls(admin)).toEqual([])
    await expectError(
      admin,
      ['vault', 'get', 'Servers/web'],
      'there is no Servers in My vault (not_found)',
    )
    // The message and bob's saved copies are snapshots, not links to the original.
    expect(await get(member, 'Servers/web')).toMatchObject({ password })
    const saved = await member.run(['save', copyId])
    expectStatus(saved, 0)
    expect(saved.stdout).toBe('Saved 4 items into My vault\n  Servers (3) (folder)\n')
  })

  test('passwords, notes, URLs and files never reach the database or the server log', async () => {
    if (!server) throw new Error('the server did not start')
    await expectKeptFromRest({
      server,
      secrets: [
        ['password', password],
        ['root password', rootPassword],
        ['notes', notes.split('\n')[0] ?? notes],
        ['URL', 'web.example.com'],
        ['file content', config.subarray(70_000, 70_064)],
      ],
      inClear: 'bob@example.com',
      inLog: '/api/vaults',
    })
  })

  test('vault commands need a session', async () => {
    const nobody = await createCliUser()
    people.push(nobody)
    await expectError(
      nobody,
      ['--server', server?.url ?? '', 'vault', 'ls'],
      'not signed in; run `sealpost login` (not_signed_in)',
    )
  })
})
