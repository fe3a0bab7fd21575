// Shareable-link benchmarks of DESIGN.md §7 (issue 6), each against a peer or
// baseline measured in the same run on this machine:
//
//   1. create + open of a 1 KiB text link that burns after one view, n times,
//      sequential and with concurrency 4, through the BUILT server: once with
//      the client's crypto inside the timers (what a user waits for), once
//      with it outside (sealed before, verified after: the servers alone);
//   2. the same against PrivateBin 2.0.5 (../shared/peers/privatebin: php -S
//      and its client.mjs, `--burn`, and `--server-only` for the second mode),
//      when php is there or run.sh can install it; otherwise it says so;
//   3. create and open of a link with a 25 MiB file, against raw AES-256-GCM
//      (WebCrypto) over the same 64 KiB chunks;
//   4. the server's peak RSS at the end (and php's).
//
//   npm run bench            (needs `npm run build` first: it runs the BUILT server)
//   npm run bench:links -w bench
//
// Besides BENCH_DURATION (file rounds) and BENCH_LOG_LEVEL (see lib/settings.ts):
// BENCH_LINK_OPS (n per phase), BENCH_LINK_CONCURRENCY, BENCH_LINK_WARMUP_OPS,
// BENCH_LINK_REPEATS (turns of the server-only runs, best kept),
// BENCH_LINK_FILE_MIB, BENCH_PEER_TIMEOUT (seconds per client.mjs run) and
// BENCH_PRIVATEBIN_DIR. BENCH_SKIP_PRIVATEBIN=1 leaves the peer out.
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import {
  ApiError,
  type ApiClient,
  type Bytes,
  Base64Url,
  bytesSource,
  createApiClient,
  createLink,
  deriveLinkKeys,
  linkContentKey,
  newLinkSecret,
  openLink,
  openLinkContent,
  type PutLinkRequest,
  readLinkFrames,
  sealLinkContent,
  setupAdministrator,
  type SignedIn,
  type FetchLike,
  platformFetch,
} from '@sealpost/core'
import {
  hasPhp,
  phpVersion,
  type PrivateBinClientResult,
  runPrivateBinClient,
  startPrivateBin,
} from './lib/privatebin.js'
import { exitCleanlyOnSignals, type Memory, readMemory, tempDir } from './lib/process.js'
import { type RawAesResult, rawAesGcm, type Throughput, throughput } from './lib/raw-aes.js'
import {
  describeMachine,
  type Machine,
  markdownTable,
  n,
  percentile,
  ratio,
  round,
  runLine,
  writeResults,
} from './lib/report.js'
import { requireBuiltServer, type Running, startSealpost } from './lib/servers.js'
import { common, envNumber } from './lib/settings.js'

const NAME = 'links'

const settings = {
  durationSeconds: common.durationSeconds,
  serverLogLevel: common.serverLogLevel,
  operations: Math.max(1, Math.round(envNumber('BENCH_LINK_OPS', 200))),
  concurrency: Math.max(1, Math.round(envNumber('BENCH_LINK_CONCURRENCY', 4))),
  warmupOperations: Math.round(envNumber('BENCH_LINK_WARMUP_OPS', 20)),
  serverOnlyRepeats: Math.max(1, Math.round(envNumber('BENCH_LINK_REPEATS', 3))),
  textBytes: 1024,
  maxViews: 1,
  fileMiB: envNumber('BENCH_LINK_FILE_MIB', 25),
  peerTimeoutSeconds: envNumber('BENCH_PEER_TIMEOUT', 300),
  skipPrivateBin: process.env.BENCH_SKIP_PRIVATEBIN === '1',
}
const concurrencies = [1, settings.concurrency]
const modes = ['full', 'server-only'] as const
type Mode = (typeof modes)[number]

/** One timed phase: `operations` items, at most `concurrency` at a time. */
type Phase = {
  operations: number
  seconds: number
  perSecond: number
  p50Ms: number
  p99Ms: number
  failed: number
}

type SealpostRun = {
  mode: Mode
  concurrency: number
  create: Phase
  open: Phase
  roundTrip: Phase
  /** server-only: the client's crypto alone, per second (seal before, derive + open after). */
  sealPerSecond?: number
  openCryptoPerSecond?: number
  failures: Record<string, number>
  /** Create+open per second of every repeat of this configuration; this run is the best. */
  repeats: number[]
}

