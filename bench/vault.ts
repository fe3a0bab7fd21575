// Vault benchmark of issue 5 (DESIGN.md §7): *Send copy* of a folder of 1,000
// entries, 10 of them with a 1 MiB attachment, through the BUILT server — the
// sender's client decrypts the subtree and its files from the vault and re-seals
// them under a message key — against raw AES-256-GCM sealing the same bytes in
// the same run. Also the recipient's *Save in user vault* of that copy.
//
//   npm run bench:vault -w bench        (needs `npm run build` first)
//
// BENCH_VAULT_ENTRIES, BENCH_VAULT_FILES and BENCH_VAULT_FILE_MIB change the shape.
import { randomBytes } from 'node:crypto'
import {
  acceptInvite,
  buildCopy,
  bytesSource,
  createApiClient,
  inviteTokenFrom,
  loadItems,
  type OpenVault,
  openMessageDetail,
  openVaults,
  saveItem,
  saveMessageToVault,
  sealItem,
  sendMessage,
  setupAdministrator,
  utf8,
} from '@sealpost/core'
import { exitCleanlyOnSignals, readMemory, tempDir } from './lib/process.js'
import { rawAesGcm } from './lib/raw-aes.js'
import {
  describeMachine,
  markdownTable,
  n,
  ratio,
  round,
  runLine,
  writeResults,
} from './lib/report.js'
import { requireBuiltServer, startSealpost } from './lib/servers.js'
import { common, envNumber } from './lib/settings.js'

const NAME = 'vault'
const settings = {
  entries: Math.round(envNumber('BENCH_VAULT_ENTRIES', 1000)),
  files: Math.round(envNumber('BENCH_VAULT_FILES', 10)),
  fileMiB: envNumber('BENCH_VAULT_FILE_MIB', 1),
}

