// `npm run mutate [-- <scope>… [stryker options]]`: mutation testing of the
// security-critical code with StrykerJS, one scope after another (all when none
// is named). Scopes and settings live in stryker/scopes.mjs; reports land in
// reports/mutation/<scope>.html and .json. Not part of `npm test`: it takes
// from minutes (crypto) to hours (the route scopes) on two cores.
//   npm run mutate -- crypto
//   npm run mutate -- http --concurrency 2
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SCOPES } from '../stryker/scopes.mjs'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const args = process.argv.slice(2)
const named = args.filter((arg) => arg in SCOPES)
const unknown = args.filter((arg) => !arg.startsWith('-') && !(arg in SCOPES))
const firstOption = args.findIndex((arg) => arg.startsWith('-'))
const options = firstOption === -1 ? [] : args.slice(firstOption)
if (unknown.length > 0 && firstOption === -1) {
  console.error(`unknown scope ${unknown.join(', ')}; scopes: ${Object.keys(SCOPES).join(', ')}`)
  process.exit(2)
}
const scopes = named.length > 0 ? named : Object.keys(SCOPES)

const summaries = []
let failed = false
for (const scope of scopes) {
  console.log(`\n▶ mutation testing: ${scope}\n`)
  const result = spawnSync(
    join(root, 'node_modules', '.bin', 'stryker'),
    ['run', `stryker/${scope}.config.mjs`, ...options],
    { cwd: root, stdio: 'inherit' },
  )
  if (result.status !== 0) failed = true
  summaries.push(...scoresOf(scope))
}

console.log(
  '\nMutation score per file (killed + timed out) / (killed + timed out + survived + no coverage):\n',
)
for (const { scope, file, score, survived, noCoverage } of summaries) {
  const left = survived + noCoverage > 0 ? `  ${survived} survived, ${noCoverage} not covered` : ''
  console.log(`  ${scope.padEnd(9)} ${score.padStart(7)}  ${file}${left}`)
}
console.log('\nReports: reports/mutation/<scope>.html')
process.exitCode = failed ? 1 : 0

/** Per-file scores from a scope's JSON report (mutation-testing-report-schema). */
function scoresOf(scope) {
  const report = join(root, 'reports', 'mutation', `${scope}.json`)
  if (!existsSync(report)) return []
  const { files } = JSON.parse(readFileSync(report, 'utf8'))
  return Object.entries(files).map(([file, { mutants }]) => {
    const count = (status) => mutants.filter((m) => m.status === status).length
    const detected = count('Killed') + count('Timeout')
    const survived = count('Survived')
    const noCoverage = count('NoCoverage')
    const valid = detected + survived + noCoverage
    const score = valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)} %`
    return { scope, file, score, survived, noCoverage }
  })
}
