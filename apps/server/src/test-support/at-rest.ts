import fs from 'node:fs'
import path from 'node:path'
import { Writable } from 'node:stream'
import { sql } from 'kysely'
import { expect } from 'vitest'
import type { Dialect } from '../db/database.js'
import type { TestServer } from './harness.js'

/** A logger option for startTestServer that keeps every line, at the most verbose level. */
export function traceLog() {
  const lines: string[] = []
  const logger = {
    level: 'trace',
    stream: new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        lines.push(chunk.toString())
        done()
      },
    }),
  }
  return { logger, lines }
}

/**
 * Everything an attacker with a copy of the database would have: on SQLite the files of the
 * data dir (database, write-ahead log), on PostgreSQL every value of every column of every
 * table (text as UTF-8, bytea as its bytes).
 */
export async function databaseBytes(server: TestServer, dialect: Dialect): Promise<Buffer> {
  if (dialect === 'sqlite') {
    return Buffer.concat(
      fs.readdirSync(server.dataDir).map((f) => fs.readFileSync(path.join(server.dataDir, f))),
    )
  }
  const columns = await sql<{ table: string; column: string; type: string }>`
    select table_name as "table", column_name as "column", data_type as "type"
    from information_schema.columns where table_schema = current_schema()`.execute(server.db)
  const parts: Buffer[] = []
  for (const { table, column, type } of columns.rows) {
    const value =
      type === 'bytea' ? sql`${sql.ref(column)}` : sql`convert_to(${sql.ref(column)}::text, 'UTF8')`
    const rows = await sql<{ value: Uint8Array | null }>`
      select ${value} as value from ${sql.table(table)}`.execute(server.db)
    for (const row of rows.rows) if (row.value) parts.push(Buffer.from(row.value))
  }
  return Buffer.concat(parts)
}

/**
 * The base64 text of `bytes` as it appears inside a longer encoded value: for each of the
 * three alignments, only the characters that depend on `bytes` alone.
 */
function base64Inside(bytes: Buffer, encoding: 'base64' | 'base64url'): string[] {
  return [0, 1, 2].map((shift) => {
    const text = Buffer.concat([Buffer.alloc(shift), bytes, Buffer.alloc(2)]).toString(encoding)
    return text.slice(Math.ceil((shift * 8) / 6), Math.floor(((shift + bytes.length) * 8) / 6))
  })
}

/** Every form a secret could be stored or logged in, by name. */
export function encodedForms(secret: string | Uint8Array): Array<[string, Buffer]> {
  const bytes = Buffer.from(typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret)
  const forms: Array<[string, Buffer]> = [
    ['raw', bytes],
    ['hex', Buffer.from(bytes.toString('hex'))],
    ['HEX', Buffer.from(bytes.toString('hex').toUpperCase())],
    ...base64Inside(bytes, 'base64').map((t, i): [string, Buffer] => [
      `base64/${i}`,
      Buffer.from(t),
    ]),
    ...base64Inside(bytes, 'base64url').map((t, i): [string, Buffer] => [
      `base64url/${i}`,
      Buffer.from(t),
    ]),
  ]
  if (typeof secret === 'string') {
    forms.push(['utf-16le', Buffer.from(secret, 'utf16le')])
    forms.push(['utf-16be', Buffer.from(secret, 'utf16le').swap16()])
  }
  return forms
}

/** The names of the forms of `secret` found in `haystack`. */
export function formsFound(haystack: Buffer, secret: string | Uint8Array): string[] {
  return encodedForms(secret)
    .filter(([, form]) => haystack.includes(form))
    .map(([name]) => name)
}

/**
 * Asserts that no form of any secret is in the database or the log. The search proves itself
 * first: the log is not empty and holds `inLog`; the database holds `inClear` as it is and
 * `encoded` in one of its encoded forms.
 */
export async function expectKeptFromRest(options: {
  server: TestServer
  dialect: Dialect
  lines: string[]
  secrets: Array<[string, string | Uint8Array]>
  /** Something stored in the clear, e.g. an email address. */
  inClear: string
  /** Bytes stored encoded (base64url), e.g. a public key. */
  encoded: Uint8Array
  /** Something every request logs, e.g. a path. */
  inLog: string
}): Promise<void> {
  const database = await databaseBytes(options.server, options.dialect)
  const log = Buffer.from(options.lines.join(''))
  expect(options.lines.length).toBeGreaterThan(10)
  expect(log.includes(options.inLog), 'the log holds what every request logs').toBe(true)
  expect(
    formsFound(database, options.inClear),
    'the search finds what is stored in clear',
  ).toContain('raw')
  expect(
    formsFound(database, options.encoded).length,
    'the search finds encoded bytes',
  ).toBeGreaterThan(0)
  for (const [name, secret] of options.secrets) {
    expect(formsFound(database, secret), `${name} in the database`).toEqual([])
    expect(formsFound(log, secret), `${name} in the log`).toEqual([])
  }
}
