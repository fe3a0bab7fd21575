// Page weight and start-up of the web app (DESIGN.md §7, issue 15), in Debian's Chromium
// against the BUILT server: each page opens in a fresh browser context (empty cache) and the
// JS and CSS it downloads are summed as served (Content-Encoding as negotiated), once as
// Chromium asks (brotli) and once asking for gzip only. Each figure is printed against its
// target with pass/miss; the baseline measured in the same run is the whole app build (every
// chunk in its Vite manifest, gzip), which is what every page downloaded before the split.
//
//   1. the public link page /s/<id> (before Reveal): target <= 60 KiB of JS (gzip);
//   2. the sign-in page: JS + CSS <= 200 KiB, and the time from navigation to a sign-in form
//      that takes input, on loopback and on a throttled mobile network (slow 4G);
//   3. the signed-in app's first page (the vault) opened with a session and an empty cache:
//      JS + CSS <= 250 KiB; and, for information, what signing in itself downloads (OPAQUE
//      and the vault page). Everything the page downloads until the network is idle counts,
//      except the modules the app loads only once the page shows and the browser is idle
//      (`AFTER_FIRST_PAINT`: drag and drop), which are reported beside it.
//
//   npm run bench            (needs `npm run build` first: it runs the BUILT server)
//   npm run bench:page-weight -w bench
//
// BENCH_PAGE_REPEATS (loads of the sign-in page, median kept) and BENCH_LOG_LEVEL tune a run.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Page,
  type Request,
} from '@playwright/test'
import { createApiClient, createLink, setupAdministrator } from '@sealpost/core'
import { root } from './lib/paths.js'
import { exitCleanlyOnSignals, tempDir } from './lib/process.js'
import {
  describeMachine,
  type Machine,
  markdownTable,
  percentile,
  ratio,
  round,
  runLine,
  writeResults,
} from './lib/report.js'
import { requireBuiltServer, startSealpost } from './lib/servers.js'
import { common, envNumber } from './lib/settings.js'

const NAME = 'page-weight'
const KIB = 1024

const settings = {
  serverLogLevel: common.serverLogLevel,
  repeats: Math.max(1, Math.round(envNumber('BENCH_PAGE_REPEATS', 5))),
}

/**
 * Modules the app loads only when the browser is idle after the page shows (not needed to show
 * it), by their source path in the Vite manifest; their files are weighed apart.
 */
const AFTER_FIRST_PAINT = ['src/features/vault/drag-and-drop.ts']

const TARGETS = {
  linkPageJsKiB: 60,
  signInKiB: 200,
  signedInKiB: 250,
}

/** Lighthouse's mobile network: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up. */
const SLOW_4G = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
}

const admin = {
  username: 'bench-admin',
  displayName: 'Bench Admin',
  email: 'bench-admin@example.test',
  password: 'correct horse battery staple bench',
}

/**
 * What one page load downloaded: JS and CSS bytes as transferred, and the encodings seen; the
 * files of AFTER_FIRST_PAINT modules are not in these but in `afterFirstPaint`.
 */
type Weight = {
  jsBytes: number
  cssBytes: number
  files: number
  encodings: string[]
  afterFirstPaint: { bytes: number; files: number }
}

type Results = {
  wholeBuildGzipBytes: number
  linkPage: { brotli: Weight; gzip: Weight }
  signIn: {
    brotli: Weight
    gzip: Weight
    interactiveMs: number[]
    medianInteractiveMs: number
    /** The same on a throttled mobile network (SLOW_4G). */
    slow4gInteractiveMs: number[]
    medianSlow4gInteractiveMs: number
  }
  signedIn: { brotli: Weight; gzip: Weight }
  signingIn: { brotli: Weight; gzip: Weight }
}

await main()

