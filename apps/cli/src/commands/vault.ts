import {
  addVaultMember,
  createSharedVault,
  downloadItemFile,
  ItemContent,
  rekeyVault,
  saveItem,
  sealPendingGrants,
  type DecryptedItem,
  type ItemFile,
  type OpenVault,
} from '@sealpost/core'
import { Option, type Command } from 'commander'
import { unlockAccountKeys, withContext, type Context } from '../context.js'
import { findGroupNamed } from './admin-groups.js'
import {
  checkFileSizes,
  createDirectory,
  decodeUtf8,
  openAttachment,
  saveAttachment,
  type AttachmentFile,
} from '../files.js'
import {
  CommandError,
  formatBytes,
  formatTable,
  formatTime,
  printResult,
  terminalSafe,
  UsageError,
  type Column,
} from '../output.js'
import { readSecretFromStdin } from '../password-stdin.js'
import { progressOnStderr } from '../progress.js'
import { readStdinBytes } from '../stdin.js'
import { collect, parseOption } from '../validate.js'
import {
  childrenOf,
  describePath,
  formatVaultPath,
  parseVaultPath,
  pathOf,
  resolvePath,
  type VaultTree,
} from '../vault-path.js'
import {
  findVault,
  loadVaultTree,
  openAllVaults,
  openNamedVault,
  requireWritable,
  USER_VAULT_NAME,
} from '../vaults.js'

type VaultOption = { vault?: string }
type EntryType = (typeof ENTRY_TYPES)[number]
type EntryOptions = VaultOption & {
  type: EntryType
  username?: string
  passwordStdin?: boolean
  url?: string
  notes?: string
  notesStdin?: boolean
  file?: string[]
}
type GetOptions = VaultOption & { saveFiles?: string }
type MemberOptions = { with?: string[]; group?: string; readOnly?: boolean }

const ENTRY_TYPES = ['credential', 'note', 'document'] as const
/** ItemContent allows this many files on one entry. */
const MAX_FILES_PER_ENTRY = 100

/**
 * `vault ls|add-folder|add-entry|attach|get|rm` on the user vault or a shared one (S7–S9's
 * vault), and for administrators `vault create-shared|share|unshare`.
 */
