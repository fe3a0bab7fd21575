// Messaging benchmarks of DESIGN.md §7 (issue 4), each with a baseline
// measured in the same run on this machine:
//
//   1. send (1 KiB body, one recipient) + the recipient's inbox fetch, as
//      HTTP requests/s, against a bare Fastify route (autocannon);
//   2. GET /api/messages/inbox, first and deep page, over 1,000,000 inbox
//      rows on SQLite seeded here, against the same keyset query run directly
//      with better-sqlite3;
//   3. a 25 MiB attachment sealed, uploaded, downloaded and opened through the
//      server, against raw AES-256-GCM (WebCrypto) of the same bytes in the
//      same 64 KiB chunks;
//   4. high-priority fan-out latency to 1,000 connected SSE clients, and the
//      server's peak RSS with them connected;
//   5. sealing one 1 KiB message on the client to 1,000 recipients (the most
//      a message may have; target < 0.8 s), against the same message sealed
//      to one recipient.
//
//   npm run bench            (needs `npm run build` first: it runs the BUILT server)
//
// Besides BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_LOG_LEVEL, BENCH_SERVER_FLAGS
// (see lib/settings.ts): BENCH_ROUNDTRIP_CONCURRENCY, BENCH_SEED_MESSAGES,
// BENCH_SEED_RECIPIENTS, BENCH_SQL_RUNS, BENCH_ATTACHMENT_MIB,
// BENCH_FANOUT_CLIENTS, BENCH_FANOUT_ROUNDS, BENCH_FANOUT_TIMEOUT (seconds) and
// BENCH_SEAL_RUNS.
// BENCH_KEEP_DATA=1 keeps the seeded data dir for a look with sqlite3.
import { randomBytes, randomUUID } from 'node:crypto'
import { isDeepStrictEqual } from 'node:util'
import { join } from 'node:path'
import {
  acceptInvite,
  ApiError,
  type ApiClient,
  bytesSource,
  createAccountKeys,
  createApiClient,
  CSRF_HEADER,
  createContentKey,
  downloadAttachment,
  inviteTokenFrom,
  MESSAGE_RECIPIENTS_MAX,
  openMessageDetail,
  sealMessage,
  sendMessage,
  setupAdministrator,
  type SignedIn,
  type FetchLike,
  platformFetch,
  toBase64Url,
} from '@sealpost/core'
import { generateX25519KeyPair } from '@sealpost/core/primitives'
import { encodeCursor, type QueryTiming, timeInboxQueries } from './lib/inbox-sql.js'
import {
  latencyNote,
  load,
  loadEach,
  type LoadResult,
  type OneRequest,
  spareRequests,
} from './lib/load.js'
import {
  exitCleanlyOnSignals,
  type Memory,
  readMemory,
  resetPeakMemory,
  tempDir,
} from './lib/process.js'
import { type RawAesResult, rawAesGcm, type Throughput, throughput } from './lib/raw-aes.js'
import {
  describeMachine,
  markdownTable,
  n,
  percentile,
  ratio,
  round,
  runLine,
  writeResults,
} from './lib/report.js'
import { type SeededUser, type SeedResult, seedDatabase } from './lib/seed.js'
import {
  requireBuiltServer,
  type Running,
  startBareFastify,
  startBareInbox,
  startBareSend,
  startSealpost,
} from './lib/servers.js'
import { common, envNumber } from './lib/settings.js'
import { openStream, Receipts, type Stream } from './lib/sse.js'

const NAME = 'messages'
/** Issue 15: the inbox at 50 connections against a bare route running the same query. */
const INBOX_TARGET = 0.7
/** Issue 15: server-only sends at 50 connections against a bare validate-and-insert route. */
const SEND_TARGET = 0.6
/** Issue 15: one message sealed to 1,000 recipients on the client in under 0.8 s. */
const SEAL_TARGET_MS = 800

const settings = {
  ...common,
  roundTripConcurrency: envNumber('BENCH_ROUNDTRIP_CONCURRENCY', 4),
  bodyBytes: 1024,
  sendRequests: envNumber('BENCH_SEND_REQUESTS', 5000),
  sendWarmup: envNumber('BENCH_SEND_WARMUP', 500),
  seedMessages: envNumber('BENCH_SEED_MESSAGES', 200_000),
  seedRecipients: envNumber('BENCH_SEED_RECIPIENTS', 5),
  deepFraction: 0.95,
  sqlRuns: envNumber('BENCH_SQL_RUNS', 2000),
  attachmentMiB: envNumber('BENCH_ATTACHMENT_MIB', 25),
  fanoutClients: envNumber('BENCH_FANOUT_CLIENTS', 1000),
  fanoutRounds: envNumber('BENCH_FANOUT_ROUNDS', 3),
  fanoutTimeoutSeconds: envNumber('BENCH_FANOUT_TIMEOUT', 10),
  sealRuns: envNumber('BENCH_SEAL_RUNS', 5),
}
const sendLoadOptions = {
  connections: settings.connections,
  warmup: settings.sendWarmup,
  measured: settings.sendRequests,
}

