// Mutation testing (StrykerJS) of the security-critical code, one scope at a
// time: `npm run mutate -- crypto http` (scripts/mutate.mjs). Each scope has a
// config file beside this one; this module holds what they share.
//
// Slow on two shared cores, so: the vitest runner, one worker by default
// (`--concurrency 2` to override), per-test coverage so a mutant runs only
// the tests that reach it, and incremental mode so a rerun only tests mutants
// whose code or tests changed since the last run (reports/ is not committed:
// the file churns on every run and its timings are this machine's).
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const SERVER = 'apps/server/src'

/** Per scope: which files are mutated and which test files may kill them. */
export const SCOPES = {
  crypto: {
    vitestConfig: 'stryker/vitest.core.config.ts',
    mutate: [
      'packages/core/src/crypto/**/*.ts',
      '!packages/core/src/crypto/**/*.test.ts',
      '!packages/core/src/crypto/vectors/**',
    ],
    // Core's own tests only: the server's tests load core from its real path, not the sandbox.
    testFiles: ['packages/core/src/crypto/**/*.test.ts'],
  },
  http: {
    vitestConfig: 'stryker/vitest.server.config.ts',
    mutate: [`${SERVER}/http/**/*.ts`, `!${SERVER}/http/**/*.test.ts`],
    testFiles: [
      `${SERVER}/http/**/*.test.ts`,
      `${SERVER}/features/auth/**/*.test.ts`,
      // requireUser's two-factor gate (a session that may only set up a factor) is attacked there.
      `${SERVER}/features/two-factor/**/*.test.ts`,
      `${SERVER}/app.test.ts`,
    ],
  },
  messages: {
    vitestConfig: 'stryker/vitest.server.config.ts',
    mutate: [`${SERVER}/features/messages/routes.ts`, `${SERVER}/features/messages/queries.ts`],
    testFiles: [`${SERVER}/features/messages/**/*.test.ts`],
  },
  links: {
    vitestConfig: 'stryker/vitest.server.config.ts',
    mutate: [`${SERVER}/features/links/routes.ts`, `${SERVER}/features/links/queries.ts`],
    testFiles: [`${SERVER}/features/links/**/*.test.ts`],
  },
  uploads: {
    vitestConfig: 'stryker/vitest.server.config.ts',
    mutate: [`${SERVER}/features/uploads/**/*.ts`, `!${SERVER}/features/uploads/**/*.test.ts`],
    // Staged files are committed by messages, links, vault items and answers to requests (whose
    // visitors stage through the same queries), so their tests guard uploads too.
    testFiles: [
      `${SERVER}/features/uploads/**/*.test.ts`,
      `${SERVER}/features/messages/**/*.test.ts`,
      `${SERVER}/features/links/**/*.test.ts`,
      `${SERVER}/features/vault/**/*.test.ts`,
      `${SERVER}/features/vault-rekey/**/*.test.ts`,
      `${SERVER}/features/requests/**/*.test.ts`,
    ],
  },
  auth: {
    vitestConfig: 'stryker/vitest.server.config.ts',
    mutate: [
      `${SERVER}/features/auth/routes.ts`,
      `${SERVER}/features/auth/queries.ts`,
      `${SERVER}/features/auth/sessions.ts`,
    ],
    testFiles: [
      `${SERVER}/features/auth/**/*.test.ts`,
      // The session cookie's name and Secure flag over TLS, and what a sign-in that must set up
      // two-factor may do, are attacked there; sign-ins never finished and limits reached are
      // audited, which the audit tests check.
      `${SERVER}/http/session-checks.test.ts`,
      `${SERVER}/features/audit/audit-actions.test.ts`,
    ],
  },
}

/** Names the scope being run, for the vitest configs (see `testFilesOf`). */
export const SCOPE_ENV = 'SEALPOST_MUTATION_SCOPE'

/**
 * The running scope's test files as vitest include patterns, relative to `packageRoot` (an
 * absolute path inside the repository or its Stryker sandbox); `fallback` outside a scope.
 * @param {string} packageRoot
 * @param {string[]} fallback
 */
export function testFilesOf(packageRoot, fallback) {
  const name = process.env[SCOPE_ENV]
  if (!name || !(name in SCOPES)) return fallback
  const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
  return SCOPES[name].testFiles.map((pattern) => relative(packageRoot, join(repoRoot, pattern)))
}

/** @param {keyof typeof SCOPES} name */
export function scopeConfig(name) {
  const scope = SCOPES[name]
  // Read by stryker/vitest.*.config.ts in Stryker's test runner processes, which inherit it.
  process.env[SCOPE_ENV] = name
  return {
    packageManager: 'npm',
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    vitest: { configFile: scope.vitestConfig, related: false },
    coverageAnalysis: 'perTest',
    mutate: scope.mutate,
    // No `testFiles` here: with it, Stryker 9.6 activates a static mutant (a module-level value
    // such as an HKDF info string) only after its module was loaded, so every one "survived"
    // (stryker-js#6144). The vitest configs include this scope's test files instead.
    concurrency: 1,
    // A shared, busy machine: a slow test is not an infinite loop.
    timeoutMS: 20_000,
    timeoutFactor: 2,
    // The first, unmutated run of a route scope's tests passed Stryker's 5 minutes on a loaded
    // machine once the uploads scope took in the vault and requests tests.
    dryRunTimeoutMinutes: 20,
    incremental: true,
    incrementalFile: `reports/mutation/${name}.incremental.json`,
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: `reports/mutation/${name}.html` },
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    clearTextReporter: { allowColor: false, logTests: false, reportMutants: true },
    thresholds: { high: name === 'crypto' || name === 'http' ? 85 : 75, low: 60, break: null },
    // The sandbox is a copy of the repository without what no test here needs; it lives
    // outside the checkout so lint, prettier and git never see it.
    tempDirName: join(tmpdir(), `sealpost-stryker-${name}`),
    // The web app's build stays: the server serves it, and its tests check that.
    ignorePatterns: [
      '/apps/web/src',
      '/apps/web/public',
      '/e2e',
      '/bench',
      '/data',
      '/reports',
      '/packages/core/dist',
      '/apps/server/dist',
      '/apps/cli/dist',
      '**/test-results',
      '**/playwright-report',
    ],
  }
}
