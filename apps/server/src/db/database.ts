import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from 'kysely'
import pg from 'pg'
import * as foundation from './migrations/0001-foundation.js'
import * as messages from './migrations/0002-messages.js'
import * as links from './migrations/0003-links.js'
import * as vaultItems from './migrations/0004-vault-items.js'
import * as attempts from './migrations/0005-attempts.js'
import type { Database } from './schema.js'

export type Db = Kysely<Database>
export type Dialect = 'sqlite' | 'postgres'

/** Every migration, in order; a static list keeps the build free of file scanning. */
const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-messages': messages,
  '0003-links': links,
  '0004-vault-items': vaultItems,
  '0005-attempts': attempts,
}

/** PostgreSQL returns bigint as text by default; our bigints are millisecond times. */
const pgTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (value: string) => Number(value)
      : (pg.types.getTypeParser(oid, format) as (value: string) => unknown),
}

/** Opens PostgreSQL when `databaseUrl` is set, otherwise SQLite (WAL) in `dataDir`. */
export function openDatabase(options: {
  databaseUrl?: string | undefined
  sqliteFile?: string
  dataDir?: string
}): { db: Db; dialect: Dialect } {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, types: pgTypes, max: 10 })
    return {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      dialect: 'postgres',
    }
  }
  const file = options.sqliteFile ?? path.join(options.dataDir ?? '.', 'sealpost.db')
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('synchronous = NORMAL')
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }),
    dialect: 'sqlite',
  }
}

export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`)
  }
}