// Fan-out clients are sessions of seeded users, as many users as one message can reach.
const fanoutUsers = Math.max(
  settings.seedRecipients - 1,
  Math.min(MESSAGE_RECIPIENTS_MAX, settings.fanoutClients),
)
const sessionsPerUser = Math.ceil(settings.fanoutClients / fanoutUsers)

type Person = SignedIn & { id: string; cookie: string; csrfToken: string }
type People = { admin: Person; member: Person }

type RoundTripResult = {
  concurrency: number
  operationsPerSecond: number
  /** HTTP requests the operations made, per second (2 per operation without files). */
  requestsPerSecond: number
  meanMs: number
  p99Ms: number
  /** Of the mean, time spent in HTTP calls (the server's share, plus loopback). */
  meanHttpMs: number
  succeeded: number
  /** Sent, but not on the first page of the recipient's inbox right after. */
  missingFromInbox: number
  failed: number
  failures: Record<string, number>
}

type AttachmentResult = {
  mib: number
  rounds: number
  /** seal + upload + commit, then fetch + verify + download + decrypt, of the same file. */
  total: Throughput
  sealUpload: Throughput
  downloadOpen: Throughput
}

type Spread = { p50Ms: number; p99Ms: number; maxMs: number }
type FanoutResult = {
  clients: number
  users: number
  rounds: number
  expected: number
  received: number
  /** Per round: client-side sealing to every recipient, then the PUT. */
  meanSealMs: number
  meanPutMs: number
  /** The same PUT with no stream open: what the server spends on the message itself. */
  meanPutWithoutStreamsMs: number
  fromSendStart: Spread
  fromPutStart: Spread
  /** Negative when the event reached a client before the sender had the PUT's answer. */
  fromPutEnd: Spread
  openSeconds: number
  memory: { beforeStreams: Memory; withStreams: Memory; peakWasReset: boolean }
}

type SealResult = {
  recipients: number
  runs: number
  /** Medians over `runs` after one warm-up: content key, sealed parts, signature, key boxes. */
  medianMs: number
  oneRecipientMedianMs: number
  targetMs: number
  isMet: boolean
}

await main()

