import { randomUUID } from 'node:crypto'
import { inject } from 'vitest'
import { createDatabase } from '../../../../scripts/postgres.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Provided by apps/server/vitest.global-setup.ts (a private PostgreSQL). */
    pgUrl: string
  }
}

export type Database = { name: string; databaseUrl: () => Promise<string | undefined> }

/** Every black-box suite runs once per database the server supports (STYLE.md rule 13). */
export const databases: Database[] = [
  { name: 'SQLite', databaseUrl: () => Promise.resolve(undefined) },
  {
    name: 'PostgreSQL',
    // A fresh database per suite, beside the one the global setup created.
    databaseUrl: () => createDatabase(inject('pgUrl'), `cli_${randomUUID().replaceAll('-', '')}`),
  },
]