export function registerVaultCommands(program: Command): void {
  const vault = program
    .command('vault')
    .description(
      'your vault and shared vaults: folders, entries and sub-entries, sealed on this computer. ' +
        'PATH is names joined by / (Servers/Web/nginx); write a / inside a name as \\/',
    )

  addVaultOption(
    vault
      .command('ls')
      .description('list what is in a folder or under an entry (the top level without PATH)')
      .argument('[path]', 'a folder or entry'),
  ).action((path: string | undefined, options: VaultOption, command: Command) =>
    withContext(command, (context) => runList(context, path, options)),
  )

  addVaultOption(
    vault
      .command('add-folder')
      .description('create a folder; the folders above it must exist')
      .argument('<path>', 'where, ending in the new folder’s name'),
  ).action((path: string, options: VaultOption, command: Command) =>
    withContext(command, (context) => runAddFolder(context, path, options)),
  )

  addVaultOption(
    vault
      .command('add-entry')
      .description('create an entry in a folder, at the top level, or under an entry (a sub-entry)')
      .argument('<path>', 'where, ending in the new entry’s name')
      .addOption(
        new Option('--type <type>', 'what it is').choices(ENTRY_TYPES).default('credential'),
      )
      .option('--username <username>', 'the user name (credentials)')
      .option('--password-stdin', 'read the password from stdin (credentials)')
      .option('--url <url>', 'the address it is for (credentials)')
      .option('--notes <text>', 'notes')
      .addOption(
        new Option('--notes-stdin', 'read the notes from stdin (for a secure note)').conflicts([
          'notes',
          'passwordStdin',
        ]),
      )
      .option('--file <file>', 'attach a file (repeatable; a document takes exactly one)', collect),
  ).action((path: string, options: EntryOptions, command: Command) =>
    withContext(command, (context) => runAddEntry(context, path, options)),
  )

  addVaultOption(
    vault
      .command('attach')
      .description('add a file to an entry')
      .argument('<path>', 'the entry')
      .argument('<file>', 'the file to attach'),
  ).action((path: string, file: string, options: VaultOption, command: Command) =>
    withContext(command, (context) => runAttach(context, path, file, options)),
  )

  addVaultOption(
    vault
      .command('get')
      .description('show an entry with its password, notes, fields and files')
      .argument('<path>', 'the entry (or folder)')
      .option('--save-files <dir>', 'write the decrypted files into this directory'),
  ).action((path: string, options: GetOptions, command: Command) =>
    withContext(command, (context) => runGet(context, path, options)),
  )

  addVaultOption(
    vault
      .command('rm')
      .description('delete a folder or entry with everything in it and below it')
      .argument('<path>', 'the folder or entry'),
  ).action((path: string, options: VaultOption, command: Command) =>
    withContext(command, (context) => runRemove(context, path, options)),
  )

  vault
    .command('vaults')
    .description('list the vaults you can open, with your access to each')
    .action((_options: unknown, command: Command) =>
      withContext(command, (context) => runVaults(context)),
    )

  vault
    .command('create-shared')
    .description('create a shared vault (administrators; a convenience beside the web app)')
    .argument('<name>', 'its name, sealed like its content')
    .action((name: string, _options: unknown, command: Command) =>
      withContext(command, (context) => runCreateShared(context, name)),
    )

  vault
    .command('share')
    .description(
      'give users or a group access to a shared vault, or change it (administrators who are members)',
    )
    .argument('<name>', 'the shared vault')
    .option('--with <usernames>', 'users, comma-separated (repeatable)', collect)
    .option('--group <name>', 'a group: its members now and later, while they are in it')
    .option('--read-only', 'they may read but not change it (default: read and write)')
    .action((name: string, options: MemberOptions, command: Command) =>
      withContext(command, (context) =>
        options.group === undefined
          ? runShare(context, name, options)
          : runShareWithGroup(context, name, options.group, options),
      ),
    )

  vault
    .command('unshare')
    .description(
      'end users’ or a group’s access to a shared vault (administrators; then `vault rekey` so their saved key opens nothing new)',
    )
    .argument('<name>', 'the shared vault')
    .option('--with <usernames>', 'users, comma-separated (repeatable)', collect)
    .option('--group <name>', 'a group: members who had the vault through it alone lose it')
    .action((name: string, options: MemberOptions, command: Command) =>
      withContext(command, (context) =>
        options.group === undefined
          ? runUnshare(context, name, options)
          : runUnshareGroup(context, name, options.group),
      ),
    )

  vault
    .command('rekey')
    .description(
      'give a shared vault a new key: every item, revision and file is re-sealed on this computer and swapped at once, so a former member’s saved key opens nothing stored afterwards (administrators who are members)',
    )
    .argument('<name>', 'the shared vault')
    .action((name: string, _options: unknown, command: Command) =>
      withContext(command, (context) => runRekey(context, name)),
    )

  vault
    .command('seal-waiting')
    .description(
      'seal the keys of vaults granted to groups to the members who wait for them (administrators who hold the vaults; the web app does it when an administrator is signed in)',
    )
    .action((_options: unknown, command: Command) =>
      withContext(command, (context) => runSealWaiting(context)),
    )
}

function addVaultOption(command: Command): Command {
  return command.option(
    '--vault <name>',
    `a shared vault, by name (default: your own, "${USER_VAULT_NAME}")`,
  )
}

async function openTree(context: Context, vaultName: string | undefined) {
  const signedIn = await unlockAccountKeys(context)
  const vault = await openNamedVault(context.api, signedIn, vaultName)
  return { vault, tree: await loadVaultTree(context.api, vault) }
}

