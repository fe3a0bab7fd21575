import { describeDeliveries, emailOrUndo } from '../email-delivery.js'
import {
  answerRequest,
  ApiError,
  BODY_MAX,
  createRequest,
  CryptoError,
  type OpenedRequest,
  openRequestRow,
  parseRequestUrl,
  REQUEST_DEFAULT_EXPIRY_DAYS,
  REQUEST_MAX_ANSWERS,
  REQUEST_MAX_EXPIRY_DAYS,
  REQUEST_MIN_EXPIRY_MS,
  REQUEST_NOTE_MAX,
  RequestId,
  type RequestRow,
  viewRequest,
  LinkLabel,
  RequestNoteText,
} from '@sealpost/core'
import type { Command } from 'commander'
import { requireSession, unlockAccountKeys, withContext, type Context } from '../context.js'
import { checkExpiryLimit, expiresAtAfter } from '../expiry.js'
import { checkFileSizes, decodeUtf8, openAttachment, type AttachmentFile } from '../files.js'
import {
  CommandError,
  formatTable,
  formatTime,
  printResult,
  terminalSafe,
  truncate,
  UsageError,
  type Column,
} from '../output.js'
import { progressOnStderr } from '../progress.js'
import { readStdinBytes } from '../stdin.js'
import { collect, parseOption } from '../validate.js'
import { parseEmails } from './links.js'

type CreateOptions = {
  note: string
  expiresIn?: string
  maxAnswers?: string
  allowFiles?: boolean
  label?: string
  email?: string[]
}
type AnswerOptions = { text?: string; textStdin?: boolean; file?: string[] }

const DAY_MS = 24 * 3_600_000
const NOT_AVAILABLE =
  'this request is not available: it has expired, was closed or answered in full, or the link is wrong'

/** `request create|answer|ls|rm`: ask anyone, with or without an account, for a secret. */
export function registerRequestCommands(program: Command): void {
  const request = program
    .command('request')
    .description(
      'ask someone, with or without an account, for a secret: it arrives in your inbox, ' +
        'encrypted on their device',
    )

  request
    .command('create')
    .description('create a request; prints the link to pass on (what is asked is encrypted)')
    .requiredOption(
      '--note <text>',
      `what you are asking for (up to ${REQUEST_NOTE_MAX} characters)`,
    )
    .option(
      '--expires-in <duration>',
      `close it after 1h … ${REQUEST_MAX_EXPIRY_DAYS}d (default ${REQUEST_DEFAULT_EXPIRY_DAYS}d)`,
    )
    .option('--max-answers <n>', `how many answers it takes, 1–${REQUEST_MAX_ANSWERS} (default 1)`)
    .option('--allow-files', 'let them attach files (they count against your storage quota)')
    .option('--label <label>', 'a name for it in your `request ls` (only you can read it)')
    .option(
      '--email <emails>',
      'have the server email the link, comma-separated (repeatable)',
      collect,
    )
    .action((options: CreateOptions, command: Command) =>
      withContext(command, (context) => runCreate(context, options)),
    )

  request
    .command('answer')
    .description('answer a request: seals the text and files for the requester; no account needed')
    .argument('<url>', 'the request link, including the part after #')
    .option('--text <text>', 'the answer')
    .option('--text-stdin', 'read the answer from stdin (up to end of input)')
    .option('--file <file>', 'add a file, if the request takes files (repeatable)', collect)
    .action((url: string, options: AnswerOptions, command: Command) =>
      withContext(command, (context) => runAnswer(context, url, options), {
        // The link names its server; anyone may answer, so no session is involved.
        commandServer: serverOfRequest(url),
        isAnonymous: true,
      }),
    )

  request
    .command('ls')
    .description('list your requests that have not expired, with the answers received')
    .action((_options: unknown, command: Command) =>
      withContext(command, (context) => runList(context)),
    )

  request
    .command('rm')
    .description('close one of your requests now; the answers received stay in your inbox')
    .argument('<id>', 'the request id (from `sealpost request ls`)')
    .action((id: string, _options: unknown, command: Command) =>
      withContext(command, async (context) => {
        const requestId = parseOption(RequestId, id.trim(), 'request id')
        requireSession(context)
        await context.api.deleteRequest(requestId)
        printResult(context.json, { id: requestId, closed: true }, 'Closed.')
      }),
    )
}

// ---------------------------------------------------------------------------------------------
// create

function checkNote(value: string): string {
  return parseOption(RequestNoteText, value, '--note')
}

function checkLabel(value: string): string {
  return parseOption(LinkLabel, value, '--label')
}

