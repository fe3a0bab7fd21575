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