/** A path that must name an item, not the root. */
function itemPath(text: string, what: string): string[] {
  const names = parseVaultPath(text)
  if (names.length === 0) throw new UsageError(`name ${what}, e.g. Servers/web`)
  return names
}

/** Resolves a path that is not the root to its item. */
function resolveItem(
  tree: VaultTree<DecryptedItem>,
  names: string[],
  vault: OpenVault,
): DecryptedItem {
  const item = resolvePath(tree, names, vault.name)
  if (!item) throw new UsageError('name an item, not the top level')
  return item
}

// ---------------------------------------------------------------------------------------------
// ls

type ItemRow = { id: string; kind: 'folder' | 'entry'; type: string; name: string; files: number }

const itemColumns: Column<ItemRow>[] = [
  { header: 'kind', value: (row) => row.kind },
  { header: 'type', value: (row) => row.type },
  { header: 'name', value: (row) => terminalSafe(row.name) },
  { header: 'files', value: (row) => (row.files === 0 ? '' : String(row.files)) },
]

async function runList(context: Context, pathText: string | undefined, options: VaultOption) {
  const names = parseVaultPath(pathText ?? '')
  const { vault, tree } = await openTree(context, options.vault)
  const parent = resolvePath(tree, names, vault.name)
  const rows: ItemRow[] = childrenOf(tree, parent?.id ?? null).map((item) => ({
    id: item.id,
    kind: item.kind,
    type: item.content.type,
    name: item.content.name,
    files: item.content.files.length,
  }))
  const empty = `${names.length === 0 ? terminalSafe(vault.name) : describePath(names, vault.name)} is empty.`
  printResult(context.json, rows, rows.length === 0 ? empty : formatTable(rows, itemColumns))
}

// ---------------------------------------------------------------------------------------------
// add-folder and add-entry

/** `Servers/web` → the parents' names and the new item's name, checked like the server does. */
function newItemPath(text: string): { parentNames: string[]; name: string } {
  const names = itemPath(text, 'what to create, ending in its name')
  const name = names[names.length - 1] ?? ''
  if (name.trim() === '') throw new UsageError(`${text}: the name is blank`, 'invalid_input')
  parseOption(ItemContent.shape.name, name, 'the name')
  return { parentNames: names.slice(0, -1), name }
}

/** Where a new item goes: the parent exists, may hold this kind, and has no item of that name. */
function placeNewItem(
  tree: VaultTree<DecryptedItem>,
  vault: OpenVault,
  parentNames: string[],
  name: string,
  kind: 'folder' | 'entry',
): DecryptedItem | null {
  const parent = resolvePath(tree, parentNames, vault.name)
  if (parent?.kind === 'entry' && kind === 'folder') {
    throw new CommandError(
      `${describePath(parentNames, vault.name)} is an entry; ` +
        'a folder goes in a folder or at the top level',
      'invalid_input',
    )
  }
  // Two siblings of one name would make both unreachable by path; the web app can rename.
  if (childrenOf(tree, parent?.id ?? null).some((child) => child.content.name === name)) {
    throw new CommandError(
      `${describePath([...parentNames, name], vault.name)} already exists`,
      'already_exists',
    )
  }
  return parent
}

async function runAddFolder(context: Context, pathText: string, options: VaultOption) {
  const { parentNames, name } = newItemPath(pathText)
  const { vault, tree } = await openTree(context, options.vault)
  requireWritable(vault)
  const parent = placeNewItem(tree, vault, parentNames, name, 'folder')
  const item = await saveItem(context.api, vault, {
    parentId: parent?.id ?? null,
    kind: 'folder',
    content: { name, type: 'folder', fields: [] },
    baseRevision: 0,
  })
  const names = [...parentNames, name]
  printResult(
    context.json,
    { id: item.id, vault: vault.name, path: formatVaultPath(names), kind: 'folder', name },
    `Created the folder ${describePath(names, vault.name)}.`,
  )
}