async function main() {
  requireBuiltServer()
  exitCleanlyOnSignals()
  const dataDir = tempDir('sealpost-bench-')
  const server = await startSealpost(dataDir.path, settings.serverLogLevel)
  const browser = await chromium.launch({
    executablePath: process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'],
  })
  let results: Results
  try {
    const origin = server.origin
    const api = createApiClient({ baseUrl: origin, manageCookies: true })
    const signedIn = await setupAdministrator(api, admin)
    const { url: linkUrl } = await createLink(api, {
      origin,
      account: signedIn.account,
      text: 'bench: a 1-view link',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      maxViews: 1,
    })
    const link = new URL(linkUrl)

    const linkPage = {
      brotli: await weigh(browser, origin, 'br', (page) => openLinkPage(page, link)),
      gzip: await weigh(browser, origin, 'gzip', (page) => openLinkPage(page, link)),
    }
    report('public link page /s/<id>', linkPage.gzip, linkPage.brotli, TARGETS.linkPageJsKiB, true)

    const interactiveMs: number[] = []
    const slow4gInteractiveMs: number[] = []
    let signIn: Results['signIn'] | undefined
    for (let i = 0; i < settings.repeats; i++) {
      const brotli = await weigh(browser, origin, 'br', async (page) => {
        interactiveMs.push(await openSignIn(page))
      })
      await weigh(browser, origin, 'br', async (page) => {
        const cdp = await page.context().newCDPSession(page)
        await cdp.send('Network.emulateNetworkConditions', SLOW_4G)
        slow4gInteractiveMs.push(await openSignIn(page))
      })
      signIn ??= {
        brotli,
        gzip: await weigh(browser, origin, 'gzip', (page) => openSignIn(page)),
        interactiveMs,
        medianInteractiveMs: 0,
        slow4gInteractiveMs,
        medianSlow4gInteractiveMs: 0,
      }
    }
    if (!signIn) throw new Error('no sign-in page load')
    signIn.medianInteractiveMs = median(interactiveMs)
    signIn.medianSlow4gInteractiveMs = median(slow4gInteractiveMs)
    report('sign-in page', signIn.gzip, signIn.brotli, TARGETS.signInKiB)
    console.log(
      `  interactive sign-in form after ${signIn.medianInteractiveMs} ms on loopback, ` +
        `${signIn.medianSlow4gInteractiveMs} ms on slow 4G (medians of ${interactiveMs.length})`,
    )

    const signedInBrotli = await signedInWeights(browser, origin, 'br')
    const signedInGzip = await signedInWeights(browser, origin, 'gzip')
    report(
      'signed-in app, first page (vault), empty cache',
      signedInGzip.firstPage,
      signedInBrotli.firstPage,
      TARGETS.signedInKiB,
    )
    console.log(
      `  then, idle after the page shows: ${kib(signedInGzip.firstPage.afterFirstPaint.bytes)} ` +
        `KiB gzip in ${signedInGzip.firstPage.afterFirstPaint.files} file(s) (drag and drop), ` +
        'not counted above',
    )
    console.log(
      `  signing in itself downloads ${kib(total(signedInBrotli.signingIn))} KiB as served ` +
        '(OPAQUE, the vault page)',
    )

    results = {
      wholeBuildGzipBytes: wholeBuildGzip(),
      linkPage,
      signIn,
      signedIn: { brotli: signedInBrotli.firstPage, gzip: signedInGzip.firstPage },
      signingIn: { brotli: signedInBrotli.signingIn, gzip: signedInGzip.signingIn },
    }
  } catch (error) {
    console.error(`server output:\n${server.output()}`)
    throw error
  } finally {
    await browser.close()
    await server.stop()
    dataDir.remove()
  }

  const run = { name: NAME, ...describeMachine(), settings, targets: TARGETS, results }
  const resultTable = table(results)
  console.log(`\n${resultTable}`)
  writeResults(NAME, run, markdownReport(run, resultTable))
}

/**
 * Loads one page in a fresh context (empty cache) that accepts `encoding`, runs `visit`, waits
 * for the network to settle, and sums the JS and CSS it received.
 */
async function weigh(
  browser: Browser,
  origin: string,
  encoding: 'br' | 'gzip',
  visit: (page: Page) => Promise<unknown>,
): Promise<Weight> {
  const context = await browser.newContext({
    baseURL: origin,
    ...(encoding === 'gzip' ? { extraHTTPHeaders: { 'accept-encoding': 'gzip' } } : {}),
  })
  try {
    const page = await context.newPage()
    const weight = watch(page)
    await visit(page)
    await page.waitForLoadState('networkidle')
    return await weight.done()
  } finally {
    await context.close()
  }
}

/** Counts the JS and CSS responses of `page` from now on, by their bytes on the wire. */
function watch(page: Page): { done: () => Promise<Weight> } {
  const later = afterFirstPaintFiles()
  const pending: Promise<{
    kind: 'js' | 'css'
    bytes: number
    encoding: string
    isLater: boolean
  }>[] = []
  // Only what this load asks for: a file the previous page was still fetching (its idle
  // loads) is not this page's.
  const started = new Set<Request>()
  page.on('request', (request) => started.add(request))
  page.on('requestfinished', (request) => {
    if (!started.has(request)) return
    const path = new URL(request.url()).pathname
    const kind = path.endsWith('.js') ? 'js' : path.endsWith('.css') ? 'css' : null
    if (!kind) return
    pending.push(
      (async () => {
        const response = await request.response()
        const sizes = await request.sizes()
        const encoding = (await response?.headerValue('content-encoding')) ?? 'identity'
        return { kind, bytes: sizes.responseBodySize, encoding, isLater: later.has(path) }
      })(),
    )
  })
  return {
    done: async () => {
      const all = await Promise.all(pending)
      const files = all.filter((f) => !f.isLater)
      const afterFirstPaint = all.filter((f) => f.isLater)
      return {
        jsBytes: files.filter((f) => f.kind === 'js').reduce((sum, f) => sum + f.bytes, 0),
        cssBytes: files.filter((f) => f.kind === 'css').reduce((sum, f) => sum + f.bytes, 0),
        files: files.length,
        encodings: [...new Set(files.map((f) => f.encoding))].sort(),
        afterFirstPaint: {
          bytes: afterFirstPaint.reduce((sum, f) => sum + f.bytes, 0),
          files: afterFirstPaint.length,
        },
      }
    },
  }
}

