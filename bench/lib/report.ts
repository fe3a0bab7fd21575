// Numbers, machine description and result files shared by the benchmarks.
// Each benchmark writes results/<name>.json and results/<name>.md; latest.md
// is rebuilt from every results/*.md so running one benchmark keeps the others.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { resultsDir, root } from './paths.js'
/** Sections of latest.md in this order; any other results/*.md follows by name. */
const ORDER = ['http-and-login', 'messages', 'links', 'vault', 'page-weight', 'lighthouse']

export function round(value: number, digits: number) {
  return Number(value.toFixed(digits))
}

/** The q-quantile (0..1) of an ascending array, nearest rank; 0 when empty. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0
}

/** 12,345 */
export function n(value: number) {
  return value.toLocaleString('en-US')
}

/** `a ÷ b` rounded, or 0 when b is 0. */
export function ratio(a: number, b: number, digits = 3) {
  return b === 0 ? 0 : round(a / b, digits)
}

export type Machine = ReturnType<typeof describeMachine>

export function describeMachine() {
  let commit = 'unknown'
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim()
  } catch {
    // Not a git checkout (a release tarball): the commit stays unknown.
  }
  return {
    date: new Date().toISOString(),
    commit,
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.availableParallelism(),
      memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      os: `${os.type()} ${os.release()}`,
    },
    /** Other work on the machine skews every figure; this says how much there was. */
    loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)),
  }
}

export function markdownTable(header: string[], rows: string[][]) {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n')
}

/** "2026-11-25T23:47:14.623Z, commit de3cb2e; AMD EPYC, 2 cores, 23.5 GiB, Node v20." */
export function runLine(run: Machine) {
  const m = run.machine
  return (
    `${run.date}, commit ${run.commit}; ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ` +
    `Node ${m.node}; load average ${run.loadAverageAtEnd.join(' / ')} (1/5/15 min) at the end.`
  )
}

/**
 * Writes results/<name>.json and results/<name>.md (a `## name` section),
 * then rebuilds results/latest.md from all sections.
 */
export function writeResults(name: string, run: object, section: string) {
  mkdirSync(resultsDir, { recursive: true })
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify(run, null, 2)}\n`)
  writeFileSync(join(resultsDir, `${name}.md`), `## Benchmark: ${name}\n\n${section.trim()}\n`)
  const names = readdirSync(resultsDir)
    .filter((file) => file.endsWith('.md') && file !== 'latest.md')
    .map((file) => file.slice(0, -'.md'.length))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  const sections = names.map((s) => readFileSync(join(resultsDir, `${s}.md`), 'utf8').trim())
  writeFileSync(
    join(resultsDir, 'latest.md'),
    `# Sealpost benchmarks\n\nWritten by \`npm run bench\`; each section comes from its own run.\n\n${sections.join('\n\n')}\n`,
  )
  console.log(`wrote bench/results/${name}.json, ${name}.md and latest.md`)
}

function rank(name: string) {
  const i = ORDER.indexOf(name)
  return i < 0 ? ORDER.length : i
}