/** The entry's content from its options; secrets are read from stdin, never from argv. */
async function entryContent(
  name: string,
  options: EntryOptions,
): Promise<Omit<ItemContent, 'files'>> {
  const type = options.type
  if (type !== 'credential') {
    const onlyForCredentials = [
      ['--username', options.username !== undefined],
      ['--password-stdin', options.passwordStdin === true],
      ['--url', options.url !== undefined],
    ] as const
    const flag = onlyForCredentials.find(([, isGiven]) => isGiven)?.[0]
    if (flag) throw new UsageError(`${flag} is for credentials only (--type credential)`)
  }
  const fileCount = options.file?.length ?? 0
  if (type === 'document' && fileCount !== 1) {
    throw new UsageError('a document holds exactly one file: give it with --file <file>')
  }
  const shape = ItemContent.shape
  const content: Omit<ItemContent, 'files'> = { name, type, fields: [] }
  if (options.username !== undefined) {
    content.username = parseOption(shape.username, options.username, '--username')
  }
  if (options.url !== undefined) content.url = parseOption(shape.url, options.url.trim(), '--url')
  if (options.notes !== undefined) {
    content.notes = parseOption(shape.notes, options.notes, '--notes')
  }
  if (options.passwordStdin) {
    const password = await readSecretFromStdin('password')
    content.password = parseOption(shape.password, password, 'the password')
  }
  if (options.notesStdin) {
    if (process.stdin.isTTY) process.stderr.write('Type the notes; end them with Ctrl-D.\n')
    const notes = decodeUtf8(await readStdinBytes(), 'stdin')
    content.notes = parseOption(shape.notes, notes, 'the notes')
  }
  return content
}

async function runAddEntry(context: Context, pathText: string, options: EntryOptions) {
  const { parentNames, name } = newItemPath(pathText)
  const content = await entryContent(name, options)
  const files: AttachmentFile[] = []
  try {
    for (const path of options.file ?? []) files.push(await openAttachment(path))
    if (files.length > MAX_FILES_PER_ENTRY) {
      throw new UsageError(`an entry holds at most ${MAX_FILES_PER_ENTRY} files`)
    }
    const { vault, tree } = await openTree(context, options.vault)
    requireWritable(vault)
    const parent = placeNewItem(tree, vault, parentNames, name, 'entry')
    if (files.length > 0) checkFileSizes(files, await context.api.messagingLimits(), 'entry')
    const item = await saveWithProgress(files, (onProgress) =>
      saveItem(context.api, vault, {
        parentId: parent?.id ?? null,
        kind: 'entry',
        content,
        baseRevision: 0,
        newFiles: files,
        onProgress,
      }),
    )
    const names = [...parentNames, name]
    printResult(
      context.json,
      {
        id: item.id,
        vault: vault.name,
        path: formatVaultPath(names),
        kind: 'entry',
        type: content.type,
        name,
        files: item.content.files.length,
      },
      `Created the ${content.type} ${describePath(names, vault.name)}.`,
    )
  } finally {
    await Promise.all(files.map((file) => file.close()))
  }
}

type SaveProgress = (progress: { sentBytes: number; totalBytes: number }) => void

/** Runs a save that uploads `files`, with a progress line on a terminal while it does. */
async function saveWithProgress<T>(
  files: AttachmentFile[],
  save: (onProgress: SaveProgress | undefined) => Promise<T>,
): Promise<T> {
  if (files.length === 0) return save(undefined)
  const progress = progressOnStderr('Sealing and uploading files')
  try {
    return await save(({ sentBytes, totalBytes }) => progress.update(sentBytes, totalBytes))
  } finally {
    progress.finish()
  }
}

// ---------------------------------------------------------------------------------------------
// attach

