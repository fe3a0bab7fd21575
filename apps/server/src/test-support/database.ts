import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { inject } from 'vitest'
import { createDatabase } from '../../../../scripts/postgres.mjs'
import { type Db, type Dialect, migrateTo, openDatabase } from '../db/database.js'

let counter = 0

/**
 * A fresh, migrated database of `dialect` without a server, for tests of queries alone;
 * `upTo` stops after that migration (tests of the next one).
 */
export async function openTestDatabase(
  dialect: Dialect,
  options: { upTo?: string } = {},
): Promise<{ db: Db; close(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealpost-db-'))
  const databaseUrl =
    dialect === 'postgres'
      ? await createDatabase(inject('pgUrl'), `d_${process.pid}_${Date.now()}_${counter++}`)
      : undefined
  const { db } = openDatabase({ databaseUrl, dataDir })
  await migrateTo(db, options.upTo)
  return {
    db,
    close: async () => {
      await db.destroy()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
