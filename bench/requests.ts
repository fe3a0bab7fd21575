// Request-a-secret benchmark (issue 14), against a baseline measured in the same run:
//
//   1. answers per second of a 1 KiB text answer through the BUILT server, sequential and with
//      concurrency 4: once with the client's crypto inside the timers (answerRequest as a
//      visitor's browser runs it: view, key check, seal, commit), once with it outside (each
//      answer sealed before its timer: the server's view + commit alone);
//   2. the baseline: creating a 1 KiB text link, sealed before its timer (the server alone),
//      the closest route that stores one sealed item;
//   3. the server's peak RSS at the end.
//
//   npm run bench            (needs `npm run build` first: it runs the BUILT server)
//   npm run bench:requests -w bench
//
// Besides BENCH_LOG_LEVEL (see lib/settings.ts): BENCH_ANSWER_OPS (answers per phase),
// BENCH_ANSWER_CONCURRENCY and BENCH_ANSWER_REPEATS (turns of each phase, best kept).
import { randomBytes } from 'node:crypto'
import {
  answerRequest,
  ApiError,
  type ApiClient,
  Base64Url,
  createApiClient,
  createContentKey,
  createRequest,
  deriveLinkKeys,
  deriveRequestKeys,
  linkContentKey,
  newLinkSecret,
  parseRequestUrl,
  type PutAnswerRequest,
  type PutLinkRequest,
  REQUEST_MAX_ANSWERS,
  sealAnswer,
  sealLinkContent,
  setupAdministrator,
  type SignedIn,
} from '@sealpost/core'
import { exitCleanlyOnSignals, type Memory, readMemory, tempDir } from './lib/process.js'
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

const NAME = 'requests'
const DAY_MS = 86_400_000

const settings = {
  serverLogLevel: common.serverLogLevel,
  operations: Math.max(1, Math.round(envNumber('BENCH_ANSWER_OPS', 200))),
  concurrency: Math.max(1, Math.round(envNumber('BENCH_ANSWER_CONCURRENCY', 4))),
  repeats: Math.max(1, Math.round(envNumber('BENCH_ANSWER_REPEATS', 3))),
  warmupOperations: 20,
  textBytes: 1024,
}
const concurrencies = [1, settings.concurrency]

type Phase = { operations: number; perSecond: number; p50Ms: number; p99Ms: number }
type Row = { what: string; concurrency: number; phase: Phase; repeats: number[] }

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,;:-_+=!?'

/** Printable ASCII of `size` bytes, random so it does not compress. */
function makeText(size: number): string {
  const random = randomBytes(size)
  return Array.from(random, (byte) => ALPHABET[byte % ALPHABET.length]).join('')
}

await main()

