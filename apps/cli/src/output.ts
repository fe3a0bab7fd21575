import { ApiError, CryptoError } from '@sealpost/core'
import { CommanderError } from 'commander'

/** Exit statuses: 1 for anything the server or the network refused, 2 for a malformed command line. */
export const exitStatus = { failure: 1, usage: 2 } as const

/** A command line the CLI cannot run (missing flag, bad value); exits with status 2. */
export class UsageError extends Error {
  readonly code: string

  constructor(message: string, code = 'usage') {
    super(message)
    this.name = 'UsageError'
    this.code = code
  }
}

/**
 * A command that was well formed but cannot be done (an unknown recipient, a file too large,
 * a message that fails verification); exits with status 1 like a refusal from the server.
 */
export class CommandError extends Error {
  readonly code: string

  constructor(message: string, code: string) {
    super(message)
    this.name = 'CommandError'
    this.code = code
  }
}

/** Prints a command's result: the value as JSON with `--json`, otherwise the human text. */
export function printResult(json: boolean, value: unknown, human: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human}\n`)
}

export type Column<Row> = { header: string; value: (row: Row) => string }

/** Left-aligned columns separated by two spaces, headers in capitals. */
export function formatTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = [
    columns.map((column) => column.header.toUpperCase()),
    ...rows.map((row) => columns.map((column) => column.value(row))),
  ]
  const widths = columns.map((_, index) =>
    Math.max(...cells.map((line) => (line[index] ?? '').length)),
  )
  return cells
    .map((line) =>
      line
        .map((cell, index) => (index === line.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

type Explained = { message: string; code: string; status: number }

/**
 * Turns any failure into the one line a user reads: what went wrong, in the product's
 * words, and the machine code in parentheses. `server` names the server in network errors.
 */
export function explainError(error: unknown, server: string | undefined): Explained {
  if (error instanceof UsageError) {
    return { message: error.message, code: error.code, status: exitStatus.usage }
  }
  if (error instanceof CommandError) {
    return { message: error.message, code: error.code, status: exitStatus.failure }
  }
  if (error instanceof CommanderError) {
    return {
      message: error.message.replace(/^error: /, ''),
      code: 'usage',
      status: exitStatus.usage,
    }
  }
  if (error instanceof ApiError) {
    return { message: apiErrorMessage(error, server), code: error.code, status: exitStatus.failure }
  }
  if (error instanceof CryptoError) {
    const message =
      error.code === 'login_failed'
        ? 'wrong username or password'
        : `could not unlock this account's keys: ${error.message}`
    return { message, code: error.code, status: exitStatus.failure }
  }
  if (error instanceof SyntaxError || isZodError(error)) {
    // The server answered, but not with Sealpost's API: wrong URL or a version mismatch.
    const where = server ? ` at ${server}` : ''
    return {
      message: `unexpected answer from the server${where}; is it a Sealpost server of this version?`,
      code: 'bad_response',
      status: exitStatus.failure,
    }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { message, code: 'internal', status: exitStatus.failure }
}

function apiErrorMessage(error: ApiError, server: string | undefined): string {
  switch (error.code) {
    case 'network':
      return `cannot reach the server at ${server ?? 'the configured URL'}`
    case 'not_signed_in':
      return 'not signed in; run `sealpost login`'
    case 'invalid_credentials':
      // One message for unknown user and wrong password, so neither can be told apart.
      return 'wrong username or password'
    case 'setup_done':
      return 'this server already has an administrator; run `sealpost login`'
    case 'admin_only':
      return 'only administrators can do this'
    case 'sending_disabled':
      return 'sending messages is disabled for this account (policy canSendMessages)'
    case 'attachments_disabled':
      return 'sending attachments is disabled for this account (policy canSendAttachments)'
    case 'not_available':
      // One answer for wrong, expired, used-up and deleted links (S21): the server tells no more.
      return 'this link is not available: it has expired, was used up or deleted, or is wrong'
    case 'mail_not_configured':
      return 'email is not set up on this server (SEALPOST_SMTP_URL); ask your administrator'
    case 'stale_revision':
      return 'someone changed this item meanwhile; run the command again'
    case 'rate_limited':
      return 'too many requests; wait a moment and try again'
    default:
      return error.message
  }
}

function isZodError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ZodError'
}

/** Writes `error: <message> (<code>)` to stderr and returns the exit status. */
export function reportError(error: unknown, server: string | undefined): number {
  const { message, code, status } = explainError(error, server)
  process.stderr.write(`error: ${message} (${code})\n`)
  return status
}

/**
 * A sign-in that did not enrol the account in administrator-assisted recovery (a recovery key no
 * administrator signed, or a failed upload) still signs in: say why on stderr.
 */
export function warnIfNotEnrolled(signedIn: { enrolmentError?: unknown }): void {
  const error = signedIn.enrolmentError
  if (error === undefined) return
  const code = error instanceof CryptoError || error instanceof ApiError ? error.code : 'internal'
  const message = terminalSafe(error instanceof Error ? error.message : 'unknown error')
  process.stderr.write(
    `warning: not enrolled in account recovery: ${message} (${code}); tell your administrator\n`,
  )
}

/** C0 controls but tab and line feed, DEL, C1 controls, bidirectional embeddings and isolates. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/**
 * Text from other people made safe for a terminal: control characters (escape sequences that
 * could rewrite the screen or the title) and bidirectional overrides (which can disguise a file
 * name) are removed. `multiline` keeps line breaks and tabs, for a message body.
 */
export function terminalSafe(text: string, options: { multiline?: boolean } = {}): string {
  const normalized = options.multiline
    ? text.replace(/\r\n?/g, '\n')
    : text.replace(/[\t\n\r]+/g, ' ')
  return normalized.replace(UNSAFE_CHARACTERS, '')
}

/** Cuts text to `max` characters (not splitting a surrogate pair), marking the cut with "…". */
export function truncate(text: string, max: number): string {
  const characters = Array.from(text)
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`
}

/** "512 B", "1.5 KiB", "25.0 MiB" */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB'] as const
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}

/** "2026-05-01 14:03" in this computer's time zone; JSON output keeps the exact ISO time. */
export function formatTime(iso: string): string {
  const date = new Date(iso)
  const pad = (value: number) => String(value).padStart(2, '0')
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}`
  )
}
