// Whether each build output is older than what it is built from: `npm start`
// rebuilds then, and tests that run a built server or CLI refuse to run on an
// old one (they would test yesterday's code). Plain Node, no dependencies.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))

// Each build output and what it is built from. The CLI bundles core's sources; the web
// app needs no entry for core's sake: any change to core rebuilds everything anyway.
export const BUILDS = [
  { output: 'packages/core/dist/index.js', sources: ['packages/core'] },
  { output: 'apps/server/dist/main.js', sources: ['apps/server'] },
  { output: 'apps/web/dist/index.html', sources: ['apps/web'] },
  { output: 'apps/cli/dist/main.js', sources: ['apps/cli', 'packages/core'] },
]

/** The builds (all, or those of `packages` such as 'apps/server') whose output is missing or old. */
export function staleBuilds(packages) {
  return BUILDS.filter(({ output, sources }) => {
    if (packages && !packages.some((name) => output.startsWith(`${name}/`))) return false
    const built = join(root, output)
    if (!existsSync(built)) return true
    const builtAt = mtime(built)
    return sources.some((source) => newestSource(join(root, source)) > builtAt)
  })
}

/** Throws, naming the remedy, unless the builds of `packages` are up to date. */
export function assertFreshBuilds(packages) {
  const stale = staleBuilds(packages)
  if (stale.length === 0) return
  const names = stale.map(({ output }) => output.split('/dist/')[0]).join(', ')
  throw new Error(
    `the build of ${names} is missing or older than its sources: run \`npm run build\``,
  )
}

/** Newest mtime of the files a package is built from; tests, test helpers and outputs aside. */
function newestSource(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (['node_modules', 'dist', 'test-results', 'test-support'].includes(entry.name)) continue
      newest = Math.max(newest, newestSource(path))
    } else if (!/\.test\.[cm]?[jt]sx?$|\.tsbuildinfo$/.test(entry.name)) {
      newest = Math.max(newest, mtime(path))
    }
  }
  return newest
}

function mtime(path) {
  return statSync(path).mtimeMs
}
