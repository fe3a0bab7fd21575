import {
  answerRequest,
  CHUNK_BYTES,
  downloadAttachment,
  fromBase64Url,
  openAnswerDetail,
  openListSubject,
  openMessageDetail,
  openRequestRow,
  parseRequestUrl,
  toHex,
  viewRequest,
} from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { expectKeptFromRest, traceLog } from '../../test-support/at-rest.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import { type Person, send } from '../../test-support/messages.js'
import {
  createRequestOf,
  fileBytes,
  fileOf,
  HOUR,
  ORIGIN,
  visitor,
} from '../../test-support/requests.js'
import { messageRows } from '../../test-support/rows.js'
import { openEventStream } from '../../test-support/sse.js'
import { sweep } from '../sweeper/sweeper.js'

const canary = (what: string) => `${what}-${toHex(crypto.getRandomValues(new Uint8Array(10)))}`

describe.each(dialects)('requests for a secret on %s', (dialect) => {
  let server: TestServer
  let lines: string[]
  let admin: Person
  let bob: Person
  let carol: Person
  const now = () => server.clock.now()

  beforeEach(async () => {
    const log = traceLog()
    lines = log.lines
    ;({
      server,
      admin,
      members: [bob, carol],
    } = await startWithPeople(dialect, ['bob', 'carol'], {
      logger: log.logger,
      listenNotify: true,
    }))
  })
  afterEach(async () => {
    await server.close()
  })

  it('delivers an anonymous answer with a file to the requester live, and keeps none of it', async () => {
    const url = await server.app.listen({ port: 0, host: '127.0.0.1' })
    const stream = await openEventStream(url, bob.api.session.cookie ?? '')
    try {
      const note = canary('note')
      const text = canary('answer')
      const file = fileBytes(CHUNK_BYTES + 500, 11)
      const request = await createRequestOf(server, bob, { note, label: 'Berlin' })
      expect(request.url).toMatch(new RegExp(`^${ORIGIN}/r/${request.id}#[A-Za-z0-9_-]{64}$`))

      const stranger = visitor(server, '198.51.100.7')
      expect(await viewRequest(stranger, request.url)).toMatchObject({
        id: request.id,
        note,
        from: { displayName: 'bob', username: 'bob' },
        allowFiles: true,
        answersLeft: 1,
      })
      const { id } = await answerRequest(stranger, request.url, {
        text,
        files: [fileOf('router.conf', file)],
        now,
      })
      expect(await stream.next((e) => e.data.id === id)).toMatchObject({
        type: 'message.created',
        data: { type: 'message.created', id, highPriority: false },
      })

      const { items } = await bob.api.inbox()
      expect(items).toHaveLength(1)
      const [row] = items
      expect(row).toMatchObject({ id, origin: 'request', sender: null, attachmentCount: 1 })
      expect(await openListSubject(bob.api, bob.account, bob.session.user.id, row!)).toBe(note)
      const detail = await bob.api.getMessage(id)
      expect(detail.sender).toBeNull()
      // Never shown as a member's signed message.
      await expect(
        openMessageDetail(bob.account, bob.session.user.id, detail, now()),
      ).rejects.toMatchObject({ code: 'bad_signature' })
      const opened = await openAnswerDetail(bob.account, bob.session.user.id, detail, now())
      expect(opened).toMatchObject({
        subject: note,
        body: text,
        request: { id: request.id, note, label: 'Berlin' },
      })
      const [attachment] = opened.attachments
      expect(attachment).toMatchObject({ name: 'router.conf', size: file.length })
      const bytes = await downloadAttachment(bob.api, id, opened, attachment!)
      expect(Buffer.from(bytes).equals(Buffer.from(file))).toBe(true)

      const [summary] = (await bob.api.listRequests()).requests
      expect(summary).toMatchObject({ id: request.id, answers: 1, maxAnswers: 1 })
      expect(await openRequestRow(bob.account, ORIGIN, summary!)).toMatchObject({
        note,
        label: 'Berlin',
        url: request.url,
      })

      const { secret } = parseRequestUrl(request.url)
      await expectKeptFromRest({
        server,
        dialect,
        lines,
        secrets: [
          ['note', note],
          ['answer', text],
          ['file', file.slice(0, 4096)],
          ['file end', file.slice(-4096)],
          ['request secret', secret],
          ['request link', request.url.split('#')[1]!],
        ],
        inClear: 'ada@example.org',
        encoded: fromBase64Url(bob.session.keys.x25519PublicKey),
        inLog: `/api/public/requests/${request.id}/answers/${id}`,
      })
    } finally {
      stream.close()
    }
  })

  it('keeps an answer out of the sent list; removing it deletes it with its files', async () => {
    const request = await createRequestOf(server, bob)
    const { id } = await answerRequest(visitor(server), request.url, {
      text: 'hunter2',
      files: [fileOf('a.bin', fileBytes(100))],
      now,
    })
    expect((await bob.api.sent()).items).toEqual([])
    expect((await bob.api.unreadCount()).unread).toBe(1)
    await bob.api.markRead(id)
    expect((await bob.api.unreadCount()).unread).toBe(0)
    expect((await bob.api.getMessage(id)).readAt).not.toBeNull()
    await bob.api.deleteMessage(id)
    expect(await messageRows(server.db, id)).toEqual({
      messages: 0,
      recipients: 0,
      blobs: 0,
      chunks: 0,
    })
  })

  it('refuses an in-app reply to an answer: its sender has no account', async () => {
    const request = await createRequestOf(server, bob)
    const { id } = await answerRequest(visitor(server), request.url, { text: 'hunter2', now })
    const reply = await apiError(() =>
      send(bob, [carol], { subject: 'Re: VPN', body: 'thanks', replyTo: id }, now),
    )
    expect(reply).toMatchObject({ status: 400, code: 'invalid_input' })
    expect(reply.message).toMatch(/cannot be replied to in-app/)
  })

  it('lets nobody but the requester list, read, email or close a request, or read its answer', async () => {
    const request = await createRequestOf(server, bob)
    const { id } = await answerRequest(visitor(server), request.url, { text: 'hunter2', now })
    expect((await carol.api.listRequests()).requests).toEqual([])
    for (const call of [
      () => carol.api.getRequest(request.id),
      () => carol.api.deleteRequest(request.id),
      () => carol.api.emailRequest(request.id, { to: ['x@example.org'], url: request.url }),
      () => carol.api.getMessage(id),
    ]) {
      expect(await apiError(call)).toMatchObject({ status: 404, code: 'not_found' })
    }
    expect(await bob.api.getRequest(request.id)).toMatchObject({ id: request.id, answers: 1 })
    expect((await carol.api.inbox()).items).toEqual([])
  })

  it('closes a request for new answers; the answers received stay', async () => {
    const request = await createRequestOf(server, bob, { maxAnswers: 5 })
    const { id } = await answerRequest(visitor(server), request.url, { text: 'first', now })
    await bob.api.deleteRequest(request.id)
    expect((await bob.api.listRequests()).requests).toEqual([])
    expect(await apiError(() => bob.api.getRequest(request.id))).toMatchObject({ status: 404 })
    expect(
      await apiError(() => answerRequest(visitor(server), request.url, { text: 'late', now })),
    ).toMatchObject({ status: 404, code: 'not_available' })
    const detail = await bob.api.getMessage(id)
    expect((await openAnswerDetail(bob.account, bob.session.user.id, detail, now())).body).toBe(
      'first',
    )
  })

  it('needs the permission to request secrets; taking it away closes the requests for answers', async () => {
    const request = await createRequestOf(server, bob)
    await admin.api.updateUser(bob.session.user.id, { canRequestSecrets: false })
    expect(await apiError(() => createRequestOf(server, bob))).toMatchObject({
      status: 403,
      code: 'policy_forbids',
    })
    expect(await apiError(() => viewRequest(visitor(server), request.url))).toMatchObject({
      code: 'not_available',
    })
    await admin.api.updateUser(bob.session.user.id, { canRequestSecrets: true })
    expect((await viewRequest(visitor(server), request.url)).answersLeft).toBe(1)
  })

  it('takes an expiry from an hour to 30 days, within the organisation maximum', async () => {
    for (const expiresInMs of [HOUR / 2, 31 * 24 * HOUR]) {
      expect(await apiError(() => createRequestOf(server, bob, { expiresInMs }))).toMatchObject({
        status: 400,
        code: 'invalid_input',
      })
    }
    await createRequestOf(server, bob, { expiresInMs: HOUR })
    await createRequestOf(server, bob, { expiresInMs: 30 * 24 * HOUR })
    await admin.api.updateSettings({ maxExpiryDays: 2 })
    expect(
      await apiError(() => createRequestOf(server, bob, { expiresInMs: 3 * 24 * HOUR })),
    ).toMatchObject({ status: 400 })
  })

  it('sweeps expired requests, and answers once their expiry passes', async () => {
    const request = await createRequestOf(server, bob, { expiresInMs: HOUR })
    const { id } = await answerRequest(visitor(server), request.url, {
      text: 'hunter2',
      files: [fileOf('a.bin', fileBytes(10))],
      now,
    })
    const detail = await bob.api.getMessage(id)
    expect(Date.parse(detail.envelope.expiresAt ?? '')).toBe(now().getTime() + 30 * 24 * HOUR)
    server.clock.advance(HOUR)
    expect(await sweep(server.app.ctx)).toMatchObject({ expiredRequests: 1, expiredMessages: 0 })
    expect((await bob.api.listRequests()).requests).toEqual([])
    server.clock.advance(30 * 24 * HOUR)
    expect(await sweep(server.app.ctx)).toMatchObject({ expiredMessages: 1 })
    expect(await messageRows(server.db, id)).toEqual({
      messages: 0,
      recipients: 0,
      blobs: 0,
      chunks: 0,
    })
  })
})