type PeerRun = PrivateBinClientResult & { repeats: number[] }
type PeerResult = { skipped: string } | { php: string; runs: PeerRun[]; memory: Memory }

type FileResult = {
  mib: number
  rounds: number
  /** seal + upload every chunk + PUT of the link. */
  create: Throughput
  /** open (one request, one framed response with every chunk) + decrypt + verify. */
  open: Throughput
  /** Of the open: the one HTTP request until the last byte of the answer arrived. */
  openDownloadSeconds: number
}

const ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,;:-_+=!?()[]{}<>@#%&*/|~'

const inOneDay = () => new Date(Date.now() + 86_400_000).toISOString()

await main()

async function main() {
  requireBuiltServer()
  exitCleanlyOnSignals()
  const started = performance.now()
  console.log(
    `bench links: ${settings.operations} operations per phase, concurrency 1 and ` +
      `${settings.concurrency}, ${settings.textBytes} B text, max views ${settings.maxViews}; ` +
      `${settings.fileMiB} MiB file rounds for up to ${settings.durationSeconds} s\n`,
  )

  // The file and the raw AES-GCM baseline, before any server runs.
  const file = new Uint8Array(randomBytes(Math.round(settings.fileMiB * 2 ** 20)))
  const rawAes = await rawAesGcm(file, settings.durationSeconds)
  console.log(
    `raw AES-GCM, ${settings.fileMiB} MiB in 64 KiB chunks: encrypt ` +
      `${rawAes.encrypt.mibPerSecond} MiB/s, decrypt ${rawAes.decrypt.mibPerSecond} MiB/s`,
  )

  const dataDir = tempDir('sealpost-bench-links-')
  const server = await startSealpost(dataDir.path, settings.serverLogLevel)
  let pb: Peer | undefined
  let peer: PeerResult
  const sealpost: SealpostRun[] = []
  let fileResult: FileResult
  let idleMemory: Memory
  let afterTextMemory: Memory
  let endMemory: Memory
  let linksLeft: number
  try {
    idleMemory = readMemory(server.pid)
    console.log('setting up the administrator…')
    const adminApi = createApiClient({ baseUrl: server.origin, manageCookies: true })
    const admin = await setupAdministrator(adminApi, {
      username: 'bench-admin',
      displayName: 'Bench Admin',
      email: 'bench-admin@example.test',
      password: 'correct horse battery staple bench',
    })
    const ctx = linkContext(server.origin, admin, adminApi.session.cookie ?? '')

    const peerStart = settings.skipPrivateBin
      ? { skipped: 'BENCH_SKIP_PRIVATEBIN=1' }
      : await startPeer()
    if ('skipped' in peerStart) console.log(`PrivateBin: skipped (${peerStart.skipped})`)
    else pb = peerStart
    // Warm-up (JIT, OPcache, SQLite caches, connection pools): untimed, both modes.
    for (const mode of modes) {
      await sealpostRun(ctx, mode, 1, settings.warmupOperations)
      if (pb && settings.warmupOperations > 0) {
        await pb.run(mode, 1, settings.warmupOperations, 'PrivateBin warm-up')
      }
    }
    // Each configuration at Sealpost, then at PrivateBin right after: the two
    // servers are both up but only one is used at a time, and the pair sees
    // about the same load from anything else on the machine.
    // Server-only runs are short and the most sensitive to that load, so they
    // are repeated in turns and each side keeps its best.
    const runs: PeerRun[] = []
    for (const mode of modes) {
      for (const concurrency of concurrencies) {
        const ours: SealpostRun[] = []
        const theirs: PrivateBinClientResult[] = []
        for (let k = 0; k < (mode === 'full' ? 1 : settings.serverOnlyRepeats); k++) {
          const run = await sealpostRun(ctx, mode, concurrency, settings.operations)
          reportSealpost(run)
          ours.push(run)
          if (pb) theirs.push(await pb.run(mode, concurrency, settings.operations))
        }
        sealpost.push(best(ours, (r) => r.roundTrip.perSecond))
        if (pb) runs.push(best(theirs, (r) => r.roundtrip_per_s))
      }
    }
    if (pb) {
      const memory = readMemory(pb.pid)
      console.log(`php peak RSS ${memory.peakMiB} MiB`)
      peer = { php: pb.php, runs, memory }
      await pb.stop()
    } else {
      peer = peerStart as { skipped: string }
    }
    linksLeft = (await ctx.creator.listLinks()).links.length
    afterTextMemory = readMemory(server.pid)
    fileResult = await fileRounds(ctx, file)
    console.log(
      `${fileResult.mib} MiB file link: create ${fileResult.create.mibPerSecond} MiB/s, open ` +
        `${fileResult.open.mibPerSecond} MiB/s (${fileResult.rounds} round(s))`,
    )
    endMemory = readMemory(server.pid)
    console.log(`Sealpost peak RSS ${endMemory.peakMiB} MiB (now ${endMemory.currentMiB} MiB)`)
  } catch (error) {
    console.error(`server output:\n${server.output()}`)
    if (pb) console.error(`php output:\n${pb.output()}`)
    throw error
  } finally {
    await server.stop()
    await pb?.stop()
    dataDir.remove()
  }

  const comparisons = sealpost.map((s) => {
    const p = 'runs' in peer ? peerRunFor(peer, s.mode, s.concurrency) : undefined
    return {
      mode: s.mode,
      concurrency: s.concurrency,
      roundTrip: p ? ratio(s.roundTrip.perSecond, p.roundtrip_per_s) : null,
      create: p ? ratio(s.create.perSecond, p.creates_per_s) : null,
      open: p ? ratio(s.open.perSecond, p.opens_per_s) : null,
    }
  })
  const results = {
    sealpost,
    linksLeftAfterTextRuns: linksLeft,
    privateBin: peer,
    sealpostToPrivateBin: comparisons,
    file: {
      sealpost: fileResult,
      rawAesGcm: rawAes,
      openToRawDecrypt: ratio(fileResult.open.mibPerSecond, rawAes.decrypt.mibPerSecond),
      createToRawEncrypt: ratio(fileResult.create.mibPerSecond, rawAes.encrypt.mibPerSecond),
    },
    serverMemory: { idle: idleMemory, afterTextLinks: afterTextMemory, end: endMemory },
    totalSeconds: round((performance.now() - started) / 1000, 1),
  }
  const run = { name: NAME, ...describeMachine(), settings, results }
  const table = resultTable(results)
  console.log(`\n${table}\n\ntotal ${results.totalSeconds} s`)
  writeResults(NAME, run, markdownSection(run, table))
}

