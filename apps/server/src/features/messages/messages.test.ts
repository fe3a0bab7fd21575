import {
  CHUNK_BYTES,
  createApiClient,
  createContentKey,
  CryptoError,
  envelopeFacts,
  downloadAttachment,
  fromBase64Url,
  openListSubject,
  openMessageDetail,
  replySubject,
  sealChunk,
  sealMessage,
  toHex,
} from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BusEvent } from '../events/bus.js'
import {
  apiError,
  inviteAndAccept,
  setupAdmin,
  startWithPeople,
} from '../../test-support/accounts.js'
import { expectKeptFromRest, traceLog } from '../../test-support/at-rest.js'
import {
  dialects,
  injectFetch,
  startTestServer,
  type TestServer,
} from '../../test-support/harness.js'
import { type Person, send } from '../../test-support/messages.js'
import { sweep } from '../sweeper/sweeper.js'

const HOUR = 3_600_000

function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i += 65_536) {
    crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65_536)))
  }
  return out
}

async function rowCounts(server: TestServer, messageId: string) {
  const count = async (query: Promise<Array<unknown>>) => (await query).length
  const db = server.db
  return {
    messages: await count(
      db.selectFrom('messages').select('id').where('id', '=', messageId).execute(),
    ),
    recipients: await count(
      db
        .selectFrom('message_recipients')
        .select('user_id')
        .where('message_id', '=', messageId)
        .execute(),
    ),
    blobs: await count(
      db.selectFrom('blobs').select('id').where('message_id', '=', messageId).execute(),
    ),
    chunks: await count(
      db
        .selectFrom('blob_chunks')
        .innerJoin('blobs', 'blobs.id', 'blob_chunks.blob_id')
        .select('blob_chunks.idx')
        .where('blobs.message_id', '=', messageId)
        .execute(),
    ),
  }
}

