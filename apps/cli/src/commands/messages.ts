import {
  ApiError,
  BODY_MAX,
  CryptoError,
  downloadAttachment,
  envelopeFacts,
  expandGroups,
  GroupSendError,
  groupNameKey,
  isAnswerEnvelope,
  MessageBody,
  MessageId,
  MessageSubject,
  openAnswerDetail,
  openListSubject,
  openMessageDetail,
  replySubject,
  sendMessage,
  SUBJECT_MAX,
  type ApiClient,
  type CopiedItem,
  type DirectoryUser,
  type FileSource,
  type MessageDetail,
  type MessageSummary,
  type OpenedAnswerMessage,
  type OpenedMessage,
  type SentSummary,
  type SentToGroup,
  policyValues,
} from '@sealpost/core'
import { Option, type Command } from 'commander'
import {
  requireSession,
  unlockAccountKeys,
  withContext,
  type Context,
  type SignedInUser,
} from '../context.js'
import {
  checkExpiryLimit,
  expiresAtAfter,
  expiresAtFrom,
  presetExpiry,
  replyExpiry,
} from '../expiry.js'
import {
  checkFileSizes,
  createDirectory,
  decodeUtf8,
  openAttachment,
  readTextFile,
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
  truncate,
  UsageError,
  type Column,
} from '../output.js'
import { collectPages, LIST_CAP, mapWithConcurrency } from '../paging.js'
import { progressOnStderr } from '../progress.js'
import { readStdinBytes } from '../stdin.js'
import { collect, parseOption } from '../validate.js'

export type BodyOptions = { body?: string; bodyFile?: string; bodyStdin?: boolean }
type SendOptions = BodyOptions &
  ExpiryOptions & {
    to?: string[]
    subject: string
    highPriority?: boolean
    attach?: string[]
  }
export type ExpiryOptions = { expiresIn?: string; expiresAt?: string }
type InboxOptions = { unread?: boolean }
type ReadOptions = { saveAttachments?: string }

/** Messages fetched and verified at once while listing the inbox. */
const OPEN_CONCURRENCY = 8

/** send, inbox, read, reply, sent, delete: end-to-end encrypted messages. */
export function registerMessageCommands(program: Command): void {
  const send = program
    .command('send')
    .description('send an end-to-end encrypted message; prints its id')
    .option(
      '--to <recipients>',
      'usernames or group:NAME (each active member of the group), comma-separated (repeatable)',
      collect,
    )
    .requiredOption('--subject <subject>', `the subject (1–${SUBJECT_MAX} characters)`)
  addExpiryOptions(addBodyOptions(send))
    .option('--high-priority', 'recipients see it at once, at every sign-in until they close it')
    .option('--attach <file>', 'attach a file (repeatable)', collect)
    .action((options: SendOptions, command: Command) =>
      withContext(command, (context) => runSend(context, options)),
    )

  program
    .command('inbox')
    .description('list received messages, newest first (* marks unread)')
    .option('--unread', 'only unread messages')
    .action((options: InboxOptions, command: Command) =>
      withContext(command, (context) => runInbox(context, options)),
    )

  program
    .command('read')
    .description('verify, decrypt and show a message, and mark it read')
    .argument('<id>', 'the message id (from `sealpost inbox`)')
    .option('--save-attachments <dir>', 'write the decrypted attachments into this directory')
    .action((id: string, options: ReadOptions, command: Command) =>
      withContext(command, (context) => runRead(context, id, options)),
    )

  const reply = program
    .command('reply')
    .description('reply to the sender of a message; prints the new message id')
    .argument('<id>', 'the message to reply to')
  addBodyOptions(reply).action((id: string, options: BodyOptions, command: Command) =>
    withContext(command, (context) => runReply(context, id, options)),
  )

  program
    .command('sent')
    .description('list the messages you sent, with who has read them')
    .action((_options: unknown, command: Command) =>
      withContext(command, (context) => runSent(context)),
    )

  program
    .command('receipts')
    .description('when each recipient of a message you sent opened, closed, saved or replied to it')
    .argument('<id>', 'the message id (from `sealpost sent`)')
    .action((id: string, _options: unknown, command: Command) =>
      withContext(command, (context) => runReceipts(context, id)),
    )

  program
    .command('delete')
    .description('remove a message from your inbox; a message you sent is deleted for everyone')
    .argument('<id>', 'the message id')
    .action((id: string, _options: unknown, command: Command) =>
      withContext(command, async (context) => {
        const messageId = parseMessageId(id)
        requireSession(context)
        await context.api.deleteMessage(messageId)
        printResult(context.json, { id: messageId, deleted: true }, 'Deleted.')
      }),
    )
}