function parseMaxAnswers(value: string): number {
  const answers = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN
  if (!(answers >= 1 && answers <= REQUEST_MAX_ANSWERS)) {
    throw new UsageError(
      `--max-answers: not a whole number from 1 to ${REQUEST_MAX_ANSWERS}: ${value}`,
      'invalid_input',
    )
  }
  return answers
}

async function runCreate(context: Context, options: CreateOptions): Promise<void> {
  // Every usage error before anything is unlocked or sent.
  const note = checkNote(options.note)
  const label = options.label === undefined ? null : checkLabel(options.label)
  const maxAnswers = options.maxAnswers === undefined ? 1 : parseMaxAnswers(options.maxAnswers)
  const to = options.email === undefined ? [] : parseEmails(options.email)
  if (options.expiresIn !== undefined) checkShortest(expiresAtAfter(options.expiresIn, new Date()))

  const signedIn = await unlockAccountKeys(context)
  if (!signedIn.me.canRequestSecrets) {
    throw new CommandError('policy canRequestSecrets forbids this', 'policy_forbids')
  }
  const limits = await context.api.messagingLimits()
  const maxDays = Math.min(REQUEST_MAX_EXPIRY_DAYS, limits.maxExpiryDays)
  const now = new Date()
  let expiresAt: string
  if (options.expiresIn === undefined) {
    // The default gives way to a shorter organisation maximum; an explicit choice does not.
    const days = Math.min(REQUEST_DEFAULT_EXPIRY_DAYS, maxDays)
    expiresAt = new Date(now.getTime() + days * DAY_MS).toISOString()
  } else {
    expiresAt = expiresAtAfter(options.expiresIn, now)
    checkExpiryLimit(expiresAt, now, maxDays, '--expires-in')
  }
  // Asked first, so that a server without SMTP is not left holding a request nobody receives.
  if (to.length > 0 && !(await context.api.mailStatus()).enabled) {
    throw new CommandError(
      'email is not set up on this server (SEALPOST_SMTP_URL); ask your administrator',
      'mail_not_configured',
    )
  }

  const created = await createRequest(context.api, {
    // The visitor's page /r/<id> is served by the server this CLI talks to.
    origin: context.server,
    account: signedIn.account,
    me: { displayName: signedIn.me.displayName, username: signedIn.me.username },
    note,
    label,
    expiresAt,
    maxAnswers,
    allowFiles: options.allowFiles === true,
  })
  printResult(context.json, { id: created.id, url: created.url }, created.url)
  if (to.length > 0) {
    process.stderr.write(
      'note: the server sees the link while it relays the email; what you ask stays encrypted\n',
    )
    const results = await emailOrUndo(
      context,
      async () => (await context.api.emailRequest(created.id, { to, url: created.url })).results,
      {
        undo: () => context.api.deleteRequest(created.id),
        undone: 'the request was closed',
        kept: 'the request is open (`sealpost request ls` shows its link)',
      },
    )
    process.stderr.write(`${describeDeliveries(results)}\n`)
    const failed = results.filter((result) => !result.ok).length
    if (failed > 0) {
      throw new CommandError(
        `${failed} of ${results.length} emails could not be sent; the request stays open ` +
          '(`sealpost request ls` shows its link)',
        'delivery_failed',
      )
    }
  }
}

/** `--expires-in` below an hour is refused before anything is unlocked. */
function checkShortest(expiresAt: string): void {
  // A minute of slack for the time between parsing here and creating it.
  if (Date.parse(expiresAt) - Date.now() < REQUEST_MIN_EXPIRY_MS - 60_000) {
    throw new UsageError('--expires-in: a request stays open for at least 1h', 'invalid_input')
  }
}

// ---------------------------------------------------------------------------------------------
// answer

/** The server a request link points at, or undefined when it is not one (runAnswer says so). */
function serverOfRequest(url: string): string | undefined {
  try {
    return parseRequestUrl(url).origin
  } catch {
    return undefined
  }
}

async function readAnswerText(options: AnswerOptions): Promise<string> {
  if ((options.text === undefined) === (options.textStdin !== true)) {
    throw new UsageError('give the answer with exactly one of --text or --text-stdin')
  }
  let text = options.text ?? ''
  if (options.textStdin) {
    if (process.stdin.isTTY) process.stderr.write('Type the answer; end it with Ctrl-D.\n')
    text = decodeUtf8(await readStdinBytes(), 'stdin')
  }
  if (text.trim() === '' && (options.file ?? []).length === 0) {
    throw new UsageError('the answer is empty', 'invalid_input')
  }
  if (text.length > BODY_MAX) {
    throw new UsageError(
      `the answer is ${text.length} characters; the most is ${BODY_MAX}`,
      'invalid_input',
    )
  }
  return text
}

