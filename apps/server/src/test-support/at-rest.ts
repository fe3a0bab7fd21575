import fs from 'node:fs'
import path from 'node:path'
import { Writable } from 'node:stream'
import { sql } from 'kysely'
import { expect } from 'vitest'
import type { Dialect } from '../db/database.js'
import type { TestServer } from './harness.js'
import { formsFound } from '@sealpost/test-support'

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
  expect(options.lines, 'the log is captured').not.toHaveLength(0)
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
