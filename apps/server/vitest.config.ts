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
    // Bounds for hangs, not timings: npm test runs these beside the CLI's tests and the
    // journeys, and a sign-in lockout test took 22 s there.
    testTimeout: 90_000,
    hookTimeout: 90_000,
    // Forks isolate native modules (better-sqlite3). Three workers on two cores: the tests wait
    // on PostgreSQL, started servers and child processes, and two kept 1 core busy (alone on an
    // idle machine three took 4 min 31 s and 1.66 cores, two about 6 min).
    pool: 'forks',
    maxWorkers: 3,
    // One module graph per worker, not per file: importing the app for each of 54 files took
    // more CPU than the tests (169 s of 330 s on SQLite alone), and the casts of signed-in
    // people (test-support/accounts.ts) are made once per worker instead of once per file.
    // Tests share no module state but those caches: each starts its own server and database.
    isolate: false,
  },
})