type LinkContext = {
  origin: string
  account: SignedIn['account']
  /** The signed-in creator, and an anonymous visitor with no session. */
  creator: ApiClient
  visitor: ApiClient
}

function linkContext(origin: string, admin: SignedIn, cookie: string): LinkContext {
  return {
    origin,
    account: admin.account,
    creator: createApiClient({
      baseUrl: origin,
      manageCookies: true,
      cookie,
      csrfToken: admin.session.csrfToken,
    }),
    visitor: createApiClient({ baseUrl: origin }),
  }
}

/** Printable ASCII of `size` bytes, random so it does not compress (as client.mjs makes). */
function makeText(size: number, seed: number): string {
  const random = randomBytes(size)
  let text = `#${seed} `
  for (let i = text.length; i < size; i++) text += ALPHABET[random[i]! % ALPHABET.length]
  return text.slice(0, size)
}

/** Runs `fn(i)` for i in [0, count) with at most `concurrency` at a time, timing each. */
async function pool(
  count: number,
  concurrency: number,
  fn: (i: number) => Promise<boolean | void>,
  failures: Record<string, number>,
): Promise<Phase> {
  let next = 0
  let failed = 0
  const latencies: number[] = []
  const worker = async () => {
    while (next < count) {
      const i = next++
      const before = performance.now()
      try {
        // false: nothing to do (its create failed and was counted there).
        if ((await fn(i)) !== false) latencies.push(performance.now() - before)
      } catch (error) {
        failed++
        const code = error instanceof ApiError ? error.code : String(error)
        failures[code] = (failures[code] ?? 0) + 1
        // Something is plainly wrong (a limiter, a bug): stop and say so.
        if (latencies.length === 0 && failed >= 10) {
          throw new Error(`link operations keep failing: ${JSON.stringify(failures)}`, {
            cause: error,
          })
        }
      }
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return {
    operations: latencies.length,
    seconds: round(seconds, 3),
    perSecond: round(latencies.length / seconds, 1),
    p50Ms: round(percentile(latencies, 0.5), 2),
    p99Ms: round(percentile(latencies, 0.99), 2),
    failed,
  }
}

/** A link sealed ahead of time: what createLink would PUT, and the secret to open it later. */
type Sealed = { secret: Bytes; id: string; accessProof: Base64Url; request: PutLinkRequest }

/** Everything createLink does for a text-only link without a passphrase, except the PUT. */
async function sealLink(text: string): Promise<Sealed> {
  const secret = newLinkSecret()
  const keys = await deriveLinkKeys(secret)
  const key = await linkContentKey(keys, null)
  const request: PutLinkRequest = {
    accessVerifier: Base64Url.parse(keys.accessVerifier),
    passphrase: null,
    payload: await sealLinkContent(key, keys.id, { subject: '', text, files: [] }),
    files: [],
    expiresAt: inOneDay(),
    maxViews: settings.maxViews,
    label: null,
  }
  return { secret, id: keys.id, accessProof: Base64Url.parse(keys.accessProof), request }
}

/** What openLink does after its requests: derive the keys from the secret, open, check. */
async function openSealed(sealed: Sealed, body: Uint8Array, text: string) {
  const keys = await deriveLinkKeys(sealed.secret)
  const { head } = readLinkFrames(body)
  const content = await openLinkContent(await linkContentKey(keys, null), keys.id, head.payload)
  if (content.text !== text) throw new Error('the opened text differs from the one sealed')
  if (!head.deleted) throw new Error('a one-view link was not deleted by its view')
}

/**
 * The one public request of openLink for a link without a passphrase: open without a
 * passphrase proof (a link with one would answer passphrase_needed, and the open fail).
 */
function openOnce(ctx: LinkContext, sealed: Sealed): Promise<Uint8Array> {
  return ctx.visitor.openLink(sealed.id, { accessProof: sealed.accessProof })
}

/**
 * Like client.mjs: n creates, n opens of those links, then n create+open round
 * trips of fresh ones. `full` times createLink/openLink as a client calls
 * them; `server-only` seals before and opens after each timer.
 */
async function sealpostRun(
  ctx: LinkContext,
  mode: Mode,
  concurrency: number,
  count: number,
): Promise<SealpostRun> {
  const failures: Record<string, number> = {}
  const texts = Array.from({ length: count }, (_, i) => makeText(settings.textBytes, i))
  const texts3 = Array.from({ length: count }, (_, i) => makeText(settings.textBytes, count + i))
  const create = (text: string) =>
    createLink(ctx.creator, {
      origin: ctx.origin,
      account: ctx.account,
      text,
      expiresAt: inOneDay(),
      maxViews: settings.maxViews,
    })
  const open = async (url: string, text: string) => {
    const opened = await openLink(ctx.visitor, url)
    if (opened.text !== text) throw new Error('the opened text differs from the one sent')
    if (!opened.deleted) throw new Error('a one-view link was not deleted by its view')
  }

  if (mode === 'full') {
    const urls: string[] = []
    const createPhase = await pool(
      count,
      concurrency,
      async (i) => void (urls[i] = (await create(texts[i]!)).url),
      failures,
    )
    const openPhase = await pool(
      count,
      concurrency,
      async (i) => {
        const url = urls[i]
        if (!url) return false
        await open(url, texts[i]!)
      },
      failures,
    )
    const roundTrip = await pool(
      count,
      concurrency,
      async (i) => open((await create(texts3[i]!)).url, texts3[i]!),
      failures,
    )
    return {
      mode,
      concurrency,
      create: createPhase,
      open: openPhase,
      roundTrip,
      failures,
      repeats: [roundTrip.perSecond],
    }
  }

  const cryptoConcurrency = Math.max(concurrency, 8)
  const sealAll = async (list: string[]) => {
    const out: Sealed[] = []
    const phase = await pool(
      list.length,
      cryptoConcurrency,
      async (i) => void (out[i] = await sealLink(list[i]!)),
      failures,
    )
    return { out, phase }
  }
  const openAll = async (sealed: Sealed[], bodies: Uint8Array[], list: string[]) =>
    pool(
      list.length,
      cryptoConcurrency,
      async (i) => {
        const body = bodies[i]
        if (!body) return false
        await openSealed(sealed[i]!, body, list[i]!)
      },
      failures,
    )

  const seal1 = await sealAll(texts)
  const created: boolean[] = []
  const createPhase = await pool(
    count,
    concurrency,
    async (i) => {
      const s = seal1.out[i]!
      await ctx.creator.putLink(s.id, s.request)
      created[i] = true
    },
    failures,
  )
  const bodies1: Uint8Array[] = []
  const openPhase = await pool(
    count,
    concurrency,
    async (i) => {
      if (!created[i]) return false
      bodies1[i] = await openOnce(ctx, seal1.out[i]!)
    },
    failures,
  )
  const open1 = await openAll(seal1.out, bodies1, texts)

  const seal3 = await sealAll(texts3)
  const bodies3: Uint8Array[] = []
  const roundTrip = await pool(
    count,
    concurrency,
    async (i) => {
      const s = seal3.out[i]!
      await ctx.creator.putLink(s.id, s.request)
      bodies3[i] = await openOnce(ctx, s)
    },
    failures,
  )
  await openAll(seal3.out, bodies3, texts3)
  return {
    mode,
    concurrency,
    create: createPhase,
    open: openPhase,
    roundTrip,
    sealPerSecond: seal1.phase.perSecond,
    openCryptoPerSecond: open1.perSecond,
    failures,
    repeats: [roundTrip.perSecond],
  }
}

function reportSealpost(r: SealpostRun) {
  const failed = r.create.failed + r.open.failed + r.roundTrip.failed
  const failures = failed > 0 ? `, ${failed} failed ${JSON.stringify(r.failures)}` : ''
  console.log(
    `Sealpost ${r.mode}, concurrency ${r.concurrency}: create+open ${r.roundTrip.perSecond}/s ` +
      `(create ${r.create.perSecond}/s, open ${r.open.perSecond}/s; round trip p50 ` +
      `${r.roundTrip.p50Ms} ms)${failures}`,
  )
}

/**
 * A fetch that notes when each answer's last byte has arrived (`fetch` itself
 * resolves at the headers), for the download's share of an open.
 */
function downloadTimer() {
  let ms = 0
  const timed: FetchLike = async (input, init) => {
    const before = performance.now()
    const response = await platformFetch(input, init)
    if (!(response instanceof Response) || !response.body) return response
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        flush: () => void (ms += performance.now() - before),
      }),
    )
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    })
  }
  return {
    fetch: timed,
    reset: () => {
      ms = 0
    },
    ms: () => ms,
  }
}