async function main() {
  requireBuiltServer()
  exitCleanlyOnSignals()
  const started = performance.now()
  const loadOptions = settings
  console.log(
    `bench messages: ${settings.durationSeconds} s per measurement after ${settings.warmupSeconds} s ` +
      `warm-up, ${settings.connections} connections for throughput runs\n`,
  )

  // Client-side sealing needs no server: measured first, on a quiet process.
  const seal = await sealToMany()
  console.log(
    `sealing 1 KiB to ${n(seal.recipients)} recipients: median ${seal.medianMs} ms ` +
      `(1 recipient ${seal.oneRecipientMedianMs} ms; target < ${seal.targetMs} ms: ` +
      `${seal.isMet ? 'pass' : 'miss'})`,
  )

  // The attachment's bytes and the raw AES-GCM baseline, before any server runs.
  const file = new Uint8Array(randomBytes(settings.attachmentMiB * 2 ** 20))
  const rawAes = await rawAesGcm(file, settings.durationSeconds)
  console.log(
    `raw AES-GCM: ${rawAes.total.mibPerSecond} MiB/s encrypt+decrypt ` +
      `(${rawAes.encrypt.mibPerSecond} / ${rawAes.decrypt.mibPerSecond})`,
  )

  const bare = await startBareFastify()
  let bareLoad: LoadResult
  try {
    bareLoad = await load('bare Fastify GET /', `${bare.origin}/`, loadOptions)
  } finally {
    await bare.stop()
  }

  // Server run 1 on a fresh data dir: it migrates; two real users; round trips and files.
  const dataDir = tempDir('sealpost-bench-messages-')
  let people: People
  let sequential: RoundTripResult
  let concurrent: RoundTripResult
  let attachment: AttachmentResult
  let sends: OneRequest[]
  let serverSend: LoadResult
  let server = await startSealpost(dataDir.path, settings.serverLogLevel)
  try {
    console.log('creating the administrator and a member…')
    people = await createPeople(server.origin)
    await roundTripLoop(server.origin, people, 1, settings.warmupSeconds)
    sequential = await roundTripLoop(server.origin, people, 1, settings.durationSeconds)
    reportRoundTrip(sequential)
    concurrent = await roundTripLoop(
      server.origin,
      people,
      settings.roundTripConcurrency,
      settings.durationSeconds,
    )
    reportRoundTrip(concurrent)
    sends = await presealedSends(people)
    serverSend = await loadEach('server-only send', server.origin, sends, {
      ...sendLoadOptions,
      headers: { cookie: people.member.cookie, [CSRF_HEADER]: people.member.csrfToken },
    })
    attachment = await attachmentRounds(server.origin, people, file, settings.durationSeconds)
    console.log(
      `${settings.attachmentMiB} MiB attachment: ${attachment.total.mibPerSecond} MiB/s over ` +
        `${attachment.rounds} round(s) (seal+upload ${attachment.sealUpload.mibPerSecond}, ` +
        `download+open ${attachment.downloadOpen.mibPerSecond})`,
    )
  } catch (error) {
    console.error(`server output:\n${server.output()}`)
    throw error
  } finally {
    await server.stop()
  }

  // The same sends to a bare route that validates the body and inserts one row.
  const bareSendServer = await startBareSend(join(dataDir.path, 'bare-send.db'))
  let bareSend: LoadResult
  try {
    bareSend = await loadEach('bare send', bareSendServer.origin, sends, sendLoadOptions)
  } finally {
    await bareSendServer.stop()
  }

  // Seed while the server is stopped, then time the raw query on the same file.
  const dbFile = join(dataDir.path, 'sealpost.db')
  console.log(
    `seeding ${n(settings.seedMessages)} messages × ${settings.seedRecipients} recipients, ` +
      `${fanoutUsers} users × ${sessionsPerUser} sessions…`,
  )
  const seed = await seedDatabase(
    dbFile,
    { senderId: people.admin.id, memberId: people.member.id },
    {
      messages: settings.seedMessages,
      recipientsPerMessage: settings.seedRecipients,
      users: fanoutUsers,
      sessionsPerUser,
      deepFraction: settings.deepFraction,
    },
  )
  console.log(
    `seeded ${n(seed.inboxRows + seed.senderRows)} message_recipients rows in ${seed.seconds} s ` +
      `(database ${seed.dbMiB} MiB)`,
  )
  const sql = await timeInboxQueries(dbFile, people.member.id, seed.deepCursor, {
    maxRuns: settings.sqlRuns,
    seconds: settings.durationSeconds,
  })
  console.log(
    `raw SQL inbox: first page p50 ${sql.firstPage.p50Ms} ms, deep page p50 ${sql.deepPage.p50Ms} ms`,
  )

  // The same pages from a bare Fastify route running that query on the same file.
  const bareInboxServer = await startBareInbox(dbFile, people.member.id)
  let bareInbox: InboxLoads
  let bareFirstPage: unknown
  try {
    bareFirstPage = await (await fetch(`${bareInboxServer.origin}/inbox`)).json()
    bareInbox = await inboxLoads(`${bareInboxServer.origin}/inbox`, {}, seed)
  } finally {
    await bareInboxServer.stop()
  }

  // Server run 2 on the seeded database: fan-out first (cleanest memory), then the inbox.
  let fanout: FanoutResult
  let inbox: InboxLoads
  server = await startSealpost(dataDir.path, settings.serverLogLevel)
  try {
    fanout = await fanOut(server, people.admin, seed.seeded)
    console.log(
      `fan-out: ${fanout.received}/${fanout.expected} received; from PUT end p50 ` +
        `${fanout.fromPutEnd.p50Ms} ms, p99 ${fanout.fromPutEnd.p99Ms} ms; ` +
        `peak RSS ${fanout.memory.withStreams.peakMiB} MiB`,
    )
    // The deep page must be a real page, not an error or an empty list.
    const page = await clientFor(server.origin, people.member).inbox({
      before: encodeCursor(seed.deepCursor),
    })
    if (page.items.length === 0) throw new Error('the deep inbox page is empty')
    const firstPage = await fetch(`${server.origin}/api/messages/inbox`, {
      headers: { cookie: people.member.cookie },
    })
    if (!isDeepStrictEqual(await firstPage.json(), bareFirstPage)) {
      throw new Error('the inbox baseline does not answer the same JSON as the server')
    }
    inbox = await inboxLoads(
      `${server.origin}/api/messages/inbox`,
      {
        cookie: people.member.cookie,
      },
      seed,
    )
  } catch (error) {
    console.error(`server output:\n${server.output()}`)
    throw error
  } finally {
    await server.stop()
    dataDir.remove()
  }

  const { seeded: _seeded, ...seedSummary } = seed
  const results = {
    bareFastify: bareLoad,
    roundTrip: {
      sequential,
      concurrent,
      sequentialToBare: ratio(sequential.requestsPerSecond, bareLoad.requestsPerSecond),
      concurrentToBare: ratio(concurrent.requestsPerSecond, bareLoad.requestsPerSecond),
    },
    send: {
      sealpost: serverSend,
      bare: bareSend,
      toBare: ratio(serverSend.requestsPerSecond, bareSend.requestsPerSecond),
    },
    seed: seedSummary,
    inbox: {
      sql,
      ...inbox,
      firstPageP50ToSql: ratio(inbox.firstPage.latency.latencyP50Ms, sql.firstPage.p50Ms, 1),
      deepPageP50ToSql: ratio(inbox.deepPage.latency.latencyP50Ms, sql.deepPage.p50Ms, 1),
      bare: bareInbox,
      firstPageToBare: ratio(
        inbox.firstPage.load.requestsPerSecond,
        bareInbox.firstPage.load.requestsPerSecond,
      ),
      deepPageToBare: ratio(
        inbox.deepPage.load.requestsPerSecond,
        bareInbox.deepPage.load.requestsPerSecond,
      ),
    },
    attachment: {
      sealpost: attachment,
      rawAesGcm: rawAes,
      toRaw: ratio(attachment.total.mibPerSecond, rawAes.total.mibPerSecond),
    },
    fanout,
    seal,
    totalSeconds: round((performance.now() - started) / 1000, 1),
  }
  const run = { name: NAME, ...describeMachine(), settings, results }
  const table = resultTable(results)
  console.log(`\n${table}\n\ntotal ${results.totalSeconds} s`)
  writeResults(NAME, run, markdownSection(run, table, sql))
}

