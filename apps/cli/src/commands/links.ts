import { describeDeliveries, emailOrUndo } from '../email-delivery.js'
import {
  ApiError,
  BODY_MAX,
  createLink,
  CryptoError,
  Email,
  LINK_MAX_PASSPHRASE_FAILURES,
  LINK_MAX_VIEWS,
  LinkId,
  openLink,
  openLinkLabel,
  parseLinkUrl,
  type LinkHistoryEvent,
  type LinkSummary,
  type OpenedLink,
  LinkLabel,
  policyValues,
} from '@sealpost/core'
import type { Command } from 'commander'
import {
  requireSession,
  unlockAccountKeys,
  withContext,
  type Context,
  type SignedInUser,
} from '../context.js'
import { checkExpiryLimit, expiresAtAfter, presetExpiry } from '../expiry.js'
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
  explainError,
  formatBytes,
  formatTable,
  formatTime,
  printResult,
  terminalSafe,
  truncate,
  UsageError,
  type Column,
} from '../output.js'
import { readSecretFromStdin } from '../password-stdin.js'
import { progressOnStderr } from '../progress.js'
import { readStdinBytes } from '../stdin.js'
import { collect, parseOption } from '../validate.js'

type ContentOptions = {
  text?: string
  textStdin?: boolean
  file?: string[]
  expiresIn?: string
  maxViews?: string
  passphraseStdin?: boolean
}
type CreateOptions = ContentOptions & { label?: string; notifyOnOpen?: boolean }
type SendEmailOptions = ContentOptions & { to?: string[] }
type OpenOptions = { passphraseStdin?: boolean; saveFiles?: string }

/** DESIGN.md §3 and the web form: one view unless said otherwise (burn after reading). */
const DEFAULT_MAX_VIEWS = 1
/**
 * Below this many characters the strength hint (S20) is shown: Argon2id slows guessing, but the
 * server that relays an email holds both the link and the ciphertext.
 */
const SHORT_PASSPHRASE = 12
/** EmailLinkRequest takes at most this many addresses at once. */
const MAX_EMAIL_RECIPIENTS = 20

/** `link create|open|ls|rm` and `send-email`: shareable links, also sent by email (S20–S23). */
export function registerLinkCommands(program: Command): void {
  const link = program
    .command('link')
    .description('shareable links anyone with the link can open, without an account')

  const create = link
    .command('create')
    .description('seal text and files into a shareable link; prints the link')
  addContentOptions(create)
    .option('--label <label>', 'a name for the link in your `link ls` (only you can read it)')
    .option(
      '--notify-on-open',
      'email me at each view of the link (when it was made and which view, nothing of it)',
    )
    .action((options: CreateOptions, command: Command) =>
      withContext(command, (context) => runCreate(context, options)),
    )

  link
    .command('open')
    .description('open a link and print its text; spends one of its views')
    .argument('<url>', 'the link, including the part after #')
    .option('--passphrase-stdin', 'read the link’s passphrase from stdin')
    .option('--save-files <dir>', 'write the decrypted files into this directory')
    .action((url: string, options: OpenOptions, command: Command) =>
      withContext(command, (context) => runOpen(context, url, options), {
        // The link names its server; anyone may open it, so no session is involved.
        commandServer: serverOfLink(url),
        isAnonymous: true,
      }),
    )

  link
    .command('ls')
    .description('list your links that can still be opened, with views left and emails sent')
    .option('--all', 'also the links that ended (used up, expired, deleted), without content')
    .action((options: { all?: boolean }, command: Command) =>
      withContext(command, (context) => runList(context, options.all === true)),
    )

  link
    .command('show')
    .description('one of your links, ended or not, with what happened to it')
    .argument('<id>', 'the link id (from `sealpost link ls --all`)')
    .action((id: string, _options: unknown, command: Command) =>
      withContext(command, (context) =>
        runShow(context, parseOption(LinkId, id.trim(), 'link id')),
      ),
    )

  link
    .command('rm')
    .description('delete one of your links now, with its files; an ended link leaves your history')
    .argument('<id>', 'the link id (from `sealpost link ls`)')
    .action((id: string, _options: unknown, command: Command) =>
      withContext(command, async (context) => {
        const linkId = parseOption(LinkId, id.trim(), 'link id')
        requireSession(context)
        await context.api.deleteLink(linkId)
        printResult(context.json, { id: linkId, deleted: true }, 'Deleted.')
      }),
    )

  const sendEmail = program
    .command('send-email')
    .description('create a shareable link and have the server email it to each address')
    .option('--to <emails>', 'email addresses, comma-separated (repeatable)', collect)
  addContentOptions(sendEmail).action((options: SendEmailOptions, command: Command) =>
    withContext(command, (context) => runSendEmail(context, options)),
  )
}