/** The entry's current files, as saveItem keeps them: sealed metadata plus stored chunk counts. */
function keptFiles(item: DecryptedItem): Array<ItemFile & { name: string; type: string }> {
  return item.content.files.map((meta) => {
    const stored = item.files.find((file) => file.blobId === meta.blobId)
    if (!stored) {
      throw new CommandError(
        `the server lists no file ${terminalSafe(meta.name)} for ${terminalSafe(item.content.name)}`,
        'bad_response',
      )
    }
    return { ...meta, size: stored.size, chunkCount: stored.chunkCount }
  })
}

async function runAttach(
  context: Context,
  pathText: string,
  filePath: string,
  options: VaultOption,
) {
  const names = itemPath(pathText, 'the entry to attach the file to')
  const file = await openAttachment(filePath)
  try {
    const { vault, tree } = await openTree(context, options.vault)
    requireWritable(vault)
    const item = resolveItem(tree, names, vault)
    const where = describePath(names, vault.name)
    if (item.kind !== 'entry') {
      throw new CommandError(`${where} is a folder; files go on entries`, 'invalid_input')
    }
    if (item.content.type === 'document' && item.content.files.length > 0) {
      throw new CommandError(
        `${where} is a document, which holds one file; attach it to another entry ` +
          'or add a new document with `sealpost vault add-entry … --type document --file …`',
        'invalid_input',
      )
    }
    if (item.content.files.length >= MAX_FILES_PER_ENTRY) {
      throw new CommandError(
        `${where} already has ${MAX_FILES_PER_ENTRY} files, the most an entry holds`,
        'invalid_input',
      )
    }
    checkFileSizes([file], await context.api.messagingLimits(), 'entry')
    const { files: _files, ...content } = item.content
    const saved = await saveWithProgress([file], (onProgress) =>
      saveItem(context.api, vault, {
        id: item.id,
        parentId: item.parentId,
        kind: 'entry',
        content,
        baseRevision: item.revision,
        keepFiles: keptFiles(item),
        newFiles: [file],
        onProgress,
      }),
    )
    printResult(
      context.json,
      {
        id: item.id,
        vault: vault.name,
        path: formatVaultPath(names),
        file: { name: file.name, type: file.type, size: file.size },
        files: saved.content.files.length,
      },
      `Attached ${terminalSafe(file.name)} (${formatBytes(file.size)}) to ${where}.`,
    )
  } finally {
    await file.close()
  }
}

// ---------------------------------------------------------------------------------------------
// get

type GotFile = { name: string; type: string; size: number; savedTo?: string }

async function runGet(context: Context, pathText: string, options: GetOptions) {
  const names = itemPath(pathText, 'the entry to show')
  const { vault, tree } = await openTree(context, options.vault)
  const item = resolveItem(tree, names, vault)
  const { files: metas, ...content } = item.content
  const files: GotFile[] = metas.map(({ name, type, size }) => ({ name, type, size }))
  if (options.saveFiles !== undefined && metas.length > 0) {
    await createDirectory(options.saveFiles)
    const storedFiles = keptFiles(item)
    for (const [index, meta] of metas.entries()) {
      const stored = storedFiles[index]
      if (!stored) continue
      const progress = progressOnStderr(`Downloading ${terminalSafe(meta.name)}`)
      let bytes: Uint8Array
      try {
        progress.update(0, meta.size)
        bytes = await downloadItemFile(context.api, vault, item.id, stored)
        progress.update(meta.size, meta.size)
      } finally {
        progress.finish()
      }
      const file = files[index]
      if (file) file.savedTo = await saveAttachment(options.saveFiles, meta.name, bytes)
    }
  }
  const value = {
    id: item.id,
    vault: vault.name,
    path: formatVaultPath(pathOf(tree, item)),
    kind: item.kind,
    ...content,
    files,
    items: childrenOf(tree, item.id).length,
    revision: item.revision,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  }
  printResult(context.json, value, describeItem(value))
}

