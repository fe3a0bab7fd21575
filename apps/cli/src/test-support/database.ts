import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import type { RunningServer } from './server.js'

/**
 * Rewrites a stored message envelope behind the server's back, as an attacker with access to
 * the database could: the CLI must notice. Works on the server's SQLite file or PostgreSQL.
 */
export async function alterEnvelope(
  server: RunningServer,
  messageId: string,
  change: (envelope: Record<string, unknown>) => void,
): Promise<void> {
  const alter = (text: string) => {
    const envelope = JSON.parse(text) as Record<string, unknown>
    change(envelope)
    return JSON.stringify(envelope)
  }
  if (server.databaseUrl === undefined) {
    const sqlite = new SQLite(join(server.dataDir, 'sealpost.db'))
    try {
      sqlite.pragma('busy_timeout = 5000')
      const row = sqlite.prepare('SELECT envelope FROM messages WHERE id = ?').get(messageId) as
        { envelope: string } | undefined
      if (!row) throw new Error(`no message ${messageId} in the database`)
      sqlite
        .prepare('UPDATE messages SET envelope = ? WHERE id = ?')
        .run(alter(row.envelope), messageId)
    } finally {
      sqlite.close()
    }
    return
  }
  const client = new pg.Client({ connectionString: server.databaseUrl })
  await client.connect()
  try {
    const { rows } = await client.query<{ envelope: string }>(
      'SELECT envelope FROM messages WHERE id = $1',
      [messageId],
    )
    const row = rows[0]
    if (!row) throw new Error(`no message ${messageId} in the database`)
    await client.query('UPDATE messages SET envelope = $1 WHERE id = $2', [
      alter(row.envelope),
      messageId,
    ])
  } finally {
    await client.end()
  }
}

/** Runs one statement on the server's database behind its back ($1… placeholders). */
export async function runSql(
  server: RunningServer,
  statement: string,
  values: Array<string | number | null>,
): Promise<void> {
  if (server.databaseUrl === undefined) {
    const sqlite = new SQLite(join(server.dataDir, 'sealpost.db'))
    try {
      sqlite.pragma('busy_timeout = 5000')
      sqlite.prepare(statement.replace(/\$\d+/g, '?')).run(...values)
    } finally {
      sqlite.close()
    }
    return
  }
  const client = new pg.Client({ connectionString: server.databaseUrl })
  await client.connect()
  try {
    await client.query(statement, values)
  } finally {
    await client.end()
  }
}

/**
 * Everything an attacker with a copy of the server's database would have: the SQLite file and
 * its write-ahead log byte for byte, or on PostgreSQL every value of every column of every
 * table (text as UTF-8, bytea as its bytes).
 */
export async function databaseBytes(server: RunningServer): Promise<Buffer> {
  if (server.databaseUrl === undefined) {
    const files = ['sealpost.db', 'sealpost.db-wal'].map((name) => join(server.dataDir, name))
    const stored = await Promise.all(
      // No write-ahead log is no content, not an error; anything else is.
      files.map((file) =>
        readFile(file).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return Buffer.alloc(0)
          throw error
        }),
      ),
    )
    if (stored[0]?.length === 0) throw new Error(`no database file in ${server.dataDir}`)
    return Buffer.concat(stored)
  }
  const client = new pg.Client({ connectionString: server.databaseUrl })
  await client.connect()
  try {
    const { rows: columns } = await client.query<{ table: string; column: string; type: string }>(
      `SELECT table_name AS "table", column_name AS "column", data_type AS "type"
         FROM information_schema.columns WHERE table_schema = current_schema()`,
    )
    if (columns.length === 0) throw new Error('no tables in the PostgreSQL database')
    const parts: Buffer[] = []
    for (const { table, column, type } of columns) {
      const name = `"${column.replaceAll('"', '""')}"`
      const value = type === 'bytea' ? name : `convert_to(${name}::text, 'UTF8')`
      const { rows } = await client.query<{ value: Buffer | null }>(
        `SELECT ${value} AS value FROM "${table.replaceAll('"', '""')}"`,
      )
      for (const row of rows) if (row.value) parts.push(row.value)
    }
    return Buffer.concat(parts)
  } finally {
    await client.end()
  }
}