/**
 * Creates a one-view link with `file` and opens it as an anonymous visitor,
 * again and again for BENCH_DURATION seconds (at least once, at most 10
 * times), after a 1 MiB warm-up; every opened file is compared with `file`.
 */
async function fileRounds(ctx: LinkContext, file: Uint8Array): Promise<FileResult> {
  const timer = downloadTimer()
  const visitor = createApiClient({ baseUrl: ctx.origin, fetch: timer.fetch })
  const once = async (bytes: Uint8Array) => {
    const before = performance.now()
    const { url } = await createLink(ctx.creator, {
      origin: ctx.origin,
      account: ctx.account,
      text: 'see the file',
      files: [bytesSource('bench.bin', 'application/octet-stream', bytes)],
      expiresAt: inOneDay(),
      maxViews: 1,
    })
    const created = performance.now()
    timer.reset()
    const opened = await openLink(visitor, url)
    const done = performance.now()
    const received = opened.files[0]?.bytes
    if (!received || !Buffer.from(received).equals(Buffer.from(bytes))) {
      throw new Error('the opened file differs from the one sent')
    }
    return { createMs: created - before, openMs: done - created, downloadMs: timer.ms() }
  }
  await once(file.subarray(0, Math.min(file.length, 2 ** 20)))
  let rounds = 0
  let createMs = 0
  let openMs = 0
  let downloadMs = 0
  const deadline = performance.now() + settings.durationSeconds * 1000
  do {
    const r = await once(file)
    rounds++
    createMs += r.createMs
    openMs += r.openMs
    downloadMs += r.downloadMs
  } while (performance.now() < deadline && rounds < 10)
  const mib = round(file.length / 2 ** 20, 2)
  return {
    mib,
    rounds,
    create: throughput(mib, rounds, createMs),
    open: throughput(mib, rounds, openMs),
    openDownloadSeconds: round(downloadMs / rounds / 1000, 3),
  }
}

