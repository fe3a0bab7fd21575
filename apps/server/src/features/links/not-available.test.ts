import {
  createLink,
  deriveLinkKeys,
  fromBase64Url,
  LINK_MAX_PASSPHRASE_FAILURES,
  parseLinkUrl,
  passphraseProof,
  stretchPassphrase,
  toBase64Url,
} from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'

const HOUR = 3_600_000
const FAST_ARGON2 = { memoryKiB: 8 * 1024, iterations: 1, parallelism: 1 }
/** Headers that differ between any two answers, whatever they say. */
const VARYING_HEADERS = new Set(['date', 'content-length'])

type Route = 'check' | 'reveal' | 'open'
type Answer = {
  case: string
  route: Route
  status: number
  body: string
  headers: Record<string, unknown>
}

const randomProof = () => toBase64Url(crypto.getRandomValues(new Uint8Array(32)))

describe.each(dialects)('links that are not available on %s', (dialect) => {
  let server: TestServer
  let bob: Person
  let addresses = 0

  beforeEach(async () => {
    ;({
      server,
      members: [bob],
    } = await startWithPeople(dialect, ['bob']))
  })
  afterEach(async () => {
    await server.close()
  })

  function create(options: { passphrase?: string; expiresInMs?: number; maxViews?: number } = {}) {
    return createLink(bob.api, {
      origin: 'http://sealpost.test',
      account: bob.account,
      text: 'the root password is hunter2',
      expiresAt: new Date(
        server.clock.now().getTime() + (options.expiresInMs ?? 24 * HOUR),
      ).toISOString(),
      maxViews: options.maxViews ?? 1,
      argon2: FAST_ARGON2,
      ...(options.passphrase ? { passphrase: options.passphrase } : {}),
    })
  }

  /** A public request from its own address, so the per-address limit never answers instead. */
  async function post(route: Route, id: string, body: Record<string, string>) {
    addresses += 1
    return server.app.inject({
      method: 'POST',
      url: `/api/public/links/${id}/${route}`,
      headers: { 'content-type': 'application/json', 'x-sealpost-csrf': '1' },
      payload: JSON.stringify(body),
      remoteAddress: `198.51.100.${addresses}`,
    })
  }

  async function proofsOf(url: string, passphrase: string) {
    const keys = await deriveLinkKeys(parseLinkUrl(url).secret)
    const revealed = (await post('reveal', keys.id, { accessProof: keys.accessProof })).json<{
      passphrase: { salt: string; params: typeof FAST_ARGON2 }
    }>()
    const stretched = await stretchPassphrase(
      passphrase,
      fromBase64Url(revealed.passphrase.salt),
      revealed.passphrase.params,
    )
    return {
      accessProof: keys.accessProof,
      passphraseProof: (await passphraseProof(keys, stretched)).proof,
    }
  }

  /** Status, body and headers but those that differ between any two answers. */
  function answerOf(name: string, route: Route, response: Awaited<ReturnType<typeof post>>) {
    return {
      case: name,
      route,
      status: response.statusCode,
      body: response.body,
      headers: Object.fromEntries(
        Object.entries(response.headers).filter(([name]) => !VARYING_HEADERS.has(name)),
      ),
    }
  }

  const proofOf = async (url: string) =>
    (await deriveLinkKeys(parseLinkUrl(url).secret)).accessProof

  it('answers check, reveal and open identically for every link that is not available', async () => {
    const answers: Answer[] = []
    const record = async (
      name: string,
      id: string,
      body: Record<string, string>,
      routes: Route[] = ['check', 'reveal', 'open'],
    ) => {
      for (const route of routes) answers.push(answerOf(name, route, await post(route, id, body)))
    }

    const anyLink = await create()
    await record('unknown id', 'AAAAAAAAAAAAAAAAAAAAAA', {
      accessProof: await proofOf(anyLink.url),
    })

    await record('wrong secret', anyLink.id, { accessProof: randomProof() })

    // Without the access proof a passphrase guess learns nothing either; with it, see below.
    const guarded = await create({ passphrase: 'right one' })
    await record(
      'wrong secret and a passphrase guess',
      guarded.id,
      { accessProof: randomProof(), passphraseProof: randomProof() },
      ['open'],
    )

    const usedUp = await create()
    expect(
      (await post('open', usedUp.id, { accessProof: await proofOf(usedUp.url) })).statusCode,
    ).toBe(200)
    await record('used up', usedUp.id, { accessProof: await proofOf(usedUp.url) })

    const deleted = await create()
    await bob.api.deleteLink(deleted.id)
    await record('deleted', deleted.id, { accessProof: await proofOf(deleted.url) })

    const destroyed = await create({ passphrase: 'the real one' })
    const rightProofs = await proofsOf(destroyed.url, 'the real one')
    for (let i = 0; i < LINK_MAX_PASSPHRASE_FAILURES; i++) {
      const guess = await post('open', destroyed.id, {
        accessProof: rightProofs.accessProof,
        passphraseProof: randomProof(),
      })
      expect(guess.statusCode).toBe(403)
    }
    await record('destroyed after wrong passphrases', destroyed.id, rightProofs)

    const expiring = await create({ expiresInMs: HOUR })
    server.clock.advance(HOUR)
    await record('expired', expiring.id, { accessProof: await proofOf(expiring.url) })

    expect(answers.map((a) => `${a.case} ${a.route}`)).toHaveLength(19)
    const [first] = answers
    expect(first).toMatchObject({ status: 404 })
    expect(JSON.parse(first!.body)).toEqual({
      error: { code: 'not_available', message: 'This link is not available' },
    })
    for (const answer of answers) {
      expect(
        { ...answer, case: first!.case, route: first!.route },
        `${answer.case} ${answer.route}`,
      ).toEqual(first)
    }
  })

  it('tells a visitor who proved the secret that the passphrase was wrong, and how often more', async () => {
    const guarded = await create({ passphrase: 'the real one' })
    const rightProofs = await proofsOf(guarded.url, 'the real one')
    const guess = () =>
      post('open', guarded.id, {
        accessProof: rightProofs.accessProof,
        passphraseProof: randomProof(),
      })

    const first = await guess()
    expect(first.statusCode).toBe(403)
    expect(first.json()).toEqual({
      error: {
        code: 'wrong_passphrase',
        message: 'wrong passphrase; 9 more and the link is destroyed',
        triesLeft: LINK_MAX_PASSPHRASE_FAILURES - 1,
      },
    })
    const notAvailable = await post('open', guarded.id, { accessProof: randomProof() })
    expect(notAvailable.statusCode).toBe(404)

    const tries: unknown[] = []
    for (let i = 1; i < LINK_MAX_PASSPHRASE_FAILURES; i++) {
      tries.push((await guess()).json<{ error: { triesLeft: number } }>().error.triesLeft)
    }
    expect(tries).toEqual([8, 7, 6, 5, 4, 3, 2, 1, 0])
    // The tenth destroyed it: even the right passphrase finds nothing now.
    const right = await post('open', guarded.id, rightProofs)
    expect(answerOf('right passphrase', 'open', right)).toEqual(
      answerOf('right passphrase', 'open', notAvailable),
    )
  })

  it('checks a link without spending a view or writing its history', async () => {
    const link = await create({ maxViews: 2 })
    const accessProof = await proofOf(link.url)
    expect((await post('check', link.id, { accessProof })).statusCode).toBe(204)
    expect((await post('check', link.id, { accessProof })).statusCode).toBe(204)
    const detail = await bob.api.getLink(link.id)
    expect(detail.link.views).toBe(0)
    expect(detail.history).toEqual([])

    expect((await post('open', link.id, { accessProof })).statusCode).toBe(200)
    expect((await post('check', link.id, { accessProof })).statusCode).toBe(204)
    expect((await post('open', link.id, { accessProof })).statusCode).toBe(200)
    expect((await post('check', link.id, { accessProof })).statusCode).toBe(404)
    expect((await bob.api.getLink(link.id)).history.map((event) => event.event)).toEqual([
      'opened',
      'opened',
    ])
  })
})
