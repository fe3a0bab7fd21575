import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { inject } from 'vitest'
import { createDatabase } from '../../../../scripts/postgres.mjs'
import { type Db, type Dialect, migrateTo, migrateToLatest, openDatabase } from '../db/database.js'

let counter = 0

/**
 * A database left closed for tests to start from copies of: a SQLite data directory, or a
 * PostgreSQL database nobody is connected to (a template for CREATE DATABASE).
 */
export type DatabaseSnapshot =
  { dialect: 'sqlite'; dataDir: string } | { dialect: 'postgres'; database: string }

/** Where a fresh database lives: its data directory, and its URL on PostgreSQL. */
export type FreshDatabase = { dataDir: string; databaseUrl: string | undefined }

const migratedOnce = new Map<Dialect, Promise<DatabaseSnapshot>>()

/**
 * A new database at the latest migration, or a copy of `from`. Migrating takes 20 migrations
 * (0.1 s on SQLite, 0.3 s on PostgreSQL), so each worker migrates one database per dialect
 * and every test starts from a copy of it: a file copy, or CREATE DATABASE … TEMPLATE.
 */
export async function freshDatabase(
  dialect: Dialect,
  from?: DatabaseSnapshot,
): Promise<FreshDatabase> {
  const source = from ?? (await migratedSnapshot(dialect))
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealpost-test-'))
  if (source.dialect === 'sqlite') {
    fs.cpSync(source.dataDir, dataDir, { recursive: true })
    return { dataDir, databaseUrl: undefined }
  }
  const databaseUrl = await createDatabase(inject('pgUrl'), uniqueName('t'), {
    template: source.database,
  })
  return { dataDir, databaseUrl }
}

// Snapshots live as long as the test file's process; PostgreSQL's go with the test cluster.
const snapshotDirs: string[] = []
process.on('exit', () => {
  for (const dir of snapshotDirs) fs.rmSync(dir, { recursive: true, force: true })
})

function migratedSnapshot(dialect: Dialect): Promise<DatabaseSnapshot> {
  let snapshot = migratedOnce.get(dialect)
  if (!snapshot) {
    snapshot = (async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealpost-migrated-'))
      const databaseUrl =
        dialect === 'postgres' ? await createDatabase(inject('pgUrl'), uniqueName('m')) : undefined
      const { db } = openDatabase({ databaseUrl, dataDir })
      await migrateToLatest(db)
      await db.destroy()
      return snapshotOf({ dataDir, databaseUrl })
    })()
    migratedOnce.set(dialect, snapshot)
  }
  return snapshot
}

/** The snapshot of a fresh database whose connections are all closed. */
export function snapshotOf(fresh: FreshDatabase): DatabaseSnapshot {
  snapshotDirs.push(fresh.dataDir)
  return fresh.databaseUrl
    ? { dialect: 'postgres', database: new URL(fresh.databaseUrl).pathname.slice(1) }
    : { dialect: 'sqlite', dataDir: fresh.dataDir }
}

function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now()}_${counter++}`
}

/**
 * A fresh, migrated database of `dialect` without a server, for tests of queries alone;
 * `upTo` stops after that migration (tests of the next one).
 */
export async function openTestDatabase(
  dialect: Dialect,
  options: { upTo?: string } = {},
): Promise<{ db: Db; close(): Promise<void> }> {
  let fresh: FreshDatabase
  if (options.upTo === undefined) {
    fresh = await freshDatabase(dialect)
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealpost-db-'))
    const databaseUrl =
      dialect === 'postgres' ? await createDatabase(inject('pgUrl'), uniqueName('d')) : undefined
    fresh = { dataDir, databaseUrl }
  }
  const { db } = openDatabase(fresh)
  if (options.upTo !== undefined) await migrateTo(db, options.upTo)
  return {
    db,
    close: async () => {
      await db.destroy()
      fs.rmSync(fresh.dataDir, { recursive: true, force: true })
    },
  }
}