type Manifest = Record<
  string,
  { file: string; css?: string[]; imports?: string[]; dynamicImports?: string[] }
>

function readManifest(): Manifest {
  const dist = join(root, 'apps/web/dist')
  return JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Manifest
}

/**
 * The URL paths of the files AFTER_FIRST_PAINT brings: its chunks and what they import
 * statically (and their CSS), less what the page had loaded already (the entry's and the chunks
 * that import AFTER_FIRST_PAINT, with theirs), which counts where it is first loaded.
 */
function afterFirstPaintFiles(): Set<string> {
  const manifest = readManifest()
  const closure = (sources: string[]) => {
    const seen = new Set<string>()
    const queue = [...sources]
    for (let key = queue.pop(); key !== undefined; key = queue.pop()) {
      if (seen.has(key)) continue
      const chunk = manifest[key]
      if (!chunk) throw new Error(`${key} is not in the Vite manifest`)
      seen.add(key)
      queue.push(...(chunk.imports ?? []))
    }
    return new Set(
      [...seen].flatMap((key) =>
        manifest[key] ? [manifest[key].file, ...(manifest[key].css ?? [])] : [],
      ),
    )
  }
  const importers = Object.keys(manifest).filter((key) =>
    AFTER_FIRST_PAINT.some((source) => manifest[key]?.dynamicImports?.includes(source)),
  )
  const shown = closure(['index.html', ...importers])
  return new Set(
    [...closure(AFTER_FIRST_PAINT)].filter((file) => !shown.has(file)).map((file) => `/${file}`),
  )
}

/** The link page up to its Reveal button (nothing is spent before the visitor presses it). */
async function openLinkPage(page: Page, link: URL) {
  await page.goto(link.pathname + link.hash)
  await page.getByRole('button', { name: 'Reveal secret' }).waitFor()
}

/** Milliseconds from navigation start until the sign-in form's fields take input. */
async function openSignIn(page: Page): Promise<number> {
  await page.goto('/', { waitUntil: 'commit' })
  const username = page.getByLabel('Username')
  await username.waitFor()
  await page.getByRole('button', { name: 'Sign in' }).waitFor()
  // Editable means rendered, enabled and not read-only: the form takes input.
  await page.waitForFunction(() => {
    const input = document.querySelector<HTMLInputElement>('input[name="username"], input')
    return input !== null && !input.disabled
  })
  return page.evaluate(() => Math.round(performance.now()))
}

/**
 * Signs in through the form (what that downloads: OPAQUE and the vault page), then empties the
 * HTTP cache and opens the app again with the session and the stored keys: the first page a
 * returning user gets.
 */
async function signedInWeights(
  browser: Browser,
  origin: string,
  encoding: 'br' | 'gzip',
): Promise<{ signingIn: Weight; firstPage: Weight }> {
  const context: BrowserContext = await browser.newContext({
    baseURL: origin,
    ...(encoding === 'gzip' ? { extraHTTPHeaders: { 'accept-encoding': 'gzip' } } : {}),
  })
  try {
    const page = await context.newPage()
    await openSignIn(page)
    await page.waitForLoadState('networkidle')
    const signingIn = watch(page)
    await page.getByLabel('Username').fill(admin.username)
    await page.getByLabel('Password', { exact: true }).fill(admin.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'My vault', level: 1 }).waitFor({ timeout: 60_000 })
    await page.waitForLoadState('networkidle')
    const signingInWeight = await signingIn.done()

    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.clearBrowserCache')
    const firstPage = watch(page)
    await page.reload()
    await page.getByRole('heading', { name: 'My vault', level: 1 }).waitFor({ timeout: 60_000 })
    await page.waitForLoadState('networkidle')
    return { signingIn: signingInWeight, firstPage: await firstPage.done() }
  } finally {
    await context.close()
  }
}

