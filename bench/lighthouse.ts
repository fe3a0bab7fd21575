// Lighthouse on the pages an outsider and a signing-in member meet first (issue 15): the
// public link page /s/<id> and the sign-in page of the BUILT server, beside PrivateBin
// 2.0.5's page (its one page, which also opens pastes) measured the same way in the same run.
// Lighthouse's defaults: mobile form factor, simulated slow-4G throttling and a 4x slower CPU,
// in Debian's Chromium. Targets: performance >= 95, LCP <= 2.0 s, total blocking time
// <= 150 ms, accessibility and best practices 100.
//
// Lighthouse is not a dependency of the repository (160 packages in every `npm ci`): the run
// fetches the pinned version with `npm exec` on first use.
//
//   npm run bench:lighthouse -w bench      (needs `npm run build` first)
//
// BENCH_LIGHTHOUSE_RUNS (runs per page, the median-performance run kept; default 3).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createApiClient, createLink, setupAdministrator } from '@sealpost/core'
import { hasPhp, phpVersion, startPrivateBin } from './lib/privatebin.js'
import { exitCleanlyOnSignals, runToEnd, tempDir } from './lib/process.js'
import {
  describeMachine,
  markdownTable,
  ratio,
  round,
  runLine,
  writeResults,
} from './lib/report.js'
import { requireBuiltServer, startSealpost } from './lib/servers.js'
import { common, envNumber } from './lib/settings.js'

const NAME = 'lighthouse'
const LIGHTHOUSE = 'lighthouse@12.8.2'

const settings = {
  serverLogLevel: common.serverLogLevel,
  runs: Math.max(1, Math.round(envNumber('BENCH_LIGHTHOUSE_RUNS', 3))),
  chromium: process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium',
}

const TARGETS = { performance: 95, lcpMs: 2000, tbtMs: 150, accessibility: 100, bestPractices: 100 }

/** What one page scored: the categories (0–100) and the audits the targets name. */
type Score = {
  performance: number
  accessibility: number
  bestPractices: number
  fcpMs: number
  lcpMs: number
  tbtMs: number
  transferKiB: number
  /** The failing accessibility and best-practice audits, by id, to start a fix from. */
  failing: string[]
}

type Page = { name: string; url: string }

await main()

async function main() {
  requireBuiltServer()
  exitCleanlyOnSignals()
  const dataDir = tempDir('sealpost-bench-')
  const server = await startSealpost(dataDir.path, settings.serverLogLevel)
  const pages: Page[] = []
  const scores = new Map<string, Score>()
  let privateBinNote = ''
  try {
    const origin = server.origin
    const api = createApiClient({ baseUrl: origin, manageCookies: true })
    const signedIn = await setupAdministrator(api, {
      username: 'bench-admin',
      displayName: 'Bench Admin',
      email: 'bench-admin@example.test',
      password: 'correct horse battery staple bench',
    })
    // Lighthouse loads a page once per run; a link with room for every load stays openable.
    const { url } = await createLink(api, {
      origin,
      account: signedIn.account,
      text: 'bench: a link for Lighthouse',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      maxViews: 100,
    })
    pages.push(
      { name: 'Public link page `/s/<id>`', url },
      { name: 'Sign-in page', url: `${origin}/` },
    )
    for (const page of pages) scores.set(page.name, await measure(page))
  } catch (error) {
    console.error(`server output:\n${server.output()}`)
    throw error
  } finally {
    await server.stop()
    dataDir.remove()
  }

  const peer = { name: 'PrivateBin 2.0.5 page (baseline)', url: '' }
  if (hasPhp() || process.env.PB_NO_INSTALL !== '1') {
    const pbDir = tempDir('sealpost-bench-pb-')
    const privateBin = await startPrivateBin(pbDir.path, join(pbDir.path, 'requests.log'))
    try {
      peer.url = `${privateBin.origin}/`
      scores.set(peer.name, await measure(peer))
      privateBinNote = `PHP ${phpVersion()}, \`php -S\``
    } finally {
      await privateBin.stop()
      pbDir.remove()
    }
  } else {
    privateBinNote = 'not measured: no php (PB_NO_INSTALL=1)'
  }

  const run = {
    name: NAME,
    ...describeMachine(),
    settings: { ...settings, lighthouse: LIGHTHOUSE },
    targets: TARGETS,
    results: Object.fromEntries(scores),
  }
  const resultTable = table(pages, scores, peer.name)
  console.log(`\n${resultTable}`)
  writeResults(NAME, run, markdownReport(run, resultTable, privateBinNote))
}

/** Runs Lighthouse `settings.runs` times on `page` and keeps the median-performance run. */
async function measure(page: Page): Promise<Score> {
  const runs: Score[] = []
  for (let i = 0; i < settings.runs; i++) {
    const score = await lighthouse(page.url)
    console.log(
      `${page.name} run ${i + 1}: performance ${score.performance}, LCP ${score.lcpMs} ms, ` +
        `TBT ${score.tbtMs} ms, accessibility ${score.accessibility}, ` +
        `best practices ${score.bestPractices}`,
    )
    runs.push(score)
  }
  runs.sort((a, b) => a.performance - b.performance)
  return runs[Math.floor(runs.length / 2)]!
}