function addContentOptions(command: Command): Command {
  return command
    .option('--text <text>', 'the text')
    .option('--text-stdin', 'read the text from stdin (up to end of input)')
    .option('--file <file>', 'add a file (repeatable)', collect)
    .option(
      '--expires-in <duration>',
      `delete the link after 1h, 1d, 7d, 30d or an ISO 8601 duration (default: your policy’s defaultExpiry)`,
    )
    .option(
      '--max-views <n>',
      `delete it after this many views, 1–${LINK_MAX_VIEWS} (default ${DEFAULT_MAX_VIEWS})`,
    )
    .option(
      '--passphrase-stdin',
      'also require a passphrase, read from stdin; give it to the recipient another way',
    )
}

// ---------------------------------------------------------------------------------------------
// create and send-email

/** What the command line asks for, checked and read before anything is unlocked or uploaded. */
type LinkRequest = {
  text: string
  expiresIn: string | undefined
  maxViews: number
  passphrase: string | undefined
  label: string | undefined
  notifyOnOpen: boolean
}

type CreatedLink = { id: string; url: string; expiresAt: string; maxViews: number }

async function runCreate(context: Context, options: CreateOptions): Promise<void> {
  const label = options.label === undefined ? undefined : checkLabel(options.label)
  const request = await readLinkRequest(options, label)
  await withFiles(options.file, async (files) => {
    const signedIn = await unlockAccountKeys(context)
    // Asked first, so that nothing is uploaded for a link the server would refuse.
    if (request.notifyOnOpen) await requireMail(context)
    const link = await create(context, signedIn, request, files)
    printResult(context.json, link, link.url)
  })
}

async function runSendEmail(context: Context, options: SendEmailOptions): Promise<void> {
  const to = parseEmails(options.to)
  const request = await readLinkRequest(options, undefined)
  await withFiles(options.file, async (files) => {
    const signedIn = await unlockAccountKeys(context)
    // Asked first, so that a server without SMTP is not left holding a link nobody receives.
    await requireMail(context)
    const link = await create(context, signedIn, request, files, () => {
      if (request.passphrase === undefined) {
        process.stderr.write(
          'note: the server sees the link while it relays the email, so it could open the ' +
            'content; to prevent that, add --passphrase-stdin and give the passphrase another way\n',
        )
      }
    })
    const results = await emailOrUndo(
      context,
      async () => (await context.api.emailLink(link.id, { to, url: link.url })).results,
      {
        undo: () => context.api.deleteLink(link.id),
        undone: 'the link was deleted',
        kept: 'the link was created (`sealpost link ls` shows it)',
      },
    )
    printResult(context.json, { id: link.id, url: link.url, results }, describeDeliveries(results))
    const failed = results.filter((result) => !result.ok).length
    if (failed > 0) {
      throw new CommandError(
        `${failed} of ${results.length} emails could not be sent; the link stays until it ` +
          'expires or is used up (`sealpost link ls` shows it)',
        'delivery_failed',
      )
    }
  })
}

async function requireMail(context: Context): Promise<void> {
  if (!(await context.api.mailStatus()).enabled) {
    throw new CommandError(
      'email is not set up on this server (SEALPOST_SMTP_URL); ask your administrator',
      'mail_not_configured',
    )
  }
}

/** The text, limits and passphrase, with every usage error raised before stdin is read. */
async function readLinkRequest(
  options: ContentOptions & { notifyOnOpen?: boolean },
  label: string | undefined,
): Promise<LinkRequest> {
  if (options.text !== undefined && options.textStdin) {
    throw new UsageError('give the text with either --text or --text-stdin, not both')
  }
  if (options.textStdin && options.passphraseStdin) {
    throw new UsageError(
      '--text-stdin and --passphrase-stdin cannot share stdin: pipe in the passphrase, and ' +
        'give the text with --text or put it in a file and add it with --file',
    )
  }
  const hasFiles = (options.file ?? []).length > 0
  if (options.text === undefined && !options.textStdin && !hasFiles) {
    throw new UsageError('give the text with --text or --text-stdin (or add files with --file)')
  }
  const maxViews =
    options.maxViews === undefined ? DEFAULT_MAX_VIEWS : parseMaxViews(options.maxViews)
  // Parsed now for its usage errors; the time is taken again just before the link is made.
  if (options.expiresIn !== undefined) expiresAtAfter(options.expiresIn, new Date())

  let text = options.text ?? ''
  if (options.textStdin) {
    if (process.stdin.isTTY) process.stderr.write('Type the text; end it with Ctrl-D.\n')
    text = decodeUtf8(await readStdinBytes(), 'stdin')
  }
  if (!hasFiles && text.trim() === '') {
    throw new UsageError('the text is empty', 'invalid_input')
  }
  if (text.length > BODY_MAX) {
    throw new UsageError(
      `the text is ${text.length} characters; the most is ${BODY_MAX}`,
      'invalid_input',
    )
  }
  const passphrase = options.passphraseStdin ? await readSecretFromStdin('passphrase') : undefined
  if (passphrase !== undefined && Array.from(passphrase).length < SHORT_PASSPHRASE) {
    process.stderr.write(
      'note: a short passphrase can be guessed offline by whoever has the link and the ' +
        'server’s copy; four or more random words are safer\n',
    )
  }
  return {
    text,
    expiresIn: options.expiresIn,
    maxViews,
    passphrase,
    label,
    notifyOnOpen: options.notifyOnOpen === true,
  }
}

