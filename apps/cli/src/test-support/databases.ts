import { randomUUID } from 'node:crypto'
import { inject } from 'vitest'
import { createDatabase, testDialects } from '../../../../scripts/postgres.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Provided by apps/server/vitest.global-setup.ts (a private PostgreSQL). */
    pgUrl: string
  }
}

export type Database = { name: string; databaseUrl: () => Promise<string | undefined> }

/**
 * Every black-box suite runs once per database the server supports (STYLE.md rule 13);
 * SEALPOST_TEST_DIALECTS=sqlite narrows it for a fast local loop.
 */
export const databases: Database[] = [
  { name: 'SQLite', databaseUrl: () => Promise.resolve(undefined) },
  {
    name: 'PostgreSQL',
    // A fresh database per suite, beside the one the global setup created.
    databaseUrl: () => createDatabase(inject('pgUrl'), `cli_${randomUUID().replaceAll('-', '')}`),
  },
].filter((database) => testDialects().includes(database.name === 'SQLite' ? 'sqlite' : 'postgres'))