function describeItem(item: {
  vault: string
  path: string
  type: string
  name: string
  username?: string | undefined
  password?: string | undefined
  url?: string | undefined
  notes?: string | undefined
  fields: { label: string; value: string; hidden: boolean }[]
  files: GotFile[]
  items: number
  updatedAt: string
}): string {
  const fields: [string, string][] = [
    ['Name', terminalSafe(item.name)],
    ['Type', item.type],
    ['Vault', terminalSafe(item.vault)],
    ['Path', terminalSafe(item.path)],
  ]
  if (item.username !== undefined) fields.push(['Username', terminalSafe(item.username)])
  // It is the user's own vault and they asked for the entry: the password is the point.
  if (item.password !== undefined) fields.push(['Password', terminalSafe(item.password)])
  if (item.url !== undefined) fields.push(['URL', terminalSafe(item.url)])
  if (item.items > 0) {
    fields.push(['Contains', `${item.items} ${item.items === 1 ? 'item' : 'items'}`])
  }
  fields.push(['Updated', formatTime(item.updatedAt)])
  const width = Math.max(...fields.map(([label]) => label.length)) + 2
  const lines = fields.map(([label, text]) => `${`${label}:`.padEnd(width)}${text}`)
  if (item.fields.length > 0) {
    lines.push('Fields:')
    const labelWidth = Math.max(...item.fields.map((field) => terminalSafe(field.label).length)) + 2
    for (const field of item.fields) {
      lines.push(
        `  ${`${terminalSafe(field.label)}:`.padEnd(labelWidth)}${terminalSafe(field.value)}`,
      )
    }
  }
  if (item.files.length > 0) {
    lines.push('Files:')
    const table = formatTable(item.files, [
      { header: 'name', value: (file) => terminalSafe(file.name) },
      { header: 'size', value: (file) => formatBytes(file.size) },
      { header: 'saved to', value: (file) => (file.savedTo ? terminalSafe(file.savedTo) : '') },
    ])
    lines.push(
      ...table
        .split('\n')
        .slice(1)
        .map((line) => `  ${line}`),
    )
  }
  const notes =
    item.notes === undefined
      ? ''
      : `\n\n${terminalSafe(item.notes, { multiline: true }).replace(/\n+$/, '')}`
  return `${lines.join('\n')}${notes}`
}

// ---------------------------------------------------------------------------------------------
// rm

async function runRemove(context: Context, pathText: string, options: VaultOption) {
  const names = itemPath(pathText, 'the folder or entry to delete')
  const { vault, tree } = await openTree(context, options.vault)
  requireWritable(vault)
  const item = resolveItem(tree, names, vault)
  const { deleted } = await context.api.deleteItem(vault.id, item.id)
  const where = describePath(names, vault.name)
  printResult(
    context.json,
    { id: item.id, vault: vault.name, path: formatVaultPath(names), deleted },
    deleted <= 1
      ? `Deleted ${where}.`
      : `Deleted ${where} and everything below it (${deleted} items).`,
  )
}

// ---------------------------------------------------------------------------------------------
// vaults, create-shared, share, unshare

type VaultRow = {
  id: string
  name: string
  kind: 'user' | 'shared'
  canWrite: boolean
  /** Someone lost access since its key was made: `vault rekey` it. */
  rekeyDue: boolean
}

async function runVaults(context: Context) {
  const signedIn = await unlockAccountKeys(context)
  const vaults = await openAllVaults(context.api, signedIn)
  const rows: VaultRow[] = vaults
    .map(({ id, name, kind, canWrite, rekeyDue }) => ({ id, name, kind, canWrite, rekeyDue }))
    .sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'user' ? -1 : 1))
  printResult(
    context.json,
    rows,
    formatTable(rows, [
      { header: 'name', value: (row) => terminalSafe(row.name) },
      { header: 'kind', value: (row) => row.kind },
      { header: 'access', value: (row) => (row.canWrite ? 'read-write' : 'read-only') },
      { header: 'key', value: (row) => (row.rekeyDue ? 're-key due' : '') },
    ]),
  )
}