type Peer = Running & {
  php: string
  /** client.mjs with `--burn` (one view), in `mode`. */
  run: (
    mode: Mode,
    concurrency: number,
    count: number,
    title?: string,
  ) => Promise<PrivateBinClientResult>
}

/** PrivateBin under php -S, started by its run.sh, which installs php-cli if it is missing. */
async function startPeer(): Promise<Peer | { skipped: string }> {
  const dir = tempDir('sealpost-bench-privatebin-')
  let running: Running
  try {
    console.log('PrivateBin: starting run.sh (it installs php-cli when php is missing)…')
    running = await startPrivateBin(join(dir.path, 'data'), join(dir.path, 'php.log'))
  } catch (error) {
    dir.remove()
    const reason = hasPhp()
      ? `run.sh failed: ${String(error).split('\n').slice(0, 3).join(' ')}`
      : 'php not available'
    return { skipped: reason }
  }
  const php = phpVersion()
  console.log(`PrivateBin 2.0.5 on ${running.origin}, php ${php}`)
  const run = async (mode: Mode, concurrency: number, count: number, title = 'PrivateBin') => {
    const r = await runPrivateBinClient(
      running.origin,
      {
        n: count,
        concurrency,
        size: settings.textBytes,
        burn: settings.maxViews === 1,
        serverOnly: mode === 'server-only',
      },
      settings.peerTimeoutSeconds,
    )
    const errors = r.errors ? `, ${r.errors} errors ${JSON.stringify(r.error_samples)}` : ''
    console.log(
      `${title} ${r.mode}, concurrency ${r.concurrency}: create+open ${r.roundtrip_per_s}/s ` +
        `(create ${r.creates_per_s}/s, open ${r.opens_per_s}/s; round trip p50 ` +
        `${r.latency_ms.roundtrip?.p50 ?? '?'} ms)${errors}`,
    )
    return r
  }
  const stop = async () => {
    await running.stop()
    dir.remove()
  }
  return { ...running, php, run, stop }
}