function parseMaxViews(value: string): number {
  const views = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN
  if (!(views >= 1 && views <= LINK_MAX_VIEWS)) {
    throw new UsageError(
      `--max-views: not a whole number from 1 to ${LINK_MAX_VIEWS}: ${value}`,
      'invalid_input',
    )
  }
  return views
}

function checkLabel(value: string): string {
  return parseOption(LinkLabel, value, '--label')
}

/** `--to a@x,b@y --to c@z` → each address once, checked like the server checks them. */
export function parseEmails(values: string[] | undefined): string[] {
  const addresses = (values ?? [])
    .flatMap((value) => value.split(','))
    .map((address) => address.trim())
    .filter((address) => address !== '')
  if (addresses.length === 0) {
    throw new UsageError('name at least one address: --to <email>[,<email>…]')
  }
  const unique = new Map<string, string>()
  for (const address of addresses) {
    const checked = parseOption(Email, address, '--to')
    if (!unique.has(checked.toLowerCase())) unique.set(checked.toLowerCase(), checked)
  }
  if (unique.size > MAX_EMAIL_RECIPIENTS) {
    throw new UsageError(
      `--to: ${unique.size} addresses; the most is ${MAX_EMAIL_RECIPIENTS}`,
      'invalid_input',
    )
  }
  return [...unique.values()]
}

/** Opens every `--file`, runs `body`, and closes them whatever happens. */
async function withFiles(
  paths: string[] | undefined,
  body: (files: AttachmentFile[]) => Promise<void>,
): Promise<void> {
  const files: AttachmentFile[] = []
  try {
    for (const path of paths ?? []) files.push(await openAttachment(path))
    await body(files)
  } finally {
    await Promise.all(files.map((file) => file.close()))
  }
}

/**
 * Checks what the server would refuse (permissions, sizes, the organisation's longest expiry)
 * before a byte is uploaded, then seals and uploads the link. `beforeUpload` runs once every
 * check has passed.
 */
async function create(
  context: Context,
  signedIn: SignedInUser,
  request: LinkRequest,
  files: AttachmentFile[],
  beforeUpload?: () => void,
): Promise<CreatedLink> {
  const policy = policyValues(await context.api.myPolicy())
  if (!policy.canCreateLinks) {
    throw new CommandError('policy canCreateLinks forbids this', 'policy_forbids')
  }
  if (files.length > 0 && !policy.canSendAttachments) {
    throw new CommandError(
      'sending attachments is disabled for this account (policy canSendAttachments)',
      'attachments_disabled',
    )
  }
  const limits = await context.api.messagingLimits()
  checkFileSizes(files, limits, 'link')
  const now = new Date()
  let expiresAt: string
  if (request.expiresIn === undefined) {
    // The user's policy presets it (defaultExpiry), within their maxExpiryDays.
    expiresAt = presetExpiry(policy, now, { mustExpire: true }) ?? now.toISOString()
  } else {
    expiresAt = expiresAtAfter(request.expiresIn, now)
    checkExpiryLimit(expiresAt, now, limits.maxExpiryDays, '--expires-in')
  }
  beforeUpload?.()

  const progress = progressOnStderr('Sealing and uploading files')
  try {
    const { id, url } = await createLink(context.api, {
      // The public page /s/<id> is served by the server this CLI talks to.
      origin: context.server,
      account: signedIn.account,
      text: request.text,
      files,
      expiresAt,
      maxViews: request.maxViews,
      passphrase: request.passphrase ?? null,
      label: request.label ?? null,
      notifyOnOpen: request.notifyOnOpen,
      onProgress:
        files.length > 0
          ? ({ sentBytes, totalBytes }) => progress.update(sentBytes, totalBytes)
          : undefined,
    })
    return { id, url, expiresAt, maxViews: request.maxViews }
  } finally {
    progress.finish()
  }
}

