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