async function main() {
  requireBuiltServer()
  exitCleanlyOnSignals()
  const started = performance.now()
  console.log(
    `bench requests: ${settings.operations} answers per phase, concurrency 1 and ` +
      `${settings.concurrency}, ${settings.textBytes} B text, best of ${settings.repeats}\n`,
  )
  const dataDir = tempDir('sealpost-bench-requests-')
  const server = await startSealpost(dataDir.path, settings.serverLogLevel)
  const rows: Row[] = []
  let idleMemory: Memory
  let endMemory: Memory
  try {
    idleMemory = readMemory(server.pid)
    const adminApi = createApiClient({ baseUrl: server.origin, manageCookies: true })
    const admin = await setupAdministrator(adminApi, {
      username: 'bench-admin',
      displayName: 'Bench Admin',
      email: 'bench-admin@example.test',
      password: 'correct horse battery staple bench',
    })
    const ctx: Context = {
      origin: server.origin,
      admin,
      requester: adminApi,
      visitor: createApiClient({ baseUrl: server.origin }),
    }
    // Warm-up (JIT, SQLite caches): untimed.
    await fullAnswers(ctx, 1, settings.warmupOperations)
    await serverOnlyAnswers(ctx, 1, settings.warmupOperations)
    await linkCreates(ctx, 1, settings.warmupOperations)
    for (const concurrency of concurrencies) {
      for (const [what, run] of [
        ['answer, with client crypto', fullAnswers],
        ['answer, server only', serverOnlyAnswers],
        ['link create, server only (baseline)', linkCreates],
      ] as const) {
        const turns: Phase[] = []
        for (let k = 0; k < settings.repeats; k++) {
          turns.push(await run(ctx, concurrency, settings.operations))
        }
        const best = turns.reduce((a, b) => (b.perSecond > a.perSecond ? b : a))
        rows.push({ what, concurrency, phase: best, repeats: turns.map((t) => t.perSecond) })
        console.log(
          `${what}, concurrency ${concurrency}: ${best.perSecond}/s ` +
            `(p50 ${best.p50Ms} ms, p99 ${best.p99Ms} ms)`,
        )
      }
    }
    endMemory = readMemory(server.pid)
    console.log(`Sealpost peak RSS ${endMemory.peakMiB} MiB (now ${endMemory.currentMiB} MiB)`)
  } catch (error) {
    console.error(`server output:\n${server.output()}`)
    throw error
  } finally {
    await server.stop()
    dataDir.remove()
  }

  const perSecond = (what: string, concurrency: number) =>
    rows.find((r) => r.what.startsWith(what) && r.concurrency === concurrency)?.phase.perSecond ?? 0
  const ratios = concurrencies.map((concurrency) => ({
    concurrency,
    serverOnlyAnswerToLinkCreate: ratio(
      perSecond('answer, server only', concurrency),
      perSecond('link create', concurrency),
    ),
    withCryptoToServerOnly: ratio(
      perSecond('answer, with client crypto', concurrency),
      perSecond('answer, server only', concurrency),
    ),
  }))
  const results = {
    rows,
    ratios,
    serverMemory: { idle: idleMemory, end: endMemory },
    totalSeconds: round((performance.now() - started) / 1000, 1),
  }
  const run = { name: NAME, ...describeMachine(), settings, results }
  const table = resultTable(results)
  console.log(`\n${table}\n\ntotal ${results.totalSeconds} s`)
  writeResults(NAME, run, markdownSection(run, table))
}

type Context = {
  origin: string
  admin: SignedIn
  /** The signed-in requester, and an anonymous visitor with no session. */
  requester: ApiClient
  visitor: ApiClient
}

/** Fresh requests that take `count` answers between them (at most 100 each). */
async function requestsFor(ctx: Context, count: number): Promise<string[]> {
  const urls: string[] = []
  for (let left = count; left > 0; left -= REQUEST_MAX_ANSWERS) {
    const { url } = await createRequest(ctx.requester, {
      origin: ctx.origin,
      account: ctx.admin.account,
      me: { displayName: 'Bench Admin', username: 'bench-admin' },
      note: 'bench: a 1 KiB secret',
      expiresAt: new Date(Date.now() + DAY_MS).toISOString(),
      maxAnswers: Math.min(left, REQUEST_MAX_ANSWERS),
      allowFiles: false,
    })
    urls.push(url)
  }
  return urls
}