describe.each(dialects)('messages on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person
  let carol: Person
  const now = () => server.clock.now()

  beforeEach(async () => {
    ;({
      server,
      admin,
      members: [bob, carol],
    } = await startWithPeople(dialect, ['bob', 'carol']))
  })
  afterEach(async () => {
    await server.close()
  })

  it('delivers a sealed message with a file that only the recipient and sender can open', async () => {
    const file = randomBytes(CHUNK_BYTES * 2 + 1234)
    const { id } = await send(
      admin,
      [bob],
      { subject: 'Keys', body: 'line one\nline two', files: [{ name: 'id_rsa', bytes: file }] },
      now,
    )

    const inbox = await bob.api.inbox()
    expect(inbox.items.map((m) => m.id)).toEqual([id])
    expect(inbox.items[0]).toMatchObject({
      readAt: null,
      attachmentCount: 1,
      sender: { username: 'admin' },
    })
    expect(await openListSubject(bob.api, bob.account, bob.session.user.id, inbox.items[0]!)).toBe(
      'Keys',
    )
    expect(await bob.api.unreadCount()).toEqual({ unread: 1, highPriorityUnread: 0 })

    const detail = await bob.api.getMessage(id)
    const opened = await openMessageDetail(bob.account, bob.session.user.id, detail, now())
    expect(opened.subject).toBe('Keys')
    expect(opened.body).toBe('line one\nline two')
    expect(opened.attachments).toMatchObject([{ name: 'id_rsa', size: file.length, chunkCount: 3 }])
    const downloaded = await downloadAttachment(bob.api, id, opened, opened.attachments[0]!)
    expect(Buffer.compare(Buffer.from(downloaded), Buffer.from(file))).toBe(0)

    // The sender reads their own copy; the sent list shows read state per recipient.
    const mine = await openMessageDetail(
      admin.account,
      admin.session.user.id,
      await admin.api.getMessage(id),
      now(),
    )
    expect(mine.body).toBe('line one\nline two')
    expect((await admin.api.sent()).items[0]?.recipients).toMatchObject([
      { username: 'bob', readAt: null },
    ])
    await bob.api.markRead(id)
    expect((await admin.api.sent()).items[0]?.recipients[0]?.readAt).not.toBeNull()
    expect(await bob.api.unreadCount()).toEqual({ unread: 0, highPriorityUnread: 0 })

    // The server holds ciphertext only.
    const stored = await server.db
      .selectFrom('messages')
      .select('envelope')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(stored.envelope).not.toContain('Keys')
    expect(stored.envelope).not.toContain('id_rsa')
  })

  it('answers 404 to a user who is neither sender nor recipient', async () => {
    const { id } = await send(admin, [bob], { files: [{ name: 'f', bytes: randomBytes(10) }] }, now)
    const blobId = (await bob.api.getMessage(id)).envelope.attachments[0]!.blobId
    for (const attempt of [
      () => carol.api.getMessage(id),
      () => carol.api.markRead(id),
      () => carol.api.deleteMessage(id),
      () => carol.api.downloadChunks(id, blobId, 0, 1),
    ]) {
      expect(await apiError(attempt)).toMatchObject({ status: 404, code: 'not_found' })
    }
    expect((await carol.api.inbox()).items).toHaveLength(0)
    expect((await bob.api.getMessage(id)).readAt).toBeNull()
  })

  it('refuses to send without the permissions, checked on the server', async () => {
    await admin.api.updateUser(bob.session.user.id, { canSendAttachments: false })
    const noFiles = await apiError(() =>
      send(bob, [carol], { files: [{ name: 'a', bytes: randomBytes(5) }] }, now),
    )
    expect(noFiles).toMatchObject({ status: 403, code: 'attachments_disabled' })
    await expect(send(bob, [carol], {}, now)).resolves.toBeDefined()

    await admin.api.updateUser(bob.session.user.id, { canSendMessages: false })
    expect(await apiError(() => send(bob, [carol], {}, now))).toMatchObject({
      status: 403,
      code: 'sending_disabled',
    })
    expect((await carol.api.inbox()).items).toHaveLength(1)
  })

  it('commits a retried send exactly once and refuses a different message under the same id', async () => {
    const id = crypto.randomUUID()
    await send(admin, [bob], { id, subject: 'once' }, now)
    const contentKey = await createContentKey()
    const request = await sealMessage({
      draft: {
        id,
        senderId: admin.session.user.id,
        recipientIds: [bob.session.user.id],
        sentAt: now().toISOString(),
        expiresAt: null,
        highPriority: false,
        replyTo: null,
        subject: 'other',
        body: 'other',
        attachments: [],
      },
      contentKey,
      sender: admin.account,
      publicKeys: new Map([
        [admin.session.user.id, admin.session.keys.x25519PublicKey],
        [bob.session.user.id, bob.session.keys.x25519PublicKey],
      ]),
    })
    expect(await apiError(() => admin.api.putMessage(request))).toMatchObject({
      status: 409,
      code: 'message_exists',
    })

    // The very same request twice: one message.
    const again = await sealMessage({
      draft: {
        ...request.envelope,
        tree: null,
        id: crypto.randomUUID(),
        subject: 's',
        body: 'b',
        attachments: [],
      },
      contentKey,
      sender: admin.account,
      publicKeys: new Map([
        [admin.session.user.id, admin.session.keys.x25519PublicKey],
        [bob.session.user.id, bob.session.keys.x25519PublicKey],
      ]),
    })
    await admin.api.putMessage(again)
    await admin.api.putMessage(again)
    expect((await bob.api.inbox()).items.filter((m) => m.id === again.envelope.id)).toHaveLength(1)
    expect((await rowCounts(server, again.envelope.id)).recipients).toBe(2)
  })

  it('stores nothing when the attachment upload is incomplete, and the retry lands whole', async () => {
    const contentKey = await createContentKey()
    const blobId = crypto.randomUUID()
    const file = randomBytes(CHUNK_BYTES + 10)
    await admin.api.uploadChunks(blobId, 0, [
      await sealChunk(contentKey.key, blobId, 0, false, file.slice(0, CHUNK_BYTES)),
    ])
    const draft = {
      id: crypto.randomUUID(),
      senderId: admin.session.user.id,
      recipientIds: [bob.session.user.id],
      sentAt: now().toISOString(),
      expiresAt: null,
      highPriority: false,
      replyTo: null,
      subject: 'partial',
      body: 'b',
      attachments: [
        {
          blobId,
          name: 'f.bin',
          type: 'application/octet-stream',
          size: file.length,
          chunkCount: 2,
        },
      ],
    }
    const publicKeys = new Map([
      [admin.session.user.id, admin.session.keys.x25519PublicKey],
      [bob.session.user.id, bob.session.keys.x25519PublicKey],
    ])
    const request = await sealMessage({ draft, contentKey, sender: admin.account, publicKeys })
    expect(await apiError(() => admin.api.putMessage(request))).toMatchObject({
      status: 400,
      code: 'invalid_input',
    })
    expect(await rowCounts(server, draft.id)).toEqual({
      messages: 0,
      recipients: 0,
      blobs: 0,
      chunks: 0,
    })

    await admin.api.uploadChunks(blobId, 1, [
      await sealChunk(contentKey.key, blobId, 1, true, file.slice(CHUNK_BYTES)),
    ])
    await admin.api.putMessage(request)
    await admin.api.putMessage(request)
    expect(await rowCounts(server, draft.id)).toEqual({
      messages: 1,
      recipients: 2,
      blobs: 1,
      chunks: 2,
    })
    const opened = await openMessageDetail(
      bob.account,
      bob.session.user.id,
      await bob.api.getMessage(draft.id),
      now(),
    )
    expect(
      Buffer.from(
        await downloadAttachment(bob.api, draft.id, opened, opened.attachments[0]!),
      ).equals(Buffer.from(file)),
    ).toBe(true)
  })

  it('refuses a tampered ciphertext, a changed bound field and a forged signature', async () => {
    const { id } = await send(
      admin,
      [bob],
      { subject: 'tamper me', expiresAt: new Date(now().getTime() + HOUR).toISOString() },
      now,
    )
    const original = await server.db
      .selectFrom('messages')
      .select('envelope')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    const envelope = JSON.parse(original.envelope) as Record<string, unknown> & {
      body: { ct: string }
      signature: string
    }
    const flip = (s: string) =>
      s[5] === 'A' ? `${s.slice(0, 5)}B${s.slice(6)}` : `${s.slice(0, 5)}A${s.slice(6)}`
    const variants: Array<[string, Record<string, unknown>, CryptoError['code'][]]> = [
      [
        'ciphertext',
        { ...envelope, body: { ...envelope.body, ct: flip(envelope.body.ct) } },
        ['bad_signature'],
      ],
      [
        'expiry',
        { ...envelope, expiresAt: new Date(now().getTime() + 30 * 24 * HOUR).toISOString() },
        ['bad_signature'],
      ],
      [
        'recipients',
        { ...envelope, recipientIds: [bob.session.user.id, carol.session.user.id] },
        ['bad_signature'],
      ],
      ['signature', { ...envelope, signature: flip(envelope.signature) }, ['bad_signature']],
    ]
    for (const [name, changed, codes] of variants) {
      await server.db
        .updateTable('messages')
        .set({ envelope: JSON.stringify(changed) })
        .where('id', '=', id)
        .execute()
      const detail = await bob.api.getMessage(id)
      const error = await openMessageDetail(bob.account, bob.session.user.id, detail, now()).catch(
        (e: unknown) => e,
      )
      expect(error, name).toBeInstanceOf(CryptoError)
      expect(codes, name).toContain((error as CryptoError).code)
    }
    await server.db
      .updateTable('messages')
      .set({ envelope: original.envelope })
      .where('id', '=', id)
      .execute()
    await expect(
      openMessageDetail(bob.account, bob.session.user.id, await bob.api.getMessage(id), now()),
    ).resolves.toBeDefined()

    // The server keeps serving past the signed expiry (its column moved): the client refuses.
    const later =
      Date.parse((JSON.parse(original.envelope) as { expiresAt: string }).expiresAt) +
      30 * 24 * HOUR
    await server.db
      .updateTable('messages')
      .set({ expires_at: later })
      .where('id', '=', id)
      .execute()
    await server.db
      .updateTable('message_recipients')
      .set({ expires_at: later })
      .where('message_id', '=', id)
      .execute()
    server.clock.advance(HOUR + 1)
    const stale = await bob.api.getMessage(id)
    const refused = await openMessageDetail(bob.account, bob.session.user.id, stale, now()).catch(
      (e: unknown) => e,
    )
    expect((refused as CryptoError).code).toBe('expired')
  })

  it('refuses a message the server attributes to someone else, or swaps for another', async () => {
    const { id } = await send(admin, [bob], { subject: 'from admin' }, now)
    const other = await send(carol, [bob], { subject: 'from carol' }, now)
    await server.db
      .updateTable('messages')
      .set({ sender_id: carol.session.user.id })
      .where('id', '=', id)
      .execute()
    const spoofed = await bob.api.getMessage(id)
    expect(spoofed.sender?.username).toBe('carol')
    const error = await openMessageDetail(bob.account, bob.session.user.id, spoofed, now()).catch(
      (e: unknown) => e,
    )
    expect((error as CryptoError).code).toBe('bad_signature')

    // A server that answers a request for one message with another one.
    const swapping = createApiClient({
      baseUrl: 'http://sealpost.test',
      manageCookies: true,
      cookie: bob.api.session.cookie,
      fetch: (input, init) => injectFetch(server.app)(input.replace(id, other.id), init),
    })
    expect(await apiError(() => swapping.getMessage(id))).toMatchObject({ code: 'bad_response' })
  })

  it('makes an expired message vanish everywhere at once, and the sweep removes every row and chunk', async () => {
    const expiresAt = new Date(now().getTime() + HOUR).toISOString()
    const { id } = await send(
      admin,
      [bob],
      { expiresAt, files: [{ name: 'f', bytes: randomBytes(CHUNK_BYTES + 1) }] },
      now,
    )
    const keep = await send(admin, [bob], { subject: 'keep' }, now)
    const blobId = (await bob.api.getMessage(id)).envelope.attachments[0]!.blobId
    expect(await rowCounts(server, id)).toEqual({ messages: 1, recipients: 2, blobs: 1, chunks: 2 })

    server.clock.advance(HOUR)
    expect((await bob.api.inbox()).items.map((m) => m.id)).toEqual([keep.id])
    expect((await admin.api.sent()).items.map((m) => m.id)).toEqual([keep.id])
    expect(await apiError(() => bob.api.getMessage(id))).toMatchObject({ status: 404 })
    expect(await apiError(() => admin.api.getMessage(id))).toMatchObject({ status: 404 })
    expect(await apiError(() => bob.api.downloadChunks(id, blobId, 0, 1))).toMatchObject({
      status: 404,
    })
    expect(await bob.api.unreadCount()).toEqual({ unread: 1, highPriorityUnread: 0 })

    const result = await sweep(server.app.ctx)
    expect(result).toMatchObject({ expiredMessages: 1, skipped: false })
    expect(await rowCounts(server, id)).toEqual({ messages: 0, recipients: 0, blobs: 0, chunks: 0 })
    const orphanChunks = await server.db
      .selectFrom('blob_chunks')
      .select('blob_id')
      .where('blob_id', '=', blobId)
      .execute()
    expect(orphanChunks).toHaveLength(0)
    expect(await rowCounts(server, keep.id)).toMatchObject({ messages: 1 })
  })

  it('refuses an expiry in the past or beyond the organisation maximum', async () => {
    await admin.api.updateSettings({ maxExpiryDays: 365 })
    const past = await apiError(() =>
      send(admin, [bob], { expiresAt: new Date(now().getTime() - 1000).toISOString() }, now),
    )
    expect(past).toMatchObject({ status: 400, code: 'invalid_input' })
    expect(past.message).toMatch(/past/)
    const far = await apiError(() =>
      send(
        admin,
        [bob],
        { expiresAt: new Date(now().getTime() + 366 * 24 * HOUR).toISOString() },
        now,
      ),
    )
    expect(far.message).toMatch(/365 days/)
    await admin.api.updateSettings({ maxExpiryDays: 400 })
    await expect(
      send(
        admin,
        [bob],
        { expiresAt: new Date(now().getTime() + 366 * 24 * HOUR).toISOString() },
        now,
      ),
    ).resolves.toBeDefined()
    expect((await admin.api.messagingLimits()).maxExpiryDays).toBe(400)
  })

  it('removes abandoned uploads after the staging lifetime of 2 hours', async () => {
    const contentKey = await createContentKey()
    const blobId = crypto.randomUUID()
    await admin.api.uploadChunks(blobId, 0, [
      await sealChunk(contentKey.key, blobId, 0, true, randomBytes(100)),
    ])
    server.clock.advance(2 * HOUR - 1)
    expect((await sweep(server.app.ctx)).staleChunks).toBe(0)
    server.clock.advance(2)
    expect((await sweep(server.app.ctx)).staleChunks).toBe(1)
  })

  it('threads a reply with the original, visible from either message', async () => {
    const original = await send(admin, [bob], { subject: 'Onboarding' }, now)
    const reply = await send(
      bob,
      [admin],
      { subject: replySubject('Onboarding'), replyTo: original.id },
      now,
    )
    expect(replySubject('Re: Onboarding')).toBe('Re: Onboarding')
    const fromReply = await admin.api.getMessage(reply.id)
    expect(envelopeFacts(fromReply.envelope).replyTo).toBe(original.id)
    expect(fromReply.thread.map((t) => t.id)).toEqual([original.id])
    expect((await bob.api.getMessage(original.id)).thread.map((t) => t.id)).toEqual([reply.id])
    const notMine = await send(admin, [carol], {}, now)
    expect(await apiError(() => send(bob, [admin], { replyTo: notMine.id }, now))).toMatchObject({
      status: 400,
    })
  })

  it('lets a recipient remove a message from their inbox and the sender delete it for everyone', async () => {
    const { id } = await send(
      admin,
      [bob, carol],
      { files: [{ name: 'f', bytes: randomBytes(10) }] },
      now,
    )
    await bob.api.deleteMessage(id)
    expect((await bob.api.inbox()).items).toHaveLength(0)
    expect(await apiError(() => bob.api.getMessage(id))).toMatchObject({ status: 404 })
    expect((await carol.api.inbox()).items).toHaveLength(1)
    await admin.api.deleteMessage(id)
    expect((await carol.api.inbox()).items).toHaveLength(0)
    expect(await rowCounts(server, id)).toEqual({ messages: 0, recipients: 0, blobs: 0, chunks: 0 })
  })

  it('keeps unread high-priority messages in the priority list until closed', async () => {
    const urgent = await send(admin, [bob], { highPriority: true, subject: 'Welcome' }, now)
    await send(admin, [bob], { subject: 'normal' }, now)
    expect(await bob.api.unreadCount()).toEqual({ unread: 2, highPriorityUnread: 1 })
    const list = await bob.api.priorityMessages()
    expect(list.items.map((m) => m.envelope.id)).toEqual([urgent.id])
    expect(
      (await openMessageDetail(bob.account, bob.session.user.id, list.items[0]!, now())).subject,
    ).toBe('Welcome')
    await bob.api.markRead(urgent.id)
    expect((await bob.api.priorityMessages()).items).toHaveLength(0)
  })

  it('pages the inbox newest first without gaps or repeats', async () => {
    const ids: string[] = []
    for (let i = 0; i < 57; i++) {
      ids.push((await send(admin, [bob], { subject: `m${i}` }, now)).id)
      server.clock.advance(i % 3 === 0 ? 0 : 1000)
    }
    const first = await bob.api.inbox({ limit: 50 })
    expect(first.items).toHaveLength(50)
    const second = await bob.api.inbox({ limit: 50, before: first.nextCursor ?? '' })
    expect(second.items).toHaveLength(7)
    expect(second.nextCursor).toBeNull()
    const seen = [...first.items, ...second.items].map((m) => m.id)
    expect(new Set(seen).size).toBe(57)
    expect(seen.sort()).toEqual([...ids].sort())
    const times = [...first.items, ...second.items].map((m) => Date.parse(m.sentAt))
    expect(times).toEqual([...times].sort((a, b) => b - a))
    await bob.api.markRead(ids[0]!)
    expect((await bob.api.inbox({ unread: true, limit: 100 })).items).toHaveLength(56)
  })

  it('publishes events only to the users concerned', async () => {
    const seen: Record<string, BusEvent[]> = { admin: [], bob: [], carol: [] }
    for (const [name, person] of [
      ['admin', admin],
      ['bob', bob],
      ['carol', carol],
    ] as const) {
      server.app.ctx.events.subscribe(person.session.user.id, ({ event }) =>
        seen[name]!.push(event),
      )
    }
    const { id } = await send(admin, [bob], { highPriority: true }, now)
    await bob.api.markRead(id)
    await admin.api.deleteMessage(id)
    expect(seen.bob!.map((e) => e.type)).toEqual([
      'message.created',
      'message.read',
      'message.deleted',
    ])
    expect(seen.admin!.map((e) => e.type)).toEqual([
      'message.created',
      'message.read',
      'message.deleted',
    ])
    expect(seen.carol).toEqual([])
    expect(seen.bob![0]).toEqual({ type: 'message.created', id, highPriority: true })
  })
})