/** The run with the highest `rate`, with every run's rate in `repeats`. */
function best<T>(list: T[], rate: (run: T) => number): T & { repeats: number[] } {
  const top = list.reduce((a, b) => (rate(b) > rate(a) ? b : a))
  return { ...top, repeats: list.map(rate) }
}

function peerRunFor(
  peer: { runs: PeerRun[] },
  mode: Mode,
  concurrency: number,
): PeerRun | undefined {
  return peer.runs.find((r) => r.mode === mode && r.concurrency === concurrency)
}

type Results = {
  sealpost: SealpostRun[]
  linksLeftAfterTextRuns: number
  privateBin: PeerResult
  file: {
    sealpost: FileResult
    rawAesGcm: RawAesResult
    openToRawDecrypt: number
    createToRawEncrypt: number
  }
  serverMemory: { idle: Memory; afterTextLinks: Memory; end: Memory }
}

function resultTable(r: Results) {
  const peer = r.privateBin
  const skipped = 'skipped' in peer ? `skipped (${peer.skipped})` : undefined
  const rows: string[][] = []
  for (const s of r.sealpost) {
    const p = 'runs' in peer ? peerRunFor(peer, s.mode, s.concurrency) : undefined
    const title =
      (s.mode === 'full'
        ? '1 KiB link create+open, client crypto timed'
        : '1 KiB link create+open, crypto outside the timers') +
      (s.concurrency === 1 ? ', sequential' : `, concurrency ${s.concurrency}`)
    const failed = s.create.failed + s.open.failed + s.roundTrip.failed
    rows.push([
      title,
      `${s.roundTrip.perSecond} ops/s`,
      p ? `PrivateBin ${p.roundtrip_per_s} ops/s` : (skipped ?? '—'),
      p ? `${ratio(s.roundTrip.perSecond, p.roundtrip_per_s, 2)}` : '—',
      `p50 ${s.roundTrip.p50Ms} ms, p99 ${s.roundTrip.p99Ms} ms` +
        (p ? ` (PrivateBin p50 ${p.latency_ms.roundtrip?.p50 ?? '?'} ms)` : '') +
        `; create alone ${s.create.perSecond}/s` +
        (p ? ` (PrivateBin ${p.creates_per_s}/s)` : '') +
        `, open alone ${s.open.perSecond}/s` +
        (p ? ` (PrivateBin ${p.opens_per_s}/s)` : '') +
        (failed ? `; ${failed} failed ${JSON.stringify(s.failures)}` : '') +
        (p?.errors ? `; PrivateBin ${p.errors} errors` : '') +
        (s.repeats.length > 1
          ? `; best of ${s.repeats.length} turns: ${s.repeats.join(' / ')}` +
            (p ? ` (PrivateBin ${p.repeats.join(' / ')})` : '')
          : ''),
    ])
  }
  const seq = r.sealpost.find((s) => s.mode === 'server-only' && s.concurrency === 1)
  const pSeq = 'runs' in peer ? peerRunFor(peer, 'server-only', 1) : undefined
  if (seq?.sealPerSecond !== undefined) {
    rows.push([
      '1 KiB client crypto alone: seal / open',
      `${n(seq.sealPerSecond)} / ${n(seq.openCryptoPerSecond ?? 0)} per s`,
      pSeq
        ? `PrivateBin ${pSeq.encrypt_per_s ?? '?'} / ${pSeq.decrypt_per_s ?? '?'} per s`
        : (skipped ?? '—'),
      pSeq?.encrypt_per_s ? `${ratio(seq.sealPerSecond, pSeq.encrypt_per_s, 1)}` : '—',
      'HKDF-SHA256 + AES-256-GCM vs PBKDF2-SHA256 100,000 iterations + AES-256-GCM, 8 at a time',
    ])
  }
  const f = r.file
  rows.push(
    [
      `${f.sealpost.mib} MiB file link open (one request: download + decrypt)`,
      `${f.sealpost.open.mibPerSecond} MiB/s`,
      `raw AES-GCM decrypt ${f.rawAesGcm.decrypt.mibPerSecond} MiB/s`,
      `${f.openToRawDecrypt}`,
      `${round(f.sealpost.open.seconds / f.sealpost.rounds, 2)} s per open, of which ` +
        `${f.sealpost.openDownloadSeconds} s until the answer's last byte; ` +
        `${f.sealpost.rounds} round(s)`,
    ],
    [
      `${f.sealpost.mib} MiB file link create (seal + upload + PUT)`,
      `${f.sealpost.create.mibPerSecond} MiB/s`,
      `raw AES-GCM encrypt ${f.rawAesGcm.encrypt.mibPerSecond} MiB/s`,
      `${f.createToRawEncrypt}`,
      `${round(f.sealpost.create.seconds / f.sealpost.rounds, 2)} s per create; 64 KiB chunks, 4 in flight`,
    ],
  )
  const m = r.serverMemory
  rows.push([
    'Server peak RSS at the end',
    `${m.end.peakMiB} MiB`,
    'runs' in peer ? `php -S ${peer.memory.peakMiB} MiB` : (skipped ?? '—'),
    'runs' in peer ? `${ratio(m.end.peakMiB, peer.memory.peakMiB, 1)}` : '—',
    `idle ${m.idle.peakMiB} MiB, ${m.afterTextLinks.peakMiB} MiB after the 1 KiB runs; ` +
      `now ${m.end.currentMiB} MiB; ${r.linksLeftAfterTextRuns} links left after the 1 KiB runs`,
  ])
  return markdownTable(['Benchmark', 'Sealpost', 'Baseline (same run)', 'Ratio', 'Notes'], rows)
}