export function addBodyOptions(command: Command): Command {
  return command
    .option('--body <text>', 'the message text')
    .option('--body-file <file>', 'read the message text from a UTF-8 file')
    .option('--body-stdin', 'read the message text from stdin (up to end of input)')
}

/** --expires-in and --expires-at, as `send` and `send-copy` take them. */
export function addExpiryOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--expires-in <duration>',
        'delete it after 1h, 1d, 7d, 30d or an ISO 8601 duration (PT90M, P2D)',
      ).conflicts('expiresAt'),
    )
    .option(
      '--expires-at <time>',
      'delete it at this ISO 8601 time (local time unless it ends in Z or an offset)',
    )
}

// ---------------------------------------------------------------------------------------------
// send and reply

async function runSend(context: Context, options: SendOptions): Promise<void> {
  // Everything that can be checked here is, before a key is unlocked or a byte uploaded.
  const names = parseRecipients(options.to)
  const subject = checkSubject(options.subject)
  const now = new Date()
  const expiry = parseExpiry(options, now)
  const body = await readBody(options)
  const files: AttachmentFile[] = []
  try {
    for (const path of options.attach ?? []) files.push(await openAttachment(path))

    const signedIn = await unlockAccountKeys(context)
    const { recipients, groups, directIds } = await resolveRecipients(
      context.api,
      names,
      signedIn.me.id,
    )
    if (files.length > 0 || expiry) {
      const limits = await context.api.messagingLimits()
      checkFileSizes(files, limits)
      if (expiry) checkExpiryLimit(expiry.expiresAt, now, limits.maxExpiryDays, expiry.flag)
    }
    // No expiry given: the user's policy presets one (defaultExpiry).
    const expiresAt =
      expiry?.expiresAt ?? presetExpiry(policyValues(await context.api.myPolicy()), now)
    const id = await send(context, signedIn, {
      recipients,
      groups,
      directIds,
      subject,
      body,
      expiresAt,
      highPriority: options.highPriority === true,
      replyTo: null,
      files,
    })
    printResult(context.json, { id }, id)
  } finally {
    await Promise.all(files.map((file) => file.close()))
  }
}

async function runReply(context: Context, idArgument: string, options: BodyOptions) {
  const id = parseMessageId(idArgument)
  const body = await readBody(options)
  const signedIn = await unlockAccountKeys(context)
  const detail = await context.api.getMessage(id)
  const original = await openOrRefuse(signedIn, id, detail)
  if (detail.sender === null) {
    // An answer from outside: its sender has no account to reply to.
    throw new CommandError(
      'this answer came from outside Sealpost: reply with `sealpost link create` and give ' +
        'the link to the sender another way',
      'reply_not_possible',
    )
  }
  const senderId = detail.sender.id
  // The directory has the sender's current encryption key, and only lists active users.
  const { users } = await context.api.directory()
  const sender = users.find((user) => user.id === senderId)
  if (!sender) {
    throw new CommandError(
      `cannot reply: ${detail.sender.username} is no longer an active user`,
      'unknown_recipient',
    )
  }
  const preset = presetExpiry(policyValues(await context.api.myPolicy()), new Date())
  const newId = await send(context, signedIn, {
    recipients: [sender],
    subject: fitSubject(replySubject(original.subject)),
    body,
    expiresAt: replyExpiry(preset, detail.envelope.expiresAt),
    highPriority: false,
    replyTo: id,
    files: [],
  })
  printResult(context.json, { id: newId }, newId)
}

export type Outgoing = {
  recipients: DirectoryUser[]
  subject: string
  body: string
  expiresAt: string | null
  highPriority: boolean
  replyTo: string | null
  files: FileSource[]
  /** Copied vault items (send-copy); their files are among `files`. */
  tree?: CopiedItem[]
  /** The groups the recipients came from (`--to group:NAME`). */
  groups?: SentToGroup[]
  /** With groups: the users named besides them. */
  directIds?: string[]
}

