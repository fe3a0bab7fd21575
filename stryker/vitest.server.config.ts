// The server's vitest config for Stryker, rooted at the package (see vitest.core.config.ts).
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { mergeConfig } from 'vitest/config'
import server from '../apps/server/vitest.config.ts'
import { testFilesOf } from './scopes.mjs'

const root = fileURLToPath(new URL('../apps/server/', import.meta.url))

// Mutation runs test on SQLite only: PostgreSQL doubled every mutant's run (both halves of
// each describe.each) for mutants that almost all change what is asked of the database, not
// how a dialect answers. Code only PostgreSQL runs (its row locks) shows as not covered, which
// is said in the report rather than paid for on every mutant. `npm test` and CI keep both
// databases (STYLE.md rule 13); SEALPOST_TEST_DIALECTS=sqlite,postgres asks for both here too.
// Read by scripts/postgres.mjs's testDialects in this process (global setup) and in the test
// workers, which inherit the environment. Not under CI, whose check refuses a narrowed run.
if (!process.env.CI) process.env.SEALPOST_TEST_DIALECTS ??= 'sqlite'

/** Test files under `dir` that run the built server (dist/), which never holds a mutant. */
function builtServerTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return builtServerTests(path)
    if (!entry.name.endsWith('.test.ts')) return []
    return readFileSync(path, 'utf8').includes('test-support/server-process.js')
      ? [relative(root, path)]
      : []
  })
}

const config = mergeConfig(server, {
  root,
  test: { exclude: ['**/node_modules/**', ...builtServerTests(join(root, 'src'))] },
})
// Only the running scope's test files (mergeConfig would add to the server's include).
config.test = { ...config.test, include: testFilesOf(root, config.test?.include ?? []) }

export default config