async function runCreateShared(context: Context, nameArgument: string) {
  const name = nameArgument.trim()
  if (name === '') throw new UsageError('the vault name is blank', 'invalid_input')
  parseOption(ItemContent.shape.name, name, 'the vault name')
  if (name === USER_VAULT_NAME) {
    throw new UsageError(`"${USER_VAULT_NAME}" is every user's own vault; choose another name`)
  }
  const signedIn = await unlockAccountKeys(context)
  // --vault and --to find vaults by name, so names must stay unique for the people using them.
  if ((await openAllVaults(context.api, signedIn)).some((vault) => vault.name === name)) {
    throw new CommandError(`you already have a vault named ${terminalSafe(name)}`, 'already_exists')
  }
  const id = await createSharedVault(
    context.api,
    { id: signedIn.me.id, x25519PublicKey: signedIn.keys.x25519PublicKey },
    name,
  )
  printResult(
    context.json,
    { id, name },
    `Created the shared vault ${terminalSafe(name)}; add people with ` +
      `\`sealpost vault share ${JSON.stringify(terminalSafe(name))} --with USER\`.`,
  )
}

/** `--with a,b --with c` → ['a', 'b', 'c'], lowercased, each once. */
function parseUsernames(values: string[] | undefined): string[] {
  const usernames = (values ?? [])
    .flatMap((value) => value.split(','))
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '')
  if (usernames.length === 0) {
    throw new UsageError('name at least one user (--with <username>) or a group (--group <name>)')
  }
  return [...new Set(usernames)]
}

/** The shared vault `name`, opened, for changing its members. */
async function openSharedVault(context: Context, name: string) {
  const signedIn = await unlockAccountKeys(context)
  const vault = findVault(await openAllVaults(context.api, signedIn), name)
  if (vault.kind !== 'shared') {
    throw new CommandError(`${terminalSafe(vault.name)} is not a shared vault`, 'invalid_input')
  }
  return { signedIn, vault }
}

async function runShare(context: Context, name: string, options: MemberOptions) {
  const usernames = parseUsernames(options.with)
  const { signedIn, vault } = await openSharedVault(context, name)
  if (usernames.includes(signedIn.me.username)) {
    throw new UsageError('you are a member already; another administrator can change your access')
  }
  const { users } = await context.api.directory()
  const byName = new Map(users.map((user) => [user.username, user]))
  const unknown = usernames.filter((username) => !byName.has(username))
  if (unknown.length > 0) {
    throw new CommandError(
      `no active user named ${unknown.map((username) => terminalSafe(username)).join(', ')}`,
      'not_found',
    )
  }
  const canWrite = options.readOnly !== true
  for (const username of usernames) {
    const user = byName.get(username)
    // Each member's copy of the vault key is sealed here, to the key the directory names.
    if (user) await addVaultMember(context.api, vault, user, canWrite)
  }
  const access = canWrite ? 'read-write' : 'read-only'
  printResult(
    context.json,
    { vault: vault.name, members: usernames.map((username) => ({ username, canWrite })) },
    `Shared ${terminalSafe(vault.name)} with ${usernames.join(', ')} (${access}).`,
  )
}

async function runUnshare(context: Context, name: string, options: MemberOptions) {
  const usernames = parseUsernames(options.with)
  const { signedIn, vault } = await openSharedVault(context, name)
  if (usernames.includes(signedIn.me.username)) {
    throw new UsageError('you cannot remove yourself; another administrator can')
  }
  const { members } = await context.api.vaultMembers(vault.id)
  const byName = new Map(members.map((member) => [member.username, member]))
  const strangers = usernames.filter((username) => !byName.has(username))
  if (strangers.length > 0) {
    throw new CommandError(
      `not a member of ${terminalSafe(vault.name)}: ${strangers.map((username) => terminalSafe(username)).join(', ')}`,
      'not_found',
    )
  }
  for (const username of usernames) {
    const member = byName.get(username)
    if (member) await context.api.removeVaultMember(vault.id, member.userId)
  }
  printResult(
    context.json,
    { vault: vault.name, removed: usernames },
    `${usernames.join(', ')} can no longer open ${terminalSafe(vault.name)}. ${rekeyHint(vault.name)}`,
  )
}