/** Seals, uploads and sends; prints upload progress on a terminal; returns the message id. */
export async function send(
  context: Context,
  signedIn: SignedInUser,
  message: Outgoing,
): Promise<string> {
  const progress = progressOnStderr('Sealing and uploading attachments')
  try {
    const { id } = await sendMessage(context.api, {
      // Chosen here so that core's retries of the same send can never make two messages.
      id: crypto.randomUUID(),
      me: { id: signedIn.me.id, x25519PublicKey: signedIn.keys.x25519PublicKey },
      account: signedIn.account,
      ...message,
      onProgress:
        message.files.length > 0
          ? ({ sentBytes, totalBytes }) => progress.update(sentBytes, totalBytes)
          : undefined,
    })
    return id
  } finally {
    progress.finish()
  }
}

/** Who `--to` names: users by username, lowercased, and groups (`group:NAME`), each once. */
export type RecipientNames = { usernames: string[]; groups: string[] }

const GROUP_PREFIX = 'group:'

/** `--to a,group:Ops --to c` → users a and c and the group Ops. */
export function parseRecipients(values: string[] | undefined): RecipientNames {
  const names = (values ?? [])
    .flatMap((value) => value.split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '')
  if (names.length === 0) {
    throw new UsageError(
      'name at least one recipient: --to <username>[,<username>…] or --to group:<name>',
    )
  }
  const isGroup = (name: string) => name.toLowerCase().startsWith(GROUP_PREFIX)
  const groups = names.filter(isGroup).map((name) => name.slice(GROUP_PREFIX.length).trim())
  if (groups.includes('')) throw new UsageError('name the group: --to group:<name>')
  const usernames = names.filter((name) => !isGroup(name)).map((name) => name.toLowerCase())
  return { usernames: [...new Set(usernames)], groups: [...new Set(groups)] }
}

/**
 * The people `names` stand for, with their keys: each named user, and each group's active
 * members at this moment (the sender aside); everyone once. `groups` is what the message
 * records of the groups ("To: Ops (5)"), `directIds` the users named besides them.
 */
export async function resolveRecipients(
  api: ApiClient,
  names: RecipientNames,
  senderId: string,
): Promise<{ recipients: DirectoryUser[]; groups: SentToGroup[]; directIds: string[] }> {
  const { users } = await api.directory()
  const byName = new Map(users.map((user) => [user.username, user]))
  const unknown = names.usernames.filter((name) => !byName.has(name))
  if (unknown.length > 0) {
    const list = unknown.map((name) => terminalSafe(name)).join(', ')
    const label = unknown.length === 1 ? 'unknown recipient' : 'unknown recipients'
    throw new CommandError(`${label}: ${list}`, 'unknown_recipient')
  }
  const recipients = new Map(
    names.usernames.flatMap((name) => {
      const user = byName.get(name)
      return user ? [[user.id, user] as const] : []
    }),
  )
  const directIds = [...recipients.keys()]
  if (names.groups.length === 0) {
    return { recipients: [...recipients.values()], groups: [], directIds: [] }
  }
  const { groups } = await api.listGroups()
  const groupIds = names.groups.map((name) => {
    const group = groups.find((candidate) => groupNameKey(candidate.name) === groupNameKey(name))
    if (!group) throw new CommandError(`unknown group: ${terminalSafe(name)}`, 'unknown_recipient')
    return group.id
  })
  try {
    const expanded = await expandGroups(api, groupIds, senderId)
    for (const member of expanded.recipients) recipients.set(member.id, member)
    return { recipients: [...recipients.values()], groups: expanded.groups, directIds }
  } catch (error) {
    if (error instanceof GroupSendError) throw new CommandError(error.message, error.code)
    throw error
  }
}

export function checkSubject(value: string): string {
  return parseOption(MessageSubject, value, '--subject')
}

/** A reply's "Re: " may push a long subject over the limit; cut it rather than fail. */
function fitSubject(subject: string): string {
  const characters = Array.from(subject)
  while (characters.join('').length > SUBJECT_MAX) characters.pop()
  return characters.join('')
}

export function parseExpiry(
  options: ExpiryOptions,
  now: Date,
): { expiresAt: string; flag: string } | undefined {
  if (options.expiresIn !== undefined) {
    return { expiresAt: expiresAtAfter(options.expiresIn, now), flag: '--expires-in' }
  }
  if (options.expiresAt !== undefined) {
    return { expiresAt: expiresAtFrom(options.expiresAt, now), flag: '--expires-at' }
  }
  return undefined
}