/** Runs `fn(i)` for i in [0, count) with at most `concurrency` at a time, timing each. */
async function pool(
  count: number,
  concurrency: number,
  fn: (i: number) => Promise<void>,
): Promise<Phase> {
  let next = 0
  const latencies: number[] = []
  const failures: Record<string, number> = {}
  const worker = async () => {
    while (next < count) {
      const i = next++
      const before = performance.now()
      try {
        await fn(i)
        latencies.push(performance.now() - before)
      } catch (error) {
        const code = error instanceof ApiError ? error.code : String(error)
        failures[code] = (failures[code] ?? 0) + 1
      }
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
  const seconds = (performance.now() - started) / 1000
  // Every answer must land: a failure means the figure measures something else.
  if (Object.keys(failures).length > 0) {
    throw new Error(`operations failed: ${JSON.stringify(failures)}`)
  }
  latencies.sort((a, b) => a - b)
  return {
    operations: latencies.length,
    perSecond: round(latencies.length / seconds, 1),
    p50Ms: round(percentile(latencies, 0.5), 2),
    p99Ms: round(percentile(latencies, 0.99), 2),
  }
}

/** As a visitor's browser: view, check the key, seal, commit — all inside the timer. */
async function fullAnswers(ctx: Context, concurrency: number, count: number): Promise<Phase> {
  const urls = await requestsFor(ctx, count)
  const texts = Array.from({ length: count }, () => makeText(settings.textBytes))
  return pool(count, concurrency, async (i) => {
    await answerRequest(ctx.visitor, urls[Math.floor(i / REQUEST_MAX_ANSWERS)]!, {
      text: texts[i]!,
    })
  })
}

/** The same requests with every answer sealed before its timer: the server's view + commit. */
async function serverOnlyAnswers(ctx: Context, concurrency: number, count: number): Promise<Phase> {
  const urls = await requestsFor(ctx, count)
  const sealed: Array<{ requestId: string; answerId: string; body: PutAnswerRequest }> = []
  for (let i = 0; i < count; i++) {
    const { secret, fingerprint } = parseRequestUrl(urls[Math.floor(i / REQUEST_MAX_ANSWERS)]!)
    const keys = await deriveRequestKeys(secret)
    const answerId = crypto.randomUUID()
    const sentAt = new Date()
    const answer = await sealAnswer({
      keys,
      fingerprint,
      requester: {
        id: ctx.admin.session.user.id,
        x25519PublicKey: ctx.admin.session.keys.x25519PublicKey,
      },
      id: answerId,
      sentAt: sentAt.toISOString(),
      expiresAt: new Date(sentAt.getTime() + 30 * DAY_MS).toISOString(),
      text: makeText(settings.textBytes),
      attachments: [],
      contentKey: await createContentKey(),
    })
    sealed.push({
      requestId: keys.id,
      answerId,
      body: { accessProof: Base64Url.parse(keys.accessProof), answer },
    })
  }
  return pool(count, concurrency, async (i) => {
    const { requestId, answerId, body } = sealed[i]!
    await ctx.visitor.viewRequest(requestId, { accessProof: body.accessProof })
    await ctx.visitor.putAnswer(requestId, answerId, body)
  })
}

/** The baseline: PUT of a 1 KiB text link sealed before its timer. */
async function linkCreates(ctx: Context, concurrency: number, count: number): Promise<Phase> {
  const sealed: Array<{ id: string; request: PutLinkRequest }> = []
  for (let i = 0; i < count; i++) {
    const keys = await deriveLinkKeys(newLinkSecret())
    const key = await linkContentKey(keys, null)
    sealed.push({
      id: keys.id,
      request: {
        accessVerifier: Base64Url.parse(keys.accessVerifier),
        passphrase: null,
        payload: await sealLinkContent(key, keys.id, {
          subject: '',
          text: makeText(settings.textBytes),
          files: [],
        }),
        files: [],
        expiresAt: new Date(Date.now() + DAY_MS).toISOString(),
        maxViews: 1,
        label: null,
      },
    })
  }
  const phase = await pool(count, concurrency, async (i) => {
    const { id, request } = sealed[i]!
    await ctx.requester.putLink(id, request)
  })
  // Links are not what this benchmark keeps: delete them untimed.
  for (const { id } of sealed) await ctx.requester.deleteLink(id)
  return phase
}

type Results = {
  rows: Row[]
  ratios: Array<{
    concurrency: number
    serverOnlyAnswerToLinkCreate: number
    withCryptoToServerOnly: number
  }>
  serverMemory: { idle: Memory; end: Memory }
}

function resultTable(results: Results): string {
  return markdownTable(
    ['Operation (1 KiB text)', 'Concurrency', 'Per second', 'p50 ms', 'p99 ms'],
    [
      ...results.rows.map((row) => [
        row.what,
        String(row.concurrency),
        String(row.phase.perSecond),
        String(row.phase.p50Ms),
        String(row.phase.p99Ms),
      ]),
      ...results.ratios.flatMap((r) => [
        [
          'answer ÷ link create, server only',
          String(r.concurrency),
          `${r.serverOnlyAnswerToLinkCreate}×`,
          '',
          '',
        ],
        [
          'with client crypto ÷ server only',
          String(r.concurrency),
          `${r.withCryptoToServerOnly}×`,
          '',
          '',
        ],
      ]),
      [
        'Sealpost peak RSS',
        '',
        `${results.serverMemory.end.peakMiB} MiB`,
        `idle ${results.serverMemory.idle.currentMiB} MiB`,
        '',
      ],
    ],
  )
}

function markdownSection(run: Machine, table: string): string {
  return [
    runLine(run),
    '',
    'Answers to a request for a secret through the built server on SQLite: "with client crypto" ' +
      'is what a visitor waits for (view, key check, HPKE seal, commit); "server only" seals ' +
      'before each timer (view + commit). The baseline creates a 1 KiB link sealed beforehand.',
    '',
    table,
  ].join('\n')
}