async function runShareWithGroup(
  context: Context,
  name: string,
  groupName: string,
  options: MemberOptions,
) {
  if (options.with !== undefined) throw new UsageError('give --with or --group, not both')
  const { signedIn, vault } = await openSharedVault(context, name)
  const group = await findGroupNamed(context, groupName)
  const canWrite = options.readOnly !== true
  await context.api.putVaultGroupGrant(vault.id, group.id, { canWrite })
  // This computer holds the key: it seals it at once to the group's members, and to nobody
  // else the server might list as waiting.
  const members = new Set((await context.api.group(group.id)).members.map((member) => member.id))
  const sealed = await sealPendingGrants(
    context.api,
    signedIn.account,
    signedIn.me,
    (grant) => grant.vaultId === vault.id && members.has(grant.userId),
  )
  const access = canWrite ? 'read-write' : 'read-only'
  printResult(
    context.json,
    { vault: vault.name, group: group.name, canWrite, sealed },
    `Shared ${terminalSafe(vault.name)} with the group ${terminalSafe(group.name)} (${access}); ` +
      `sealed the key to ${sealed} ${sealed === 1 ? 'member' : 'members'}.`,
  )
}

async function runUnshareGroup(context: Context, name: string, groupName: string) {
  const { vault } = await openSharedVault(context, name)
  const group = await findGroupNamed(context, groupName)
  await context.api.removeVaultGroupGrant(vault.id, group.id)
  printResult(
    context.json,
    { vault: vault.name, group: group.name, removed: true },
    `The group ${terminalSafe(group.name)} no longer has ${terminalSafe(vault.name)}; ` +
      `members who had it only through the group lost it. ${rekeyHint(vault.name)}`,
  )
}

/** What to do after someone lost a vault, whose key their device may have saved. */
function rekeyHint(vaultName: string): string {
  const argument = /^[\w.@-]+$/.test(vaultName) ? vaultName : JSON.stringify(vaultName)
  return `A key they saved still opens it until \`sealpost vault rekey ${terminalSafe(argument)}\`.`
}

async function runSealWaiting(context: Context) {
  const signedIn = await unlockAccountKeys(context)
  // Asked for by name: every member waiting for a vault this computer holds.
  const sealed = await sealPendingGrants(context.api, signedIn.account, signedIn.me, () => true)
  printResult(
    context.json,
    { sealed },
    sealed === 0
      ? 'Nobody waits for a vault key this computer holds.'
      : `Sealed ${sealed} vault ${sealed === 1 ? 'key' : 'keys'} to group members who waited.`,
  )
}

async function runRekey(context: Context, name: string) {
  const { vault } = await openSharedVault(context, name)
  const files = progressOnStderr('Re-sealing files')
  const revisions = progressOnStderr('Re-sealing items and history')
  let result
  try {
    result = await rekeyVault(context.api, vault, (progress) => {
      if (progress.step === 'files') files.update(progress.doneBytes, progress.totalBytes)
      else {
        files.finish()
        revisions.update(progress.done, progress.total)
      }
    })
  } finally {
    files.finish()
    revisions.finish()
  }
  const dropped =
    result.dropped === 0
      ? ''
      : ` ${result.dropped} member${result.dropped === 1 ? '' : 's'} whose account is not active lost access.`
  printResult(
    context.json,
    { vault: vault.name, ...result },
    `Re-keyed ${terminalSafe(vault.name)}: ${result.items} items, ${result.revisions} revisions and ${result.files} files re-sealed; the new key is sealed to ${result.members} members.${dropped}`,
  )
}