/** What each failure of answering means for the person answering, in the product's words. */
function explainAnswerFailure(error: unknown): never {
  if (error instanceof CryptoError && error.code === 'bad_key') {
    throw new CommandError(
      'refusing to send: the server offered a key that is not the requester’s named in the ' +
        'link, so nothing was encrypted or sent; tell the requester another way',
      error.code,
    )
  }
  if (error instanceof CryptoError) {
    throw new CommandError(`this request link is damaged: ${error.message}`, error.code)
  }
  if (error instanceof ApiError && error.code === 'not_available') {
    throw new CommandError(NOT_AVAILABLE, error.code)
  }
  throw error
}

async function runAnswer(context: Context, url: string, options: AnswerOptions): Promise<void> {
  try {
    parseRequestUrl(url)
  } catch {
    // Never echo the link: it is the key.
    throw new UsageError('that is not a Sealpost request link (…/r/<id>#<secret>)', 'invalid_link')
  }
  const text = await readAnswerText(options)
  const files: AttachmentFile[] = []
  try {
    for (const path of options.file ?? []) files.push(await openAttachment(path))
    let opened: OpenedRequest
    try {
      opened = await viewRequest(context.api, url)
    } catch (error) {
      return explainAnswerFailure(error)
    }
    const asker = `${terminalSafe(opened.from.displayName)} (${terminalSafe(opened.from.username)})`
    process.stderr.write(
      `${asker} asks: ${terminalSafe(opened.note, { multiline: true }).replace(/\n+$/, '')}\n`,
    )
    if (files.length > 0 && !opened.allowFiles) {
      throw new CommandError('this request takes no files; send the text alone', 'forbidden')
    }
    checkFileSizes(
      files,
      {
        maxFileBytes: opened.maxFileBytes,
        maxMessageBytes: opened.maxAnswerBytes,
      },
      'message',
    )
    const progress = progressOnStderr('Sealing and uploading files')
    let id: string
    try {
      ;({ id } = await answerRequest(context.api, url, {
        text,
        files,
        onProgress:
          files.length > 0
            ? ({ sentBytes, totalBytes }) => progress.update(sentBytes, totalBytes)
            : undefined,
      }))
    } catch (error) {
      return explainAnswerFailure(error)
    } finally {
      progress.finish()
    }
    printResult(
      context.json,
      { id, requestId: opened.id },
      `Sent securely: only ${terminalSafe(opened.from.displayName)} can read it.`,
    )
  } finally {
    await Promise.all(files.map((file) => file.close()))
  }
}

// ---------------------------------------------------------------------------------------------
// ls

type ListRow = {
  id: string
  /** null when the requester's copy could not be decrypted (`warning` says so). */
  note: string | null
  label: string | null
  url: string | null
  createdAt: string
  expiresAt: string
  answers: number
  maxAnswers: number
  allowFiles: boolean
  warning?: string
}

function listRow(row: RequestRow): ListRow {
  const { summary } = row
  return {
    id: summary.id,
    note: row.note,
    label: row.label,
    url: row.url,
    createdAt: summary.createdAt,
    expiresAt: summary.expiresAt,
    answers: summary.answers,
    maxAnswers: summary.maxAnswers,
    allowFiles: summary.allowFiles,
    ...(row.note === null ? { warning: 'this request could not be decrypted' } : {}),
  }
}

const listColumns: Column<ListRow>[] = [
  {
    header: 'request',
    value: (row) =>
      row.note === null ? '(cannot decrypt)' : truncate(terminalSafe(row.label ?? row.note), 40),
  },
  { header: 'id', value: (row) => row.id },
  { header: 'created', value: (row) => formatTime(row.createdAt) },
  { header: 'expires', value: (row) => formatTime(row.expiresAt) },
  { header: 'answers', value: (row) => `${row.answers} of ${row.maxAnswers}` },
  { header: 'files', value: (row) => (row.allowFiles ? 'yes' : 'no') },
]

async function runList(context: Context): Promise<void> {
  const signedIn = await unlockAccountKeys(context)
  const { requests } = await context.api.listRequests()
  const rows = await Promise.all(
    requests.map(async (summary) =>
      listRow(await openRequestRow(signedIn.account, context.server, summary)),
    ),
  )
  printResult(
    context.json,
    rows,
    rows.length === 0 ? 'No requests.' : formatTable(rows, listColumns),
  )
}