/**
 * The message text from exactly one source, kept as given (line breaks included) and
 * checked against the same limits as the server's.
 */
export async function readBody(options: BodyOptions): Promise<string> {
  const given = [
    options.body !== undefined,
    options.bodyFile !== undefined,
    options.bodyStdin === true,
  ]
  if (given.filter(Boolean).length !== 1) {
    throw new UsageError(
      'give the message text with exactly one of --body, --body-file or --body-stdin',
    )
  }
  if (options.body !== undefined) return parseOption(MessageBody, options.body, '--body')
  if (options.bodyFile !== undefined) {
    const text = await readTextFile(options.bodyFile, BODY_MAX)
    return parseOption(MessageBody, text, '--body-file')
  }
  if (process.stdin.isTTY) process.stderr.write('Type the message; end it with Ctrl-D.\n')
  return parseOption(MessageBody, decodeUtf8(await readStdinBytes(), 'stdin'), '--body-stdin')
}

// ---------------------------------------------------------------------------------------------
// opening messages

export function parseMessageId(value: string): string {
  const parsed = MessageId.safeParse(value.trim())
  if (!parsed.success) throw new UsageError(`not a message id: ${value}`, 'invalid_input')
  return parsed.data
}

/**
 * Verifies and decrypts a message. Besides core's checks (signature, AAD, signed expiry), the
 * server must have answered with the message asked for, from the sender whose key it gave. An
 * answer from outside to one of my requests opens as what it is: unsigned, its subject the note.
 */
async function openVerified(
  signedIn: SignedInUser,
  id: string,
  detail: MessageDetail,
): Promise<OpenedMessage | OpenedAnswerMessage> {
  if (detail.envelope.id !== id) {
    throw new CryptoError('malformed', 'the server answered with a different message')
  }
  if (isAnswerEnvelope(detail.envelope)) {
    return openAnswerDetail(signedIn.account, signedIn.me.id, detail)
  }
  if (detail.envelope.senderId !== detail.sender?.id) {
    throw new CryptoError('bad_signature', 'the message names a different sender')
  }
  return openMessageDetail(signedIn.account, signedIn.me.id, detail)
}

/**
 * Like openVerified, but a failure becomes the one-line refusal `read`, `reply` and `save`
 * print: "… and was not shown" (or "saved").
 */
export async function openOrRefuse(
  signedIn: SignedInUser,
  id: string,
  detail: MessageDetail,
  refused: 'shown' | 'saved' = 'shown',
): Promise<OpenedMessage | OpenedAnswerMessage> {
  try {
    return await openVerified(signedIn, id, detail)
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error
    throw new CommandError(`${verificationProblem(error)} and was not ${refused}`, error.code)
  }
}

function verificationProblem(error: CryptoError): string {
  return error.code === 'expired' ? 'this message has expired' : 'this message failed verification'
}

/** The words every answer from outside carries, so it is never taken for a member's message. */
export const FROM_OUTSIDE = 'from outside, sender not verified'

// ---------------------------------------------------------------------------------------------
// read

type ReadAttachment = { name: string; size: number; type: string; savedTo?: string }
/** A copied vault item (send-copy) as `read` shows it; its files are among the attachments. */
type ReadItem = {
  kind: 'folder' | 'entry'
  type: string
  name: string
  files: { name: string; type: string; size: number }[]
  children: ReadItem[]
}

function readItem(item: CopiedItem): ReadItem {
  return {
    kind: item.kind,
    type: item.content.type,
    name: item.content.name,
    files: item.content.files.map(({ name, type, size }) => ({ name, type, size })),
    children: item.children.map(readItem),
  }
}