/**
 * The whole app's JS and CSS (every chunk of vite.config.ts's build, from its manifest), gzip:
 * what every page, the public ones included, downloaded before issue 15 split it.
 */
function wholeBuildGzip(): number {
  const dist = join(root, 'apps/web/dist')
  const manifest = readManifest()
  const files = new Set(
    Object.values(manifest).flatMap((chunk) => [chunk.file, ...(chunk.css ?? [])]),
  )
  return [...files]
    .filter((file) => /\.(js|css)$/.test(file))
    .reduce((sum, file) => sum + gzipSync(readFileSync(join(dist, file)), { level: 9 }).length, 0)
}

function median(values: number[]) {
  return round(
    percentile(
      [...values].sort((a, b) => a - b),
      0.5,
    ),
    0,
  )
}

function total(weight: Weight) {
  return weight.jsBytes + weight.cssBytes
}

function kib(bytes: number) {
  return round(bytes / KIB, 1)
}

function verdict(bytes: number, targetKiB: number) {
  return bytes <= targetKiB * KIB ? 'pass' : 'miss'
}

function report(title: string, gzip: Weight, brotli: Weight, targetKiB: number, jsOnly = false) {
  const measured = jsOnly ? gzip.jsBytes : total(gzip)
  console.log(
    `${title}: ${jsOnly ? 'JS' : 'JS + CSS'} ${kib(measured)} KiB gzip ` +
      `(target <= ${targetKiB} KiB: ${verdict(measured, targetKiB)}); brotli ${kib(
        jsOnly ? brotli.jsBytes : total(brotli),
      )} KiB; ${gzip.files} files, served ${gzip.encodings.join('/')} / ${brotli.encodings.join('/')}`,
  )
}

function table(r: Results) {
  const whole = r.wholeBuildGzipBytes
  const row = (
    name: string,
    gzipBytes: number,
    brotliBytes: number,
    targetKiB: number | null,
    notes: string,
  ) => [
    name,
    `${kib(gzipBytes)} KiB gzip, ${kib(brotliBytes)} KiB brotli`,
    targetKiB === null ? '—' : `<= ${targetKiB} KiB: ${verdict(gzipBytes, targetKiB)}`,
    `${ratio(gzipBytes, whole)}`,
    notes,
  ]
  const rows = [
    [
      'Whole app build, JS + CSS (baseline)',
      `${kib(whole)} KiB gzip`,
      '—',
      '1',
      'what every page downloaded before issue 15 (sent uncompressed then)',
    ],
    row(
      'Public link page `/s/<id>`, JS',
      r.linkPage.gzip.jsBytes,
      r.linkPage.brotli.jsBytes,
      TARGETS.linkPageJsKiB,
      `+ CSS ${kib(r.linkPage.gzip.cssBytes)} KiB; ${r.linkPage.gzip.files} files`,
    ),
    row(
      'Sign-in page, JS + CSS',
      total(r.signIn.gzip),
      total(r.signIn.brotli),
      TARGETS.signInKiB,
      `${r.signIn.gzip.files} files; interactive form after ${r.signIn.medianInteractiveMs} ms ` +
        `on loopback, ${r.signIn.medianSlow4gInteractiveMs} ms on slow 4G ` +
        `(medians of ${r.signIn.interactiveMs.length}, brotli)`,
    ),
    row(
      'Signed-in app, first page (vault), empty cache',
      total(r.signedIn.gzip),
      total(r.signedIn.brotli),
      TARGETS.signedInKiB,
      `${r.signedIn.gzip.files} files; a returning user with a session; + ` +
        `${kib(r.signedIn.gzip.afterFirstPaint.bytes)} KiB gzip in ` +
        `${r.signedIn.gzip.afterFirstPaint.files} file(s) loaded when idle after the page shows ` +
        '(drag and drop), not counted',
    ),
    row(
      'Signing in (after the sign-in page)',
      total(r.signingIn.gzip),
      total(r.signingIn.brotli),
      null,
      'OPAQUE (WebAssembly inlined) and the vault page; informational',
    ),
  ]
  return markdownTable(
    ['Page', 'Downloaded (as served)', 'Target', 'Ratio to baseline', 'Notes'],
    rows,
  )
}

function markdownReport(run: Machine, resultTable: string) {
  return [
    runLine(run),
    `Chromium (/usr/bin/chromium, headless), a fresh context (empty cache) per page; bytes are ` +
      `the response bodies as transferred, once with Chromium's Accept-Encoding (brotli) and ` +
      `once asking for gzip only. Server on SQLite, log level ${settings.serverLogLevel}.`,
    '',
    resultTable,
  ].join('\n')
}
