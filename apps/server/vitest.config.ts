import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// Resolve @sealpost/core to its TypeScript source (the "sealpost-source"
// export condition), so tests never need a fresh `npm run build` of core.
// Vite replaces its default conditions when given a list, so keep them.
const SOURCE = 'sealpost-source'

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions] } },
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['./vitest.global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Forks isolate native modules (better-sqlite3); two cores, two workers.
    pool: 'forks',
    maxWorkers: 2,
    // One module graph per worker, not per file: importing the app for each of 54 files took
    // more CPU than the tests (169 s of 330 s on SQLite alone), and the casts of signed-in
    // people (test-support/accounts.ts) are made once per worker instead of once per file.
    // Tests share no module state but those caches: each starts its own server and database.
    isolate: false,
  },
})