async function runRead(context: Context, idArgument: string, options: ReadOptions) {
  const id = parseMessageId(idArgument)
  const signedIn = await unlockAccountKeys(context)
  const detail = await context.api.getMessage(id)
  const opened = await openOrRefuse(signedIn, id, detail)
  const facts = envelopeFacts(detail.envelope)
  const { sender } = detail

  const attachments: ReadAttachment[] = opened.attachments.map(({ name, size, type }) => ({
    name,
    size,
    type,
  }))
  if (options.saveAttachments !== undefined && opened.attachments.length > 0) {
    const directory = options.saveAttachments
    await createDirectory(directory)
    for (const [index, attachment] of opened.attachments.entries()) {
      const progress = progressOnStderr(`Downloading ${terminalSafe(attachment.name)}`)
      let bytes: Uint8Array
      try {
        bytes = await downloadAttachment(context.api, id, opened, attachment, (received) =>
          progress.update(received, attachment.size),
        )
      } finally {
        progress.finish()
      }
      const savedTo = await saveAttachment(directory, attachment.name, bytes)
      const entry = attachments[index]
      if (entry) entry.savedTo = savedTo
    }
  }

  // Reading is what marks a message read (S15); the sender's own copy has nothing to mark.
  // Its sender learns that it was opened (a receipt; the server records it only when the
  // organisation has receipts on, and only the first time).
  if (facts.recipientIds.includes(signedIn.me.id)) {
    if (sender !== null) await context.api.recordReceipt(id, 'opened')
    if (detail.readAt === null) await context.api.markRead(id)
  }

  const value = {
    id,
    origin: facts.origin,
    // An answer from outside has no sender to name: nobody with an account sent it.
    from: sender?.username ?? null,
    fromName: sender?.displayName ?? null,
    subject: opened.subject,
    /** The groups it was sent to, as its sender's client recorded them. */
    groups: opened.groups,
    body: opened.body,
    sentAt: facts.sentAt,
    expiresAt: facts.expiresAt,
    highPriority: facts.highPriority,
    replyTo: facts.replyTo,
    attachments,
    items: (opened.tree ?? []).map(readItem),
    // Only a member's signature verifies a sender; an answer's sender is unknown.
    verified: sender !== null,
  }
  printResult(context.json, value, describeMessage(value))
}

function describeMessage(message: {
  origin: 'member' | 'request'
  from: string | null
  fromName: string | null
  subject: string
  groups: SentToGroup[]
  body: string
  sentAt: string
  expiresAt: string | null
  highPriority: boolean
  replyTo: string | null
  attachments: ReadAttachment[]
  items: ReadItem[]
}): string {
  const fields: [string, string][] = [
    message.origin === 'request' || message.from === null || message.fromName === null
      ? ['From', `OUTSIDE SEALPOST (${FROM_OUTSIDE})`]
      : [
          'From',
          `${terminalSafe(message.fromName)} (${terminalSafe(message.from)}), signature verified`,
        ],
    message.origin === 'request'
      ? ['Subject', `Answer to your request '${terminalSafe(message.subject)}'`]
      : ['Subject', terminalSafe(message.subject)],
    ['Sent', formatTime(message.sentAt)],
  ]
  if (message.groups.length > 0) {
    const groups = message.groups.map((group) => `${terminalSafe(group.name)} (${group.count})`)
    fields.push(['To', groups.join(', ')])
  }
  if (message.expiresAt !== null) fields.push(['Expires', formatTime(message.expiresAt)])
  if (message.highPriority) fields.push(['Priority', 'high'])
  if (message.replyTo !== null) fields.push(['In reply to', message.replyTo])
  const width = Math.max(...fields.map(([label]) => label.length)) + 2
  const lines = fields.map(([label, text]) => `${`${label}:`.padEnd(width)}${text}`)
  if (message.attachments.length > 0) {
    lines.push('Attachments:')
    const rows = message.attachments.map((attachment) => ({
      ...attachment,
      name: terminalSafe(attachment.name),
    }))
    const table = formatTable(rows, [
      { header: 'name', value: (row) => row.name },
      { header: 'size', value: (row) => formatBytes(row.size) },
      { header: 'saved to', value: (row) => (row.savedTo ? terminalSafe(row.savedTo) : '') },
    ])
    // The table's header row is noise for a handful of files; keep the aligned rows.
    lines.push(
      ...table
        .split('\n')
        .slice(1)
        .map((line) => `  ${line}`),
    )
  }
  if (message.items.length > 0) {
    // The tree as indented names: `Servers (folder)`, then `  web (credential, 1 file, 2.0 KiB)`.
    lines.push('Copied items:')
    const walk = (item: ReadItem, depth: number) => {
      const size = item.files.reduce((sum, file) => sum + file.size, 0)
      const files =
        item.files.length === 0
          ? ''
          : `, ${plural(item.files.length, 'file')}, ${formatBytes(size)}`
      lines.push(`${'  '.repeat(depth + 1)}${terminalSafe(item.name)} (${item.type}${files})`)
      for (const child of item.children) walk(child, depth + 1)
    }
    for (const item of message.items) walk(item, 0)
  }
  const body = terminalSafe(message.body, { multiline: true }).replace(/\n+$/, '')
  return `${lines.join('\n')}\n\n${body}`
}