/**
 * Enough `PUT /api/messages/:id` requests for one send load, each a real 1 KiB message from the
 * member to the admin sealed here before any timer starts, so only the servers are measured.
 */
async function presealedSends(people: People): Promise<OneRequest[]> {
  const { admin, member } = people
  const count = settings.sendWarmup + settings.sendRequests + spareRequests(settings.connections)
  const publicKeys = new Map(
    [publicKeyOf(admin), publicKeyOf(member)].map((p) => [p.id, p.x25519PublicKey]),
  )
  const body = 'x'.repeat(settings.bodyBytes)
  const started = performance.now()
  const sends: OneRequest[] = []
  for (let i = 0; i < count; i++) {
    const id = crypto.randomUUID()
    const contentKey = await createContentKey()
    const request = await sealMessage({
      draft: {
        id,
        senderId: member.id,
        recipientIds: [admin.id],
        sentAt: new Date().toISOString(),
        expiresAt: null,
        highPriority: false,
        replyTo: null,
        subject: 'bench server-only send',
        body,
        attachments: [],
        tree: null,
      },
      contentKey,
      sender: member.account,
      publicKeys,
    })
    sends.push({ method: 'PUT', path: `/api/messages/${id}`, body: JSON.stringify(request) })
  }
  console.log(`sealed ${n(count)} sends in ${round((performance.now() - started) / 1000, 1)} s`)
  return sends
}

async function createPeople(origin: string): Promise<People> {
  const adminApi = createApiClient({ baseUrl: origin, manageCookies: true })
  const admin = await setupAdministrator(adminApi, {
    username: 'bench-admin',
    displayName: 'Bench Admin',
    email: 'bench-admin@example.test',
    password: 'correct horse battery staple bench',
  })
  const invite = await adminApi.inviteUser({
    username: 'bench-member',
    email: 'bench-member@example.test',
  })
  const memberApi = createApiClient({ baseUrl: origin, manageCookies: true })
  const member = await acceptInvite(memberApi, {
    token: inviteTokenFrom(invite.inviteUrl),
    password: 'member password for the bench',
    displayName: 'Bench Member',
  })
  const person = (signedIn: SignedIn, api: ApiClient): Person => ({
    ...signedIn,
    id: signedIn.session.user.id,
    cookie: api.session.cookie ?? '',
    csrfToken: signedIn.session.csrfToken,
  })
  return { admin: person(admin, adminApi), member: person(member, memberApi) }
}

/** An API client on `person`'s session (so many can share it), through `fetcher`. */
function clientFor(origin: string, person: Person, fetcher: FetchLike = platformFetch) {
  return createApiClient({
    baseUrl: origin,
    manageCookies: true,
    cookie: person.cookie,
    csrfToken: person.csrfToken,
    fetch: fetcher,
  })
}

function publicKeyOf(p: Person) {
  return { id: p.id, x25519PublicKey: p.session.keys.x25519PublicKey }
}

/**
 * `concurrency` loops of: the member sends a 1 KiB message to the admin, then
 * the admin fetches the first page of their inbox, which must list it.
 */