function markdownSection(run: Machine & { results: Results }, table: string) {
  const peer = run.results.privateBin
  return [
    runLine(run),
    `Built server on SQLite, log level ${settings.serverLogLevel}; ${n(settings.operations)} ` +
      `operations per phase after ${settings.warmupOperations} warm-up, one view per link ` +
      `(PrivateBin: \`--burn\`), client in the bench process (PrivateBin: client.mjs, ` +
      `its own Node process). ` +
      ('runs' in peer
        ? `PrivateBin 2.0.5 under \`php -S\` (php ${peer.php}, one process, OPcache on, ` +
          `request log to a file), each configuration right after Sealpost's. `
        : '') +
      'Like client.mjs, each configuration has three phases of n: creates, opens of those ' +
      'links, then create+open round trips of fresh ones (the ops/s shown); the server-only ' +
      `configurations run ${settings.serverOnlyRepeats} turns (Sealpost, PrivateBin, …) and ` +
      'each side keeps its best. ' +
      'A Sealpost create+open is 2 requests (PUT, open), as is a PrivateBin one (POST, GET). ' +
      '"Crypto outside the timers" compares the servers: sealed before each timer, ' +
      'opened and checked after it, as client.mjs `--server-only` does.',
    '',
    table,
  ].join('\n')
}