describe.each(dialects)('message content at rest on %s', (dialect) => {
  it('never writes the subject, body, file name or file content to the database or the log', async () => {
    const { logger, lines } = traceLog()
    const server = await startTestServer(dialect, { logger })
    try {
      const admin = await setupAdmin(server)
      const bob = await inviteAndAccept(server, admin.api, 'bob')
      const canary = `canary-${toHex(crypto.getRandomValues(new Uint8Array(12)))}`
      const { id } = await send(
        admin,
        [bob],
        {
          subject: `${canary}-subject`,
          body: `${canary}-body`,
          files: [{ name: `${canary}.txt`, bytes: new TextEncoder().encode(`${canary}-file`) }],
        },
        () => server.clock.now(),
      )
      const opened = await openMessageDetail(
        bob.account,
        bob.session.user.id,
        await bob.api.getMessage(id),
        server.clock.now(),
      )
      expect(opened.body).toBe(`${canary}-body`)
      await expectKeptFromRest({
        server,
        dialect,
        lines,
        secrets: [
          ['subject', `${canary}-subject`],
          ['body', `${canary}-body`],
          ['file name', `${canary}.txt`],
          ['file content', `${canary}-file`],
        ],
        inClear: 'ada@example.org',
        encoded: fromBase64Url(admin.session.keys.x25519PublicKey),
        inLog: `/api/messages/${id}`,
      })
    } finally {
      await server.close()
    }
  })
})