async function roundTripLoop(
  origin: string,
  people: People,
  concurrency: number,
  seconds: number,
): Promise<RoundTripResult> {
  const { admin, member } = people
  const body = 'x'.repeat(settings.bodyBytes)
  const latencies: number[] = []
  const failures: Record<string, number> = {}
  let failed = 0
  let missing = 0
  let requests = 0
  let httpMs = 0
  const timedFetch: FetchLike = async (input, init) => {
    const before = performance.now()
    try {
      return await platformFetch(input, init)
    } finally {
      requests++
      httpMs += performance.now() - before
    }
  }
  const started = performance.now()
  const deadline = started + seconds * 1000
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const sender = clientFor(origin, member, timedFetch)
      const recipient = clientFor(origin, admin, timedFetch)
      while (performance.now() < deadline) {
        const before = performance.now()
        try {
          const { id } = await sendMessage(sender, {
            me: publicKeyOf(member),
            account: member.account,
            recipients: [publicKeyOf(admin)],
            subject: 'bench round trip',
            body,
            expiresAt: null,
            highPriority: false,
          })
          const page = await recipient.inbox()
          latencies.push(performance.now() - before)
          if (!page.items.some((item) => item.id === id)) missing++
        } catch (error) {
          failed++
          const code = error instanceof ApiError ? error.code : String(error)
          failures[code] = (failures[code] ?? 0) + 1
          if (latencies.length === 0 && failed >= 10) {
            throw new Error(`round trips keep failing: ${JSON.stringify(failures)}`, {
              cause: error,
            })
          }
        }
      }
    }),
  )
  const elapsedSeconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const mean = latencies.reduce((sum, ms) => sum + ms, 0) / Math.max(1, latencies.length)
  return {
    concurrency,
    operationsPerSecond: round(latencies.length / elapsedSeconds, 1),
    requestsPerSecond: round(requests / elapsedSeconds, 1),
    meanMs: round(mean, 2),
    p99Ms: round(percentile(latencies, 0.99), 2),
    meanHttpMs: round(httpMs / Math.max(1, latencies.length + failed), 2),
    succeeded: latencies.length,
    missingFromInbox: missing,
    failed,
    failures,
  }
}

function reportRoundTrip(r: RoundTripResult) {
  const failures = r.failed > 0 ? `, ${r.failed} failed ${JSON.stringify(r.failures)}` : ''
  console.log(
    `send + inbox, concurrency ${r.concurrency}: ${r.operationsPerSecond} ops/s ` +
      `(${r.requestsPerSecond} req/s), mean ${r.meanMs} ms (HTTP ${r.meanHttpMs} ms)${failures}`,
  )
}

/**
 * The member sends `file` to the admin, who fetches, verifies, downloads and
 * decrypts it; repeated for `seconds` (at least once), after a 1 MiB warm-up.
 */
async function attachmentRounds(
  origin: string,
  people: People,
  file: Uint8Array,
  seconds: number,
): Promise<AttachmentResult> {
  const { admin, member } = people
  const sender = clientFor(origin, member)
  const recipient = clientFor(origin, admin)
  const once = async (bytes: Uint8Array) => {
    const before = performance.now()
    const { id } = await sendMessage(sender, {
      me: publicKeyOf(member),
      account: member.account,
      recipients: [publicKeyOf(admin)],
      subject: 'bench attachment',
      body: 'see the file',
      expiresAt: null,
      highPriority: false,
      files: [bytesSource('bench.bin', 'application/octet-stream', bytes)],
    })
    const sent = performance.now()
    const detail = await recipient.getMessage(id)
    const opened = await openMessageDetail(admin.account, admin.id, detail)
    const ref = opened.attachments[0]
    if (!ref) throw new Error('the attachment is missing from the opened message')
    const received = await downloadAttachment(recipient, id, opened, ref)
    const done = performance.now()
    if (!Buffer.from(received).equals(Buffer.from(bytes))) {
      throw new Error('the downloaded attachment differs from the one sent')
    }
    return { upMs: sent - before, downMs: done - sent }
  }
  await once(file.subarray(0, Math.min(file.length, 2 ** 20)))
  let rounds = 0
  let upMs = 0
  let downMs = 0
  const deadline = performance.now() + seconds * 1000
  do {
    const r = await once(file)
    rounds++
    upMs += r.upMs
    downMs += r.downMs
  } while (performance.now() < deadline && rounds < 10)
  const mib = file.length / 2 ** 20
  return {
    mib,
    rounds,
    total: throughput(mib, rounds, upMs + downMs),
    sealUpload: throughput(mib, rounds, upMs),
    downloadOpen: throughput(mib, rounds, downMs),
  }
}

/**
 * Opens `settings.fanoutClients` event streams as the seeded users, then the
 * admin sends high-priority messages to all of them (one warm-up, then
 * `fanoutRounds` measured) and each stream's receipt is timed.
 */
