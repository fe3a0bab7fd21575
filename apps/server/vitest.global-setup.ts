// Vitest global setup for the server and CLI tests: one private PostgreSQL
// for the whole run (DESIGN.md §6), so every database test can also run on
// PostgreSQL. Tests read its URL with `inject('pgUrl')` and create their own
// database on it (`createDatabase` from scripts/postgres.mjs).
// Names 'vitest' in this file, which the module augmentation below needs.
import type {} from 'vitest'
import type { TestProject } from 'vitest/node'
import { startPostgres, testDialects } from '../../scripts/postgres.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres://… of a database that exists; tests make their own beside it. */
    pgUrl: string
  }
}

export default async function setup(project: TestProject) {
  // An already running server (a developer's own, or CI's) skips the start.
  // A SQLite-only local loop needs no PostgreSQL at all.
  if (!testDialects().includes('postgres')) {
    project.provide('pgUrl', '')
    return
  }
  const existing = process.env.SEALPOST_TEST_PG_URL
  if (existing) {
    project.provide('pgUrl', existing)
    return
  }
  const postgres = await startPostgres({ log: (message) => console.log(`[postgres] ${message}`) })
  project.provide('pgUrl', postgres.url)
  return async () => {
    await postgres.stop()
  }
}
