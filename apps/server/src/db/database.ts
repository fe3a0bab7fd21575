import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  type Migration,
  type SqliteDatabase,
} from 'kysely'
import pg from 'pg'
import * as foundation from './migrations/0001-foundation.js'
import * as messages from './migrations/0002-messages.js'
import * as links from './migrations/0003-links.js'
import * as vaultItems from './migrations/0004-vault-items.js'
import * as attempts from './migrations/0005-attempts.js'
import * as linkReads from './migrations/0006-link-reads-and-sent-emails.js'
import * as blobOwners from './migrations/0007-blob-owners.js'
import * as requests from './migrations/0008-requests.js'
import * as sessionDevices from './migrations/0009-session-devices.js'
import * as recoveryCodes from './migrations/0010-recovery-codes.js'
import * as twoFactor from './migrations/0011-two-factor.js'
import * as accountRecovery from './migrations/0012-account-recovery.js'
import * as signedRecoveryKey from './migrations/0013-signed-recovery-key.js'
import * as auditChain from './migrations/0014-audit-chain.js'
import * as receipts from './migrations/0015-receipts.js'
import * as linkHistory from './migrations/0016-link-history.js'
import * as linkOpenNotices from './migrations/0017-link-open-notices.js'
import * as messageNotices from './migrations/0018-message-notices.js'
import * as policies from './migrations/0019-policies.js'
import * as groups from './migrations/0020-groups.js'
import * as expiryReminders from './migrations/0021-expiry-reminders.js'
import * as auditDetails from './migrations/0022-audit-details.js'
import * as webhooks from './migrations/0023-webhooks.js'
import * as vaultGroupGrants from './migrations/0024-vault-group-grants.js'
import * as vaultKeyVersion from './migrations/0025-vault-key-version.js'
import * as vaultDepartures from './migrations/0026-vault-departures.js'
import * as pendingLoginPurpose from './migrations/0027-pending-login-purpose.js'
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
  '0006-link-reads-and-sent-emails': linkReads,
  '0007-blob-owners': blobOwners,
  '0008-requests': requests,
  '0009-session-devices': sessionDevices,
  '0010-recovery-codes': recoveryCodes,
  '0011-two-factor': twoFactor,
  '0012-account-recovery': accountRecovery,
  '0013-signed-recovery-key': signedRecoveryKey,
  '0014-audit-chain': auditChain,
  '0015-receipts': receipts,
  '0016-link-history': linkHistory,
  '0017-link-open-notices': linkOpenNotices,
  '0018-message-notices': messageNotices,
  '0019-policies': policies,
  '0020-groups': groups,
  '0021-expiry-reminders': expiryReminders,
  '0022-audit-details': auditDetails,
  '0023-webhooks': webhooks,
  '0024-vault-group-grants': vaultGroupGrants,
  '0025-vault-key-version': vaultKeyVersion,
  '0026-vault-departures': vaultDepartures,
  '0027-pending-login-purpose': pendingLoginPurpose,
}

/** PostgreSQL returns bigint as text by default; our bigints are millisecond times. */
const pgTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (value: string) => Number(value)
      : (pg.types.getTypeParser(oid, format) as (value: string) => unknown),
}

/** The data directory holds the database and the OPAQUE secret: its owner alone may read it. */
const PRIVATE_DIR = 0o700
const PRIVATE_FILE = 0o600

/** Gives `target` exactly `mode` (when it exists), warning if it was more open than that. */
function makePrivate(target: string, mode: number, warn: (message: string) => void): void {
  let current: number
  try {
    current = fs.statSync(target).mode & 0o777
  } catch {
    return
  }
  if (current === mode) return
  fs.chmodSync(target, mode)
  warn(`${target} had mode ${current.toString(8)}; changed it to ${mode.toString(8)}`)
}

/** Creates the data directory 0700, or fixes the mode of an existing one. */
export function prepareDataDir(dir: string, warn: (message: string) => void): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR })
  makePrivate(dir, PRIVATE_DIR, warn)
}

/** Opens PostgreSQL when `databaseUrl` is set, otherwise SQLite (WAL) in `dataDir`. */
export function openDatabase(options: {
  databaseUrl?: string | undefined
  sqliteFile?: string
  dataDir?: string
  /** Told when an existing file or directory had to be made private. */
  warn?: (message: string) => void
}): { db: Db; dialect: Dialect } {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, types: pgTypes, max: 10 })
    return {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      dialect: 'postgres',
    }
  }
  const file = options.sqliteFile ?? path.join(options.dataDir ?? '.', 'sealpost.db')
  const warn = options.warn ?? (() => undefined)
  if (file !== ':memory:') {
    prepareDataDir(path.dirname(file), warn)
    // Created 0600 before SQLite opens it; SQLite gives its -wal and -shm files the
    // database file's mode, and older ones are fixed below.
    fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE))
    makePrivate(file, PRIVATE_FILE, warn)
  }
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  if (file !== ':memory:') {
    for (const suffix of ['-wal', '-shm']) makePrivate(file + suffix, PRIVATE_FILE, warn)
  }
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('synchronous = NORMAL')
  return {
    db: new Kysely<Database>({
      dialect: new SqliteDialect({ database: reusingStatements(sqlite) }),
    }),
    dialect: 'sqlite',
  }
}

/** Prepared statements kept per SQL text; past this many, the least recently used goes. */
export const STATEMENT_CACHE_SIZE = 500

/**
 * Kysely prepares every query it runs; preparing cost an inbox page a tenth of a millisecond,
 * as much as running it. The same SQL text reuses its statement (better-sqlite3 runs each to
 * the end synchronously, so one statement is never in use twice; SQLite re-prepares it itself
 * when a migration changes the schema).
 */
export function reusingStatements(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      let statement = statements.get(sql)
      if (statement) {
        statements.delete(sql)
      } else {
        statement = sqlite.prepare(sql)
        if (statements.size >= STATEMENT_CACHE_SIZE) {
          statements.delete(statements.keys().next().value as string)
        }
      }
      statements.set(sql, statement)
      return statement
    },
  }
}

export async function migrateToLatest(db: Db): Promise<void> {
  await migrateTo(db)
}

/** Migrates up (or down) to the named migration; to the latest without one (tests of a migration). */
export async function migrateTo(db: Db, name?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  })
  const { error, results } = await (name ? migrator.migrateTo(name) : migrator.migrateToLatest())
  const failed = results?.find((r) => r.status === 'Error')
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`)
  }
}