async function fanOut(server: Running, admin: Person, seeded: SeededUser[]): Promise<FanoutResult> {
  const clients = settings.fanoutClients
  const rounds = settings.fanoutRounds
  const timeoutMs = settings.fanoutTimeoutSeconds * 1000
  let putStart = 0
  let putEnd = 0
  const timedFetch: FetchLike = async (input, init) => {
    const isPut = init.method === 'PUT'
    if (isPut) putStart = performance.now()
    try {
      return await platformFetch(input, init)
    } finally {
      if (isPut) putEnd = performance.now()
    }
  }
  const api = clientFor(server.origin, admin, timedFetch)
  const recipients = seeded.map((u) => ({ id: u.id, x25519PublicKey: u.x25519PublicKey }))
  /** One high-priority message to every seeded user; its send start and PUT times. */
  const send = async () => {
    const sendStart = performance.now()
    const { id } = await sendMessage(api, {
      me: publicKeyOf(admin),
      account: admin.account,
      recipients,
      subject: 'bench fan-out',
      body: 'everyone, now',
      expiresAt: null,
      highPriority: true,
    })
    return { id, sendStart, putStart, putEnd }
  }

  // Baseline: the same sends with nobody listening (after one warm-up).
  let putWithoutStreamsMs = 0
  for (let r = 0; r <= rounds; r++) {
    const sent = await send()
    if (r > 0) putWithoutStreamsMs += sent.putEnd - sent.putStart
  }

  const beforeStreams = readMemory(server.pid)
  const peakWasReset = resetPeakMemory(server.pid)
  const receipts = new Receipts()
  const streams: Stream[] = []
  const openStarted = performance.now()
  try {
    for (let first = 0; first < clients; first += 100) {
      const batch = []
      for (let c = first; c < Math.min(clients, first + 100); c++) {
        const user = seeded[c % seeded.length]
        const cookie = user?.cookies[Math.floor(c / seeded.length)]
        if (!cookie) throw new Error(`no seeded session for client ${c}`)
        batch.push(openStream(server.origin, cookie, receipts))
      }
      streams.push(...(await Promise.all(batch)))
    }
    const openSeconds = round((performance.now() - openStarted) / 1000, 2)
    console.log(`fan-out: ${streams.length} event streams open in ${openSeconds} s`)

    const fromSend: number[] = []
    const fromPutStart: number[] = []
    const fromPutEnd: number[] = []
    let sealMs = 0
    let putMs = 0
    let received = 0
    for (let r = 0; r <= rounds; r++) {
      const sent = await send()
      const times = await receipts.waitFor(sent.id, clients, timeoutMs)
      if (r === 0) continue // warm-up
      received += times.length
      sealMs += sent.putStart - sent.sendStart
      putMs += sent.putEnd - sent.putStart
      for (const at of times) {
        fromSend.push(at - sent.sendStart)
        fromPutStart.push(at - sent.putStart)
        fromPutEnd.push(at - sent.putEnd)
      }
    }
    const withStreams = readMemory(server.pid)
    const mean = (ms: number) => round(ms / Math.max(1, rounds), 1)
    return {
      clients,
      users: seeded.length,
      rounds,
      expected: clients * rounds,
      received,
      meanSealMs: mean(sealMs),
      meanPutMs: mean(putMs),
      meanPutWithoutStreamsMs: mean(putWithoutStreamsMs),
      fromSendStart: spread(fromSend),
      fromPutStart: spread(fromPutStart),
      fromPutEnd: spread(fromPutEnd),
      openSeconds,
      memory: { beforeStreams, withStreams, peakWasReset },
    }
  } finally {
    for (const stream of streams) stream.close()
  }
}

/**
 * One 1 KiB message sealed on the client, as `sendMessage` does before its PUT, to as many
 * recipients as a message may have, and to one: median of `settings.sealRuns` after a warm-up.
 */
async function sealToMany(): Promise<SealResult> {
  const sender = { id: randomUUID(), ...(await createAccountKeys(randomUUID(), 'bench-sender')) }
  const recipients = await Promise.all(
    Array.from({ length: MESSAGE_RECIPIENTS_MAX }, async () => ({
      id: randomUUID(),
      x25519PublicKey: toBase64Url((await generateX25519KeyPair()).publicKey),
    })),
  )
  const publicKeys = new Map(recipients.map((r) => [r.id, r.x25519PublicKey]))
  publicKeys.set(sender.id, sender.keys.x25519PublicKey)
  const body = 'x'.repeat(settings.bodyBytes)
  const medianMs = async (recipientIds: string[]) => {
    const samples: number[] = []
    for (let r = 0; r <= settings.sealRuns; r++) {
      const before = performance.now()
      const contentKey = await createContentKey()
      await sealMessage({
        draft: {
          id: randomUUID(),
          senderId: sender.id,
          recipientIds,
          sentAt: new Date().toISOString(),
          expiresAt: null,
          highPriority: false,
          replyTo: null,
          subject: 'bench sealing',
          body,
          attachments: [],
        },
        contentKey,
        sender: sender.account,
        publicKeys,
      })
      if (r > 0) samples.push(performance.now() - before) // r = 0 is the warm-up
    }
    return round(
      percentile(
        samples.sort((a, b) => a - b),
        0.5,
      ),
      1,
    )
  }
  const ids = recipients.map((r) => r.id)
  const oneRecipientMedianMs = await medianMs(ids.slice(0, 1))
  const many = await medianMs(ids)
  return {
    recipients: ids.length,
    runs: settings.sealRuns,
    medianMs: many,
    oneRecipientMedianMs,
    targetMs: SEAL_TARGET_MS,
    isMet: many < SEAL_TARGET_MS,
  }
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    p50Ms: round(percentile(sorted, 0.5), 1),
    p99Ms: round(percentile(sorted, 0.99), 1),
    maxMs: round(sorted.at(-1) ?? 0, 1),
  }
}