// ---------------------------------------------------------------------------------------------
// open

type OpenedFile = { name: string; size: number; type: string; savedTo?: string }

async function runOpen(context: Context, url: string, options: OpenOptions): Promise<void> {
  try {
    parseLinkUrl(url)
  } catch {
    // Never echo the link: it is the key.
    throw new UsageError('that is not a Sealpost link (…/s/<id>#<secret>)', 'invalid_link')
  }
  const passphrase = options.passphraseStdin ? await readSecretFromStdin('passphrase') : undefined
  // Made before the view is spent: a link's last view cannot be taken again.
  if (options.saveFiles !== undefined) await createDirectory(options.saveFiles)

  // One request for a link without a passphrase; a link with one answers passphrase_needed
  // first (no view spent), and openLink opens again with the proof.
  let opened: OpenedLink
  try {
    opened = await openLink(context.api, url, passphrase)
  } catch (error) {
    if (error instanceof ApiError && error.code === 'passphrase_needed') {
      throw new CommandError(
        'this link needs a passphrase: pipe it in with --passphrase-stdin (no view was spent)',
        'passphrase_required',
      )
    }
    if (error instanceof ApiError && error.code === 'wrong_passphrase') {
      // Said only to whoever holds the link's secret; no view was spent.
      const triesLeft = error.triesLeft ?? 0
      throw new CommandError(
        triesLeft > 0
          ? `wrong passphrase: ${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left before ` +
              'the link is destroyed (no view was spent)'
          : `wrong passphrase: that was the ${LINK_MAX_PASSPHRASE_FAILURES}th, so the link is ` +
              'now destroyed',
        error.code,
      )
    }
    return translateCryptoError(error)
  }
  if (!opened.hasPassphrase && passphrase !== undefined) {
    process.stderr.write('note: this link has no passphrase; the one given was not used\n')
  }

  const files: OpenedFile[] = opened.files.map(({ name, size, type }) => ({ name, size, type }))
  const saveErrors: string[] = []
  if (options.saveFiles !== undefined) {
    for (const [index, file] of opened.files.entries()) {
      // One file that cannot be written must not lose the others, nor the text: the view is spent.
      try {
        const entry = files[index]
        if (entry) entry.savedTo = await saveAttachment(options.saveFiles, file.name, file.bytes)
      } catch (error) {
        saveErrors.push(explainError(error, undefined).message)
      }
    }
  }

  const { subject, text, views, maxViews, deleted } = opened
  if (context.json) {
    printResult(true, { subject, text, files, views, maxViews, deleted }, '')
  } else if (subject !== '' || text !== '') {
    const body = terminalSafe(text, { multiline: true }).replace(/\n+$/, '')
    printResult(false, null, subject === '' ? body : `Subject: ${terminalSafe(subject)}\n\n${body}`)
  }
  for (const file of files) process.stderr.write(`${describeFile(file)}\n`)
  process.stderr.write(`view ${views} of ${maxViews}\n`)
  if (deleted) process.stderr.write('this link is now deleted\n')
  if (saveErrors.length > 0) {
    throw new CommandError(saveErrors.join('; '), 'file_error')
  }
}

/** The server a link points at, or undefined when it is not a link (runOpen says so). */
function serverOfLink(url: string): string | undefined {
  try {
    return parseLinkUrl(url).origin
  } catch {
    return undefined
  }
}

function describeFile(file: OpenedFile): string {
  const name = `${terminalSafe(file.name)} (${formatBytes(file.size)})`
  if (file.savedTo !== undefined) return `saved ${name} to ${terminalSafe(file.savedTo)}`
  return `file ${name} not saved; --save-files DIR saves the files`
}

/** A link that fails to decrypt is damaged or was tampered with; it says nothing about keys. */
function translateCryptoError(error: unknown): never {
  if (error instanceof CryptoError) {
    const message =
      error.code === 'malformed' && error.message === 'this link is damaged'
        ? 'this link is damaged: its id does not match its secret'
        : `this link could not be decrypted: ${error.message}`
    throw new CommandError(message, error.code)
  }
  throw error
}

// ---------------------------------------------------------------------------------------------
// ls

