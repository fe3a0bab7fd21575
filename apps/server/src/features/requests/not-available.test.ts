import {
  ACCESS_PROOF_HEADER,
  answerRequest,
  createContentKey,
  CryptoError,
  deriveRequestKeys,
  parseRequestUrl,
  sealAnswer,
  toBase64Url,
  viewRequest,
} from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'
import { createRequestOf, fileBytes, fileOf, HOUR, visitor } from '../../test-support/requests.js'

/** Headers that differ between any two answers, whatever they say. */
const VARYING_HEADERS = new Set(['date', 'content-length'])
const randomProof = () => toBase64Url(crypto.getRandomValues(new Uint8Array(32)))
type Route = 'view' | 'upload' | 'answer'

describe.each(dialects)('requests that are not available on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person
  let carol: Person
  let addresses = 0
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

  /** A public call from its own address, so the per-address limit never answers instead. */
  async function call(route: Route, id: string, proof: string) {
    addresses += 1
    const remoteAddress = `198.51.100.${addresses}`
    const headers = { 'x-sealpost-csrf': '1' }
    if (route === 'upload') {
      return server.app.inject({
        method: 'PUT',
        url: `/api/public/requests/${id}/uploads/${crypto.randomUUID()}/chunks/0`,
        headers: {
          ...headers,
          'content-type': 'application/octet-stream',
          [ACCESS_PROOF_HEADER]: proof,
        },
        payload: Buffer.alloc(100, 1),
        remoteAddress,
      })
    }
    const answer = {
      sentAt: now().toISOString(),
      expiresAt: new Date(now().getTime() + 30 * 24 * HOUR).toISOString(),
      body: { v: 1, iv: 'AAAAAAAAAAAAAAAA', ct: 'AAAAAAAAAAAAAAAAAAAAAA' },
      attachments: [],
      key: { enc: 'AAAA', ct: 'AAAA' },
    }
    return server.app.inject({
      method: route === 'view' ? 'POST' : 'PUT',
      url:
        route === 'view'
          ? `/api/public/requests/${id}/view`
          : `/api/public/requests/${id}/answers/${crypto.randomUUID()}`,
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify(
        route === 'view' ? { accessProof: proof } : { accessProof: proof, answer },
      ),
      remoteAddress,
    })
  }

  const proofOf = async (url: string) =>
    (await deriveRequestKeys(parseRequestUrl(url).secret)).accessProof

  it('answers view, upload and answer identically for every request that cannot be answered', async () => {
    const answers: Array<{
      case: string
      route: Route
      status: number
      body: string
      headers: object
    }> = []
    const record = async (name: string, id: string, proof: string) => {
      for (const route of ['view', 'upload', 'answer'] as const) {
        const response = await call(route, id, proof)
        answers.push({
          case: name,
          route,
          status: response.statusCode,
          body: response.body,
          headers: Object.fromEntries(
            Object.entries(response.headers).filter(([header]) => !VARYING_HEADERS.has(header)),
          ),
        })
      }
    }

    const any = await createRequestOf(server, bob)
    await record('unknown id', 'AAAAAAAAAAAAAAAAAAAAAA', await proofOf(any.url))
    await record('wrong secret', any.id, randomProof())

    const usedUp = await createRequestOf(server, bob, { maxAnswers: 1 })
    await answerRequest(visitor(server), usedUp.url, { text: 'the only one', now })
    await record('answered in full', usedUp.id, await proofOf(usedUp.url))

    const closed = await createRequestOf(server, bob)
    await bob.api.deleteRequest(closed.id)
    await record('closed', closed.id, await proofOf(closed.url))

    const ofCarol = await createRequestOf(server, carol)
    await admin.api.updateUser(carol.session.user.id, { status: 'disabled' })
    await record('requester disabled', ofCarol.id, await proofOf(ofCarol.url))

    const expiring = await createRequestOf(server, bob, { expiresInMs: HOUR })
    server.clock.advance(HOUR)
    await record('expired', expiring.id, await proofOf(expiring.url))

    expect(answers).toHaveLength(18)
    const [first] = answers
    expect(first).toMatchObject({ status: 404 })
    expect(JSON.parse(first!.body)).toEqual({
      error: { code: 'not_available', message: 'This request is not available' },
    })
    for (const answer of answers) {
      expect(
        { ...answer, case: first!.case, route: first!.route },
        `${answer.case} ${answer.route}`,
      ).toEqual(first)
    }
  })

  it('refuses answers beyond the maximum, also when they race for the last place', async () => {
    const request = await createRequestOf(server, bob, { maxAnswers: 2 })
    await answerRequest(visitor(server), request.url, { text: 'one', now })
    const racing = await Promise.allSettled(
      ['two', 'three', 'four'].map((text, i) =>
        answerRequest(visitor(server, `203.0.113.${i}`), request.url, { text, now }),
      ),
    )
    expect(racing.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const refused of racing.filter((r) => r.status === 'rejected')) {
      expect(refused.reason).toMatchObject({ status: 404, code: 'not_available' })
    }
    expect((await bob.api.inbox()).items).toHaveLength(2)
    expect((await bob.api.getRequest(request.id)).answers).toBe(2)
  })

  it('makes the visitor refuse to seal when the server serves another key than the link names', async () => {
    const request = await createRequestOf(server, bob)
    // The server swaps in a key it holds the private half of (here: carol's) for bob's.
    const row = await server.db
      .selectFrom('users')
      .select('account_keys')
      .where('id', '=', bob.session.user.id)
      .executeTakeFirstOrThrow()
    const keys = JSON.parse(row.account_keys ?? '{}') as Record<string, unknown>
    await server.db
      .updateTable('users')
      .set({
        account_keys: JSON.stringify({
          ...keys,
          x25519PublicKey: carol.session.keys.x25519PublicKey,
        }),
      })
      .where('id', '=', bob.session.user.id)
      .execute()
    const stranger = visitor(server)
    for (const attempt of [
      () => viewRequest(stranger, request.url),
      () =>
        answerRequest(stranger, request.url, {
          text: 'the password is hunter2',
          files: [fileOf('secret.txt', fileBytes(50))],
          now,
        }),
    ]) {
      const error = await attempt().then(
        () => undefined,
        (thrown: unknown) => thrown,
      )
      expect(error).toBeInstanceOf(CryptoError)
      expect(error).toMatchObject({ code: 'bad_key' })
    }
    const staged = await server.db.selectFrom('staged_chunks').select('blob_id').execute()
    expect(staged).toEqual([])
    expect((await carol.api.inbox()).items).toEqual([])
    expect((await bob.api.getRequest(request.id)).answers).toBe(0)
  })

  it('rate-limits guesses per request with 429', async () => {
    const request = await createRequestOf(server, bob)
    for (let i = 0; i < 30; i++) {
      expect((await call('view', request.id, randomProof())).statusCode).toBe(404)
    }
    const limited = await call('view', request.id, await proofOf(request.url))
    expect(limited.statusCode).toBe(429)
    expect(limited.json<{ error: { message: string } }>().error.message).toMatch(
      /^too many attempts to answer requests; try again in \d+ s$/,
    )
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
  })

  it('rate-limits guesses per address across requests with 429', async () => {
    const requests = await Promise.all([0, 1, 2].map(() => createRequestOf(server, bob)))
    const guess = (id: string) =>
      server.app.inject({
        method: 'POST',
        url: `/api/public/requests/${id}/view`,
        headers: { 'x-sealpost-csrf': '1', 'content-type': 'application/json' },
        payload: JSON.stringify({ accessProof: randomProof() }),
        remoteAddress: '192.0.2.1',
      })
    for (let i = 0; i < 60; i++) {
      expect((await guess(requests[i % 3]!.id)).statusCode).toBe(404)
    }
    expect((await guess(requests[0]!.id)).statusCode).toBe(429)
    // Another address is not held back.
    expect((await viewRequest(visitor(server, '192.0.2.2'), requests[1]!.url)).answersLeft).toBe(1)
  })

  it('refuses an answer that does not keep the answer lifetime or the clock', async () => {
    const request = await createRequestOf(server, bob)
    const { secret, fingerprint } = parseRequestUrl(request.url)
    const keys = await deriveRequestKeys(secret)
    const put = async (sentAt: Date, lifetimeMs: number) => {
      const id = crypto.randomUUID()
      const answer = await sealAnswer({
        keys,
        fingerprint,
        requester: {
          id: bob.session.user.id,
          x25519PublicKey: bob.session.keys.x25519PublicKey,
        },
        id,
        sentAt: sentAt.toISOString(),
        expiresAt: new Date(sentAt.getTime() + lifetimeMs).toISOString(),
        text: 'x',
        attachments: [],
        contentKey: await createContentKey(),
      })
      return apiError(() =>
        visitor(server).putAnswer(request.id, id, {
          accessProof: keys.accessProof as never,
          answer,
        }),
      )
    }
    expect(await put(now(), 365 * 24 * HOUR)).toMatchObject({ status: 400 })
    expect(await put(new Date(now().getTime() - HOUR), 30 * 24 * HOUR)).toMatchObject({
      status: 400,
    })
    expect((await bob.api.getRequest(request.id)).answers).toBe(0)
  })
})