type InboxLoads = {
  firstPage: { latency: LoadResult; load: LoadResult }
  deepPage: { latency: LoadResult; load: LoadResult }
}

/** An inbox's first page and one far down, at 1 connection (latency) and at many. */
async function inboxLoads(
  url: string,
  headers: Record<string, string>,
  seed: SeedResult,
): Promise<InboxLoads> {
  const deep = `${url}?before=${encodeCursor(seed.deepCursor)}`
  const run = (title: string, target: string, connections: number) =>
    load(`${url} ${title}, ${connections} connection(s)`, target, {
      ...settings,
      connections,
      headers,
    })
  return {
    firstPage: {
      latency: await run('first page', url, 1),
      load: await run('first page', url, settings.connections),
    },
    deepPage: {
      latency: await run('deep page', deep, 1),
      load: await run('deep page', deep, settings.connections),
    },
  }
}

type Results = {
  bareFastify: LoadResult
  roundTrip: {
    sequential: RoundTripResult
    concurrent: RoundTripResult
    sequentialToBare: number
    concurrentToBare: number
  }
  send: { sealpost: LoadResult; bare: LoadResult; toBare: number }
  seed: Omit<SeedResult, 'seeded'>
  inbox: InboxLoads & {
    sql: { firstPage: QueryTiming; deepPage: QueryTiming }
    /** The same pages from a bare Fastify route running the same query (the baseline). */
    bare: InboxLoads
    firstPageP50ToSql: number
    deepPageP50ToSql: number
    firstPageToBare: number
    deepPageToBare: number
  }
  attachment: { sealpost: AttachmentResult; rawAesGcm: RawAesResult; toRaw: number }
  fanout: FanoutResult
  seal: SealResult
  totalSeconds: number
}