// ---------------------------------------------------------------------------------------------
// inbox and sent

type InboxRow = {
  id: string
  origin: 'member' | 'request'
  /** null for an answer from outside. */
  from: string | null
  fromName: string | null
  /** null when the message failed verification; `warning` says why. */
  subject: string | null
  sentAt: string
  expiresAt: string | null
  read: boolean
  highPriority: boolean
  attachments: string[]
  warning?: string
}

async function runInbox(context: Context, options: InboxOptions) {
  const signedIn = await unlockAccountKeys(context)
  const isUnreadOnly = options.unread === true
  const { items, isCut } = await collectPages((before, limit) =>
    context.api.inbox({ before, limit, unread: isUnreadOnly || undefined }),
  )
  // Attachment names are sealed inside the full message, so each row is fetched and verified.
  const opened = await mapWithConcurrency(items, OPEN_CONCURRENCY, (summary) =>
    inboxRow(context.api, signedIn, summary),
  )
  const rows = opened.filter((row): row is InboxRow => row !== undefined)
  if (isCut) warnCut()
  const empty = isUnreadOnly ? 'No unread messages.' : 'No messages.'
  printResult(context.json, rows, rows.length === 0 ? empty : formatTable(rows, inboxColumns))
}

async function inboxRow(
  api: ApiClient,
  signedIn: SignedInUser,
  summary: MessageSummary,
): Promise<InboxRow | undefined> {
  let detail: MessageDetail
  try {
    detail = await api.getMessage(summary.id)
  } catch (error) {
    // Deleted by its sender or expired since the list was fetched: no longer in the inbox.
    if (error instanceof ApiError && error.code === 'not_found') return undefined
    throw error
  }
  const read = summary.readAt !== null
  try {
    const message = await openVerified(signedIn, summary.id, detail)
    // Times and flags from the signed (or sealed) envelope, not from the list row the server assembled.
    const facts = envelopeFacts(detail.envelope)
    const { sender } = detail
    return {
      id: summary.id,
      origin: facts.origin,
      from: sender?.username ?? null,
      fromName: sender?.displayName ?? null,
      subject: message.subject,
      sentAt: facts.sentAt,
      expiresAt: facts.expiresAt,
      read,
      highPriority: facts.highPriority,
      attachments: message.attachments.map((attachment) => attachment.name),
    }
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error
    return {
      id: summary.id,
      origin: summary.origin,
      from: summary.sender?.username ?? null,
      fromName: summary.sender?.displayName ?? null,
      subject: null,
      sentAt: summary.sentAt,
      expiresAt: summary.expiresAt,
      read,
      highPriority: summary.highPriority,
      attachments: [],
      warning: `${verificationProblem(error)} (${error.code})`,
    }
  }
}

const inboxColumns: Column<InboxRow>[] = [
  // A space for read rows keeps the columns where they are when nothing is unread.
  { header: '', value: (row) => (row.read ? ' ' : '*') },
  { header: 'id', value: (row) => row.id },
  {
    header: 'from',
    value: (row) =>
      row.origin === 'request' || row.from === null ? '(outside)' : terminalSafe(row.from),
  },
  {
    header: 'subject',
    value: (row) =>
      row.subject === null
        ? '(failed verification)'
        : row.origin === 'request'
          ? truncate(`Answer to your request '${terminalSafe(row.subject)}'`, 60)
          : truncate(terminalSafe(row.subject), 60),
  },
  { header: 'sent', value: (row) => formatTime(row.sentAt) },
  {
    header: 'flags',
    value: (row) =>
      [
        row.warning === undefined ? '' : 'NOT VERIFIED',
        row.origin === 'request' ? FROM_OUTSIDE : '',
        row.highPriority ? 'high priority' : '',
        row.expiresAt === null ? '' : `expires ${formatTime(row.expiresAt)}`,
        plural(row.attachments.length, 'file'),
      ]
        .filter((flag) => flag !== '')
        .join(', '),
  },
]