/** One Lighthouse run on `url`, in the Chromium named by settings, read from its JSON report. */
async function lighthouse(url: string): Promise<Score> {
  const out = tempDir('sealpost-lighthouse-')
  const report = join(out.path, 'report.json')
  try {
    const result = await runToEnd(
      'npm',
      [
        ...['exec', '--yes', `--package=${LIGHTHOUSE}`, '--', 'lighthouse', url],
        ...['--output=json', `--output-path=${report}`, '--quiet'],
        '--only-categories=performance,accessibility,best-practices',
        '--chrome-flags=--headless --no-sandbox --disable-gpu',
      ],
      600,
      { CHROME_PATH: settings.chromium },
    )
    if (result.code !== 0) {
      throw new Error(`lighthouse exited with ${result.code}:\n${result.stdout}\n${result.stderr}`)
    }
    return readScore(JSON.parse(readFileSync(report, 'utf8')) as LighthouseReport)
  } finally {
    out.remove()
  }
}

type LighthouseReport = {
  runtimeError?: { code: string; message: string }
  categories: Record<
    'performance' | 'accessibility' | 'best-practices',
    { score: number | null; auditRefs: Array<{ id: string; weight: number }> }
  >
  audits: Record<string, { score: number | null; numericValue?: number }>
}

function readScore(report: LighthouseReport): Score {
  if (report.runtimeError) {
    throw new Error(`lighthouse: ${report.runtimeError.code} ${report.runtimeError.message}`)
  }
  const category = (id: keyof LighthouseReport['categories']) =>
    Math.round((report.categories[id].score ?? 0) * 100)
  const audit = (id: string) => report.audits[id]?.numericValue ?? 0
  const failing = (['accessibility', 'best-practices'] as const).flatMap((id) =>
    report.categories[id].auditRefs
      .filter((ref) => ref.weight > 0 && report.audits[ref.id]?.score === 0)
      .map((ref) => ref.id),
  )
  return {
    performance: category('performance'),
    accessibility: category('accessibility'),
    bestPractices: category('best-practices'),
    fcpMs: round(audit('first-contentful-paint'), 0),
    lcpMs: round(audit('largest-contentful-paint'), 0),
    tbtMs: round(audit('total-blocking-time'), 0),
    transferKiB: round(audit('total-byte-weight') / 1024, 1),
    failing,
  }
}

function table(pages: Page[], scores: Map<string, Score>, peerName: string) {
  const peer = scores.get(peerName)
  const pass = (ok: boolean) => (ok ? 'pass' : 'miss')
  const rows = pages.map((page) => {
    const s = scores.get(page.name)!
    const met =
      s.performance >= TARGETS.performance &&
      s.lcpMs <= TARGETS.lcpMs &&
      s.tbtMs <= TARGETS.tbtMs &&
      s.accessibility >= TARGETS.accessibility &&
      s.bestPractices >= TARGETS.bestPractices
    return [
      page.name,
      ...cells(s),
      pass(met),
      peer ? `${ratio(peer.lcpMs, s.lcpMs, 2)}× faster LCP` : '—',
      s.failing.join(', ') || '—',
    ]
  })
  if (peer) rows.push([peerName, ...cells(peer), '—', '1', peer.failing.join(', ') || '—'])
  return markdownTable(
    [
      'Page',
      'Performance',
      'FCP',
      'LCP',
      'TBT',
      'Accessibility',
      'Best practices',
      'Transferred',
      'Targets',
      'Against PrivateBin',
      'Failing audits',
    ],
    rows,
  )
}

function cells(s: Score) {
  return [
    String(s.performance),
    `${s.fcpMs} ms`,
    `${s.lcpMs} ms`,
    `${s.tbtMs} ms`,
    String(s.accessibility),
    String(s.bestPractices),
    `${s.transferKiB} KiB`,
  ]
}

function markdownReport(
  run: ReturnType<typeof describeMachine> & { settings: typeof settings & { lighthouse: string } },
  resultTable: string,
  privateBinNote: string,
) {
  return [
    runLine(run),
    `${run.settings.lighthouse} (mobile form factor, default simulated throttling) in ` +
      `${run.settings.chromium}, headless; the median-performance of ${run.settings.runs} runs ` +
      `per page. Targets: performance >= ${TARGETS.performance}, LCP <= ${TARGETS.lcpMs} ms, ` +
      `TBT <= ${TARGETS.tbtMs} ms, accessibility and best practices ${TARGETS.accessibility}. ` +
      `Sealpost on SQLite, log level ${run.settings.serverLogLevel}; PrivateBin: ${privateBinNote}.`,
    '',
    resultTable,
  ].join('\n')
}