exitCleanlyOnSignals()
requireBuiltServer()
const machine = describeMachine()
const data = tempDir('sealpost-bench-vault-')
const server = await startSealpost(data.path, common.serverLogLevel)
try {
  const adminApi = createApiClient({ baseUrl: server.origin, manageCookies: true })
  const admin = await setupAdministrator(adminApi, {
    username: 'bench-admin',
    displayName: 'Bench Admin',
    email: 'admin@bench.test',
    password: 'bench admin password long',
  })
  const invite = await adminApi.inviteUser({ username: 'bench-bob', email: 'bob@bench.test' })
  const bobApi = createApiClient({ baseUrl: server.origin, manageCookies: true })
  const bob = await acceptInvite(bobApi, {
    token: inviteTokenFrom(invite.inviteUrl),
    password: 'bench bob password long',
  })
  const userVault = async (api: typeof adminApi, signedIn: typeof admin): Promise<OpenVault> => {
    const vault = (await openVaults(api, signedIn.account, signedIn.session.user)).find(
      (v) => v.kind === 'user',
    )
    if (!vault) throw new Error('no user vault')
    return vault
  }
  const vault = await userVault(adminApi, admin)

  // Build the folder: entries in one batch, then the entries that carry a file.
  const started = performance.now()
  const folder = await saveItem(adminApi, vault, {
    parentId: null,
    kind: 'folder',
    content: { name: 'Servers', type: 'folder', fields: [] },
    baseRevision: 0,
  })
  const plain = settings.entries - settings.files
  const batch = []
  for (let i = 0; i < plain; i++) {
    const id = crypto.randomUUID()
    const content = {
      name: `host-${i}`,
      type: 'credential' as const,
      username: 'root',
      password: randomBytes(18).toString('base64url'),
      url: `https://host-${i}.example.org`,
      notes: 'rotated quarterly',
      fields: [],
      files: [],
    }
    batch.push({
      id,
      parentId: folder.id,
      kind: 'entry' as const,
      payload: await sealItem(
        vault.key,
        { vaultId: vault.id, itemId: id, parentId: folder.id, revision: 1 },
        content,
      ),
      files: [],
    })
  }
  await adminApi.createItems(vault.id, { items: batch })
  const fileBytes = Math.round(settings.fileMiB * 1024 * 1024)
  for (let i = 0; i < settings.files; i++) {
    await saveItem(adminApi, vault, {
      parentId: folder.id,
      kind: 'entry',
      content: { name: `cert-${i}`, type: 'document', fields: [] },
      baseRevision: 0,
      newFiles: [
        bytesSource(
          `cert-${i}.bin`,
          'application/octet-stream',
          new Uint8Array(randomBytes(fileBytes)),
        ),
      ],
    })
  }
  const buildSeconds = (performance.now() - started) / 1000

  // Send copy, end to end: load + decrypt the vault, copy, re-seal, upload, commit.
  const sendStart = performance.now()
  const items = await loadItems(adminApi, vault)
  const loadedMs = performance.now() - sendStart
  const copy = buildCopy(adminApi, vault, items, folder.id)
  const treeBytes = utf8(JSON.stringify(copy.tree)).length
  const sent = await sendMessage(adminApi, {
    me: { id: admin.session.user.id, x25519PublicKey: admin.session.keys.x25519PublicKey },
    account: admin.account,
    recipients: [{ id: bob.session.user.id, x25519PublicKey: bob.session.keys.x25519PublicKey }],
    subject: 'Servers',
    body: 'a copy of the servers folder',
    expiresAt: null,
    highPriority: false,
    files: copy.files,
    tree: copy.tree,
  })
  const sendMs = performance.now() - sendStart

  // The recipient opens it and saves it into their own vault.
  const saveStart = performance.now()
  const opened = await openMessageDetail(
    bob.account,
    bob.session.user.id,
    await bobApi.getMessage(sent.id),
  )
  const bobVault = await userVault(bobApi, bob)
  const saved = await saveMessageToVault(bobApi, {
    messageId: sent.id,
    opened,
    vault: bobVault,
    parentId: null,
    siblingNames: new Set(),
  })
  const saveMs = performance.now() - saveStart

  // Baseline: raw AES-GCM over the same bytes (files + the copied tree) in 64 KiB chunks.
  const totalBytes = settings.files * fileBytes + treeBytes
  const raw = await rawAesGcm(new Uint8Array(randomBytes(totalBytes)), common.durationSeconds)
  const rawSealMs = (raw.encrypt.seconds / raw.encrypt.rounds) * 1000
  const memory = readMemory(server.pid)

  const result = {
    name: NAME,
    machine,
    settings,
    build: { seconds: round(buildSeconds, 2) },
    sendCopy: {
      ms: round(sendMs, 1),
      loadAndDecryptMs: round(loadedMs, 1),
      entries: copy.entryCount,
      files: copy.files.length,
      treeBytes,
      totalBytes,
    },
    saveCopy: { ms: round(saveMs, 1), created: saved.created },
    rawAes: { sealMs: round(rawSealMs, 1), encryptMiBps: raw.encrypt.mibPerSecond },
    ratios: {
      sendCopyToRawSeal: ratio(rawSealMs, sendMs),
      saveToRawSeal: ratio(rawSealMs, saveMs),
    },
    serverMemory: memory,
  }
  const mib = round(totalBytes / 1024 / 1024, 2)
  const table = markdownTable(
    ['Benchmark', 'Result', 'Baseline (same run)', 'Ratio', 'Notes'],
    [
      [
        `Send copy of a folder of ${n(copy.entryCount)} entries with ${settings.files} × ${settings.fileMiB} MiB files`,
        `${n(round(sendMs, 0))} ms`,
        `raw AES-GCM seal of the same ${mib} MiB: ${n(round(rawSealMs, 1))} ms`,
        String(result.ratios.sendCopyToRawSeal),
        `of which loading + decrypting the vault ${n(round(loadedMs, 0))} ms; tree ${n(treeBytes)} bytes`,
      ],
      [
        `Save that copy into the recipient's vault`,
        `${n(round(saveMs, 0))} ms`,
        `same baseline`,
        String(result.ratios.saveToRawSeal),
        `${n(saved.created)} items created in one request, files re-sealed`,
      ],
      ['Server peak RSS', `${memory.peakMiB} MiB`, '—', '—', `now ${memory.currentMiB} MiB`],
    ],
  )
  console.log(table)
  writeResults(
    NAME,
    result,
    [
      runLine(machine),
      `Built server on SQLite; the folder was built in ${round(buildSeconds, 1)} s (not timed below). Ratio = baseline time ÷ our time.`,
      '',
      table,
    ].join('\n'),
  )
} finally {
  await server.stop()
  data.remove()
}