type SentRow = {
  id: string
  to: string[]
  subject: string | null
  sentAt: string
  expiresAt: string | null
  openedBy: string[]
  readBy: string[]
  warning?: string
}

async function runSent(context: Context) {
  const signedIn = await unlockAccountKeys(context)
  const { items, isCut } = await collectPages((before, limit) =>
    context.api.sent({ before, limit }),
  )
  // Each subject is shown only once its message's signature verified, like the inbox's.
  const opened = await mapWithConcurrency(items, OPEN_CONCURRENCY, (item) =>
    sentRow(context.api, signedIn, item),
  )
  const rows = opened.filter((row): row is SentRow => row !== undefined)
  if (isCut) warnCut()
  printResult(context.json, rows, rows.length === 0 ? 'No sent messages.' : sentTable(rows))
}

async function sentRow(
  api: ApiClient,
  signedIn: SignedInUser,
  item: SentSummary,
): Promise<SentRow | undefined> {
  let subject: string | null = null
  let warning: string | undefined
  try {
    subject = await openListSubject(api, signedIn.account, signedIn.me.id, item)
  } catch (error) {
    // Deleted or expired since the list was fetched: no longer sent.
    if (error instanceof ApiError && error.code === 'not_found') return undefined
    if (!(error instanceof CryptoError)) throw error
    warning = `${verificationProblem(error)} (${error.code})`
  }
  return {
    id: item.id,
    to: item.recipients.map((recipient) => recipient.username),
    subject,
    sentAt: item.sentAt,
    expiresAt: item.expiresAt,
    openedBy: item.recipients
      .filter((recipient) => recipient.openedAt !== null)
      .map((recipient) => recipient.username),
    readBy: item.recipients
      .filter((recipient) => recipient.readAt !== null)
      .map((recipient) => recipient.username),
    ...(warning === undefined ? {} : { warning }),
  }
}

function sentTable(rows: SentRow[]): string {
  return formatTable(rows, [
    { header: 'id', value: (row) => row.id },
    { header: 'to', value: (row) => truncate(terminalSafe(row.to.join(', ')), 40) },
    {
      header: 'subject',
      value: (row) =>
        row.subject === null ? '(failed verification)' : truncate(terminalSafe(row.subject), 60),
    },
    { header: 'sent', value: (row) => formatTime(row.sentAt) },
    { header: 'opened', value: (row) => `${row.openedBy.length} of ${row.to.length}` },
    { header: 'read', value: (row) => `${row.readBy.length} of ${row.to.length}` },
    {
      header: 'expires',
      value: (row) => (row.expiresAt === null ? '' : formatTime(row.expiresAt)),
    },
  ])
}

async function runReceipts(context: Context, idArgument: string) {
  const id = parseMessageId(idArgument)
  requireSession(context)
  const { enabled, recipients } = await context.api.receipts(id)
  const rows = recipients.map((r) => ({
    username: r.username,
    deliveredAt: r.deliveredAt,
    openedAt: r.openedAt,
    closedAt: r.readAt,
    savedAt: r.savedAt,
    repliedAt: r.repliedAt,
    removedAt: r.removedAt,
  }))
  if (!enabled) {
    process.stderr.write(
      'note: receipts are turned off for this organisation; only delivery and closing are shown\n',
    )
  }
  const when = (at: string | null) => (at === null ? '-' : formatTime(at))
  printResult(
    context.json,
    { enabled, recipients: rows },
    formatTable(rows, [
      { header: 'recipient', value: (row) => terminalSafe(row.username) },
      { header: 'delivered', value: (row) => when(row.deliveredAt) },
      { header: 'opened', value: (row) => when(row.openedAt) },
      { header: 'closed', value: (row) => when(row.closedAt) },
      { header: 'saved', value: (row) => when(row.savedAt) },
      { header: 'replied', value: (row) => when(row.repliedAt) },
      { header: 'removed', value: (row) => when(row.removedAt) },
    ]),
  )
}

function plural(count: number, noun: string): string {
  if (count === 0) return ''
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

function warnCut(): void {
  process.stderr.write(`note: showing the newest ${LIST_CAP} messages only\n`)
}