function resultTable(r: Results) {
  const bare = `${n(r.bareFastify.requestsPerSecond)} req/s`
  const trip = (t: RoundTripResult) =>
    `mean ${t.meanMs} ms (HTTP ${t.meanHttpMs} ms), p99 ${t.p99Ms} ms` +
    (t.failed ? `, ${t.failed} failed` : '') +
    (t.missingFromInbox ? `, ${t.missingFromInbox} not in the inbox` : '')
  const s = r.seed
  const i = r.inbox
  const sqlNote = (q: QueryTiming) => `p50 ${q.p50Ms} ms, p99 ${q.p99Ms} ms (${n(q.runs)} runs)`
  const f = r.fanout
  const a = r.attachment
  const c = r.seal
  const spreadNote = (x: Spread) => `p50 ${x.p50Ms} ms, p99 ${x.p99Ms} ms, max ${x.maxMs} ms`
  const rows = [
    ['Bare Fastify `GET /`', bare, '—', '—', '—', `baseline; ${latencyNote(r.bareFastify)}`],
    ...[r.roundTrip.sequential, r.roundTrip.concurrent].map((t, k) => [
      `Send 1 KiB + recipient's inbox, concurrency ${t.concurrency}`,
      `${t.operationsPerSecond} ops/s = ${t.requestsPerSecond} req/s`,
      bare,
      `${k === 0 ? r.roundTrip.sequentialToBare : r.roundTrip.concurrentToBare}`,
      '—',
      `${trip(t)}; client sealing runs in the bench process`,
    ]),
    [
      `Server-only send (pre-sealed 1 KiB, 1 recipient), ${r.send.sealpost.connections} connections`,
      `${n(r.send.sealpost.requestsPerSecond)} req/s`,
      `bare Fastify validate + insert ${n(r.send.bare.requestsPerSecond)} req/s`,
      `${r.send.toBare}`,
      `≥ ${SEND_TARGET}: ${r.send.toBare >= SEND_TARGET ? 'pass' : 'miss'}`,
      `${latencyNote(r.send.sealpost)}; baseline ${latencyNote(r.send.bare)}; ` +
        `${n(settings.sendRequests)} PUTs after ${n(settings.sendWarmup)} warm-up`,
    ],
    [
      'Seeding (better-sqlite3, one transaction)',
      `${s.seconds} s`,
      '—',
      '—',
      '—',
      `${n(s.messages)} messages × ${s.inboxRows / s.messages} recipients = ${n(s.inboxRows)} ` +
        `inbox rows (+${n(s.senderRows)} sender rows), ${n(s.users)} users, ` +
        `${n(s.sessions)} sessions; ${s.dbMiB} MiB`,
    ],
    ...(['firstPage', 'deepPage'] as const).flatMap((page) => {
      const title =
        page === 'firstPage'
          ? 'Inbox first page'
          : `Inbox deep page (row ${n(s.deepCursor.position)} of ${n(s.memberInboxRows)})`
      const sql = i.sql[page]
      const server = i[page]
      const inboxRatio = page === 'firstPage' ? i.firstPageToBare : i.deepPageToBare
      return [
        [
          `${title}, 1 connection`,
          `p50 ${server.latency.latencyP50Ms} ms, p99 ${server.latency.latencyP99Ms} ms`,
          `raw SQL ${sqlNote(sql)}`,
          `${page === 'firstPage' ? i.firstPageP50ToSql : i.deepPageP50ToSql}× (p50)`,
          '—',
          `${n(server.latency.requestsPerSecond)} req/s; 50 items`,
        ],
        [
          `${title}, ${server.load.connections} connections`,
          `${n(server.load.requestsPerSecond)} req/s`,
          `bare Fastify + the same query ${n(i.bare[page].load.requestsPerSecond)} req/s`,
          `${inboxRatio}`,
          `≥ ${INBOX_TARGET}: ${inboxRatio >= INBOX_TARGET ? 'pass' : 'miss'}`,
          `${latencyNote(server.load)}; baseline p50 ${i.bare[page].load.latencyP50Ms} ms, ` +
            `1 connection p50 ${i.bare[page].latency.latencyP50Ms} ms`,
        ],
      ]
    }),
    [
      `${a.sealpost.mib} MiB attachment seal+upload+download+open`,
      `${a.sealpost.total.mibPerSecond} MiB/s`,
      `raw AES-GCM ${a.rawAesGcm.total.mibPerSecond} MiB/s`,
      `${a.toRaw}`,
      '—',
      `seal+upload ${a.sealpost.sealUpload.mibPerSecond} MiB/s, download+open ` +
        `${a.sealpost.downloadOpen.mibPerSecond} MiB/s; ${a.sealpost.rounds} round(s); raw ` +
        `encrypt ${a.rawAesGcm.encrypt.mibPerSecond}, decrypt ${a.rawAesGcm.decrypt.mibPerSecond} MiB/s`,
    ],
    [
      `High-priority fan-out to ${n(f.clients)} SSE clients, from PUT answered`,
      spreadNote(f.fromPutEnd),
      '—',
      '—',
      '—',
      `${n(f.received)} of ${n(f.expected)} received over ${f.rounds} message(s) to ` +
        `${f.users} users; negative = before the sender had the answer`,
    ],
    [
      '… from the send’s start',
      spreadNote(f.fromSendStart),
      '—',
      '—',
      '—',
      `of which sealing to ${f.users + 1} keys ${f.meanSealMs} ms (mean); ` +
        `from PUT start ${spreadNote(f.fromPutStart)}`,
    ],
    [
      `PUT of that message with ${n(f.clients)} streams open`,
      `${f.meanPutMs} ms`,
      `${f.meanPutWithoutStreamsMs} ms with none open`,
      `${ratio(f.meanPutMs, f.meanPutWithoutStreamsMs, 2)}`,
      '—',
      'means; the server writes every event before it answers the PUT',
    ],
    [
      `Server peak RSS with ${n(f.clients)} streams`,
      `${f.memory.withStreams.peakMiB} MiB`,
      `${f.memory.beforeStreams.currentMiB} MiB before`,
      `${ratio(f.memory.withStreams.peakMiB, f.memory.beforeStreams.currentMiB, 2)}`,
      '—',
      (f.memory.peakWasReset ? 'peak reset before opening; ' : 'peak since start; ') +
        `now ${f.memory.withStreams.currentMiB} MiB; opened in ${f.openSeconds} s`,
    ],
    [
      `Seal 1 KiB to ${n(c.recipients)} recipients on the client`,
      `${c.medianMs} ms`,
      `${c.oneRecipientMedianMs} ms to 1 recipient`,
      `${ratio(c.medianMs, c.oneRecipientMedianMs, 1)}`,
      `< ${c.targetMs / 1000} s: ${c.isMet ? 'pass' : 'miss'}`,
      `medians of ${c.runs} runs after a warm-up: content key, sealed parts, signature and ` +
        `one HPKE box per reader (the sender too); no network`,
    ],
  ]
  return markdownTable(
    ['Benchmark', 'Result', 'Baseline (same run)', 'Ratio', 'Target', 'Notes'],
    rows,
  )
}

function markdownSection(
  run: ReturnType<typeof describeMachine>,
  table: string,
  sql: { firstPage: QueryTiming; deepPage: QueryTiming },
) {
  return [
    runLine(run),
    `Built server on SQLite, log level ${settings.serverLogLevel}; client crypto runs in the ` +
      `bench process. autocannon ${settings.durationSeconds} s after ${settings.warmupSeconds} s ` +
      `warm-up; latencies from each response's own time.`,
    '',
    table,
    '',
    'Inbox query plans (EXPLAIN QUERY PLAN, first page / deep page):',
    '',
    '```',
    ...sql.firstPage.plan,
    '---',
    ...sql.deepPage.plan,
    '```',
    ...(sql.deepPage.plan.some((line) => line.includes('sent_at'))
      ? []
      : [
          '',
          'The deep page bounds only `user_id` and `in_inbox` in the index: the cursor is not ' +
            'used as a range, so SQLite walks the inbox from the newest row down to the cursor.',
        ]),
  ].join('\n')
}