type LinkRow = {
  id: string
  /** null when the link has none, or it could not be decrypted (`warning` says so). */
  label: string | null
  createdAt: string
  expiresAt: string
  views: number
  maxViews: number
  viewsLeft: number
  hasPassphrase: boolean
  fileCount: number
  sizeBytes: number
  /** `active`, or why it ended: used_up, expired, deleted, destroyed. */
  state: LinkSummary['state']
  endedAt: string | null
  emails: LinkSummary['emails']
  /** The owner is emailed at each view. */
  notifyOnOpen: boolean
  warning?: string
}

async function runList(context: Context, all: boolean): Promise<void> {
  const signedIn = await unlockAccountKeys(context)
  const { links } = await context.api.listLinks({ all })
  const rows = await Promise.all(links.map((summary) => linkRow(signedIn, summary)))
  printResult(context.json, rows, rows.length === 0 ? 'No links.' : describeLinks(rows, all))
}

async function runShow(context: Context, id: string): Promise<void> {
  const signedIn = await unlockAccountKeys(context)
  const { link, history } = await context.api.getLink(id)
  const row = await linkRow(signedIn, link)
  const facts =
    formatTable([row], [stateColumn, ...linkColumns]) +
    `\n\nEmail me when opened: ${row.notifyOnOpen ? 'yes' : 'no'}`
  const events = history.map(
    (entry) =>
      `  ${formatTime(entry.at)}  ${describeEvent(entry.event)}` +
      (entry.view === null ? '' : ` (view ${entry.view} of ${row.maxViews})`),
  )
  printResult(
    context.json,
    { ...row, history },
    `${facts}\n\nHistory:\n${events.length === 0 ? '  nothing yet' : events.join('\n')}`,
  )
}

function describeEvent(event: LinkHistoryEvent['event']): string {
  switch (event) {
    case 'revealed':
      return 'page loaded with the full link'
    case 'opened':
      return 'opened'
    case 'wrong_passphrase':
      return 'wrong passphrase'
    case 'destroyed':
      return 'destroyed after too many wrong passphrases'
    case 'expired':
      return 'expired'
    case 'deleted':
      return 'deleted by you'
  }
}

const stateColumn: Column<LinkRow> = {
  header: 'state',
  value: (row) => row.state.replace('_', ' '),
}

async function linkRow(signedIn: SignedInUser, summary: LinkSummary): Promise<LinkRow> {
  const { label: sealed, ...rest } = summary
  let label: string | null = null
  let warning: string | undefined
  if (sealed !== null) {
    try {
      label = await openLinkLabel(signedIn.account.accountKey, summary.id, sealed)
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error
      warning = `the label could not be decrypted (${error.code})`
    }
  }
  return {
    ...rest,
    label,
    viewsLeft: Math.max(0, summary.maxViews - summary.views),
    ...(warning === undefined ? {} : { warning }),
  }
}

const linkColumns: Column<LinkRow>[] = [
  {
    header: 'label',
    value: (row) =>
      row.label === null
        ? row.warning === undefined
          ? '-'
          : '(cannot decrypt)'
        : truncate(terminalSafe(row.label), 40),
  },
  { header: 'id', value: (row) => row.id },
  { header: 'created', value: (row) => formatTime(row.createdAt) },
  { header: 'expires', value: (row) => formatTime(row.expiresAt) },
  { header: 'views', value: (row) => `${row.views} used, ${row.viewsLeft} left` },
  { header: 'passphrase', value: (row) => (row.hasPassphrase ? 'yes' : 'no') },
  {
    header: 'files',
    value: (row) =>
      row.fileCount === 0
        ? ''
        : `${row.fileCount} ${row.fileCount === 1 ? 'file' : 'files'}, ${formatBytes(row.sizeBytes)}`,
  },
  {
    header: 'email',
    value: (row) => {
      const sent = row.emails.filter((email) => email.status === 'sent').length
      const failed = row.emails.length - sent
      return [sent > 0 ? `${sent} sent` : '', failed > 0 ? `${failed} FAILED` : '']
        .filter((part) => part !== '')
        .join(', ')
    },
  },
]

/** The table, then one line per failed email: the reason does not fit in a column. */
function describeLinks(rows: LinkRow[], withState: boolean): string {
  const failures = rows.flatMap((row) =>
    row.emails
      .filter((email) => email.status === 'failed')
      .map((email) => ({ id: row.id, ...email })),
  )
  const table = formatTable(rows, withState ? [stateColumn, ...linkColumns] : linkColumns)
  if (failures.length === 0) return table
  const lines = failures.map(
    (failure) =>
      `  ${failure.id}  ${terminalSafe(failure.to)}  ${formatTime(failure.at)}  ` +
      terminalSafe(failure.error ?? 'delivery failed'),
  )
  return `${table}\n\nFailed emails:\n${lines.join('\n')}`
}
