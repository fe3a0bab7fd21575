import { fileURLToPath } from 'node:url'
import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// Same setup as the server's: the CLI's black-box tests start the built
// server against the shared PostgreSQL (and against SQLite).
const SOURCE = 'sealpost-source'

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions] } },
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: [fileURLToPath(new URL('../server/vitest.global-setup.ts', import.meta.url))],
    // A test runs up to ~30 CLI processes (a Node start and OPAQUE each): about 10 s on an idle
    // two-core machine, past 30 s when that machine is busy. A bound for hangs, not a timing.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Three on two cores: a test mostly waits on the CLI processes and the server it starts.
    maxWorkers: 3,
  },
})
