// `npm test`: everything, in order, stopping at the first failure
// (DESIGN.md §6). Plain Node with no dependencies: it runs before
// `npm install` may have happened.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const bin = (name) => join(root, 'node_modules', '.bin', name)

// Workspaces whose unit and integration tests vitest runs, in build order; the server's and
// the CLI's run beside the browser journeys (below).
const VITEST_WORKSPACES = ['packages/core', 'apps/web']
const BESIDE_JOURNEYS = ['apps/server', 'apps/cli']

const steps = [
  { name: 'system packages', run: () => exec('bash', ['scripts/ensure-system-deps.sh']) },
  { name: 'install', run: install },
  { name: 'build', run: () => exec('npm', ['run', 'build']) },
  // Both are single-threaded and independent: side by side they take the longer one's time.
  {
    name: 'lint and typecheck',
    run: () =>
      together([
        ['npm', ['run', 'lint']],
        ['npm', ['run', 'typecheck']],
      ]),
  },
  ...VITEST_WORKSPACES.map((workspace) => ({
    name: `vitest ${workspace}`,
    run: () => vitest(workspace),
  })),
  // The server's and the CLI's tests mostly wait on the servers, databases and processes they
  // start, and the journeys on their servers and browsers: each alone kept about one of the
  // two cores busy, so they share the machine.
  {
    name: `vitest ${BESIDE_JOURNEYS.join(', ')} and playwright e2e`,
    run: () =>
      together([
        ...BESIDE_JOURNEYS.map((workspace) => [bin('vitest'), ['run'], join(root, workspace)]),
        [bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts']],
      ]),
  },
]

const results = []
const started = Date.now()
for (const step of steps) {
  banner(`▶ ${step.name}`)
  const stepStarted = Date.now()
  const outcome = await step.run()
  const seconds = (Date.now() - stepStarted) / 1000
  results.push({ name: step.name, outcome, seconds })
  if (outcome === 'failed') break
  console.log(
    `\n✔ ${step.name} ${outcome === 'skipped' ? 'skipped' : 'passed'} in ${format(seconds)}`,
  )
}
summarize()

/** @returns {'passed' | 'failed' | 'skipped'} */
function install() {
  const modules = join(root, 'node_modules')
  const lockfile = join(root, 'package-lock.json')
  // npm writes node_modules/.package-lock.json after every install; a lockfile
  // newer than it means dependencies changed since (a pull, a merge).
  const installed = join(modules, '.package-lock.json')
  const upToDate =
    existsSync(modules) &&
    (!existsSync(lockfile) ||
      (existsSync(installed) && statSync(lockfile).mtimeMs <= statSync(installed).mtimeMs))
  if (upToDate) {
    console.log('node_modules is up to date with package-lock.json')
    return 'skipped'
  }
  // No audit or funding requests: they are reports, and cost a registry round trip.
  const quiet = ['--no-audit', '--no-fund']
  return exec('npm', existsSync(lockfile) ? ['ci', ...quiet] : ['install', ...quiet])
}

function vitest(workspace) {
  const dir = join(root, workspace)
  // A workspace takes part once it has a vitest config or any test file;
  // until then there is nothing to run, which is not a failure.
  const hasConfig = readdirSync(dir).some((name) => /^vitest\.config\.[cm]?[jt]s$/.test(name))
  if (!hasConfig && !hasTestFiles(join(dir, 'src'))) {
    console.log(`${workspace} has no vitest config and no test files`)
    return 'skipped'
  }
  return exec(bin('vitest'), ['run'], dir)
}

function hasTestFiles(dir) {
  if (!existsSync(dir)) return false
  return readdirSync(dir, { withFileTypes: true }).some((entry) =>
    entry.isDirectory()
      ? entry.name !== 'node_modules' && hasTestFiles(join(dir, entry.name))
      : /\.test\.[cm]?[jt]sx?$/.test(entry.name),
  )
}

function exec(command, args, cwd = root) {
  const where = cwd === root ? '' : ` (in ${relative(root, cwd)})`
  const shown = command.startsWith(root) ? relative(root, command) : command
  console.log(`$ ${[shown, ...args].join(' ')}${where}\n`)
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' })
  if (result.error) console.error(`cannot run ${command}: ${result.error.message}`)
  return result.status === 0 ? 'passed' : 'failed'
}

/**
 * Runs the commands at once, each one's output held back and printed whole when it ends, so
 * the log reads as if they had run one after the other.
 * @param {Array<[string, string[], string?]>} commands command, arguments, working directory
 * @returns {Promise<'passed' | 'failed'>}
 */
async function together(commands) {
  const outcomes = await Promise.all(
    commands.map(
      ([command, args, cwd = root]) =>
        new Promise((resolve) => {
          const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
          const output = []
          child.stdout.on('data', (chunk) => output.push(chunk))
          child.stderr.on('data', (chunk) => output.push(chunk))
          child.on('error', (error) => {
            console.error(`cannot run ${command}: ${error.message}`)
            resolve('failed')
          })
          child.on('close', (status) => {
            const shown = command.startsWith(root) ? relative(root, command) : command
            const where = cwd === root ? '' : ` (in ${relative(root, cwd)})`
            console.log(`$ ${[shown, ...args].join(' ')}${where}\n`)
            process.stdout.write(Buffer.concat(output))
            resolve(status === 0 ? 'passed' : 'failed')
          })
        }),
    ),
  )
  return outcomes.includes('failed') ? 'failed' : 'passed'
}

function summarize() {
  const failed = results.find((result) => result.outcome === 'failed')
  banner(failed ? `✘ npm test FAILED at: ${failed.name}` : '✔ npm test passed')
  const width = Math.max(...steps.map((step) => step.name.length))
  for (const step of steps) {
    const result = results.find((r) => r.name === step.name)
    const status = result ? result.outcome : 'not run'
    const time = result ? format(result.seconds) : ''
    console.log(`  ${step.name.padEnd(width)}  ${status.padEnd(7)}  ${time}`)
  }
  console.log(`  ${'total'.padEnd(width)}           ${format((Date.now() - started) / 1000)}\n`)
  process.exitCode = failed ? 1 : 0
}

function banner(text) {
  const line = '═'.repeat(72)
  console.log(`\n${line}\n ${text}\n${line}\n`)
}

function format(seconds) {
  return seconds < 60
    ? `${seconds.toFixed(1)} s`
    : `${Math.floor(seconds / 60)} min ${(seconds % 60).toFixed(0)} s`
}
