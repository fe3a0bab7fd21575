import {
  Base64Url,
  createApiClient,
  createLink,
  deriveLinkKeys,
  type FetchLike,
  LINK_MAX_PASSPHRASE_FAILURES,
  openLink,
  parseLinkUrl,
  toBase64Url,
} from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startWithPeople } from '../../test-support/accounts.js'
import { dialects, injectFetch, rawRequest, type TestServer } from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'

const ORIGIN = 'http://sealpost.test'
const DAY = 86_400_000
const FAST_ARGON2 = { memoryKiB: 8 * 1024, iterations: 1, parallelism: 1 }

/*
 * Opening a link is one request (issue 15): an open without a passphrase proof, of a link that
 * has a passphrase, answers what reveal answers (`passphrase_needed` with the salt and
 * parameters), spending no view and counting no wrong passphrase.
 */
describe.each(dialects)('opening a link without a passphrase proof on %s', (dialect) => {
  let server: TestServer
  let bob: Person

  beforeEach(async () => {
    ;({
      server,
      members: [bob],
    } = await startWithPeople(dialect, ['bob']))
  })
  afterEach(async () => {
    await server.close()
  })

  function create(passphrase: string | null) {
    return createLink(bob.api, {
      origin: ORIGIN,
      account: bob.account,
      text: 'the root password is hunter2',
      expiresAt: new Date(server.clock.now().getTime() + DAY).toISOString(),
      maxViews: 2,
      argon2: FAST_ARGON2,
      passphrase,
    })
  }

  /** Someone without an account; `paths` records every request the client sends. */
  function visitor(address = '203.0.113.7') {
    const paths: string[] = []
    const inject = injectFetch(server.app, address)
    const fetch: FetchLike = (url, init) => {
      paths.push(new URL(url).pathname)
      return inject(url, init)
    }
    return { api: createApiClient({ baseUrl: ORIGIN, fetch }), paths }
  }

  /** The open route as a client that sends no passphrase proof, with `accessProof` or the link's. */
  async function openWithoutProof(url: string, accessProof?: string, address?: string) {
    const keys = await deriveLinkKeys(parseLinkUrl(url).secret)
    const response = await server.app.inject({
      method: 'POST',
      url: `/api/public/links/${keys.id}/open`,
      headers: { 'content-type': 'application/json', 'x-sealpost-csrf': '1' },
      payload: JSON.stringify({ accessProof: accessProof ?? keys.accessProof }),
      ...(address ? { remoteAddress: address } : {}),
    })
    return {
      status: response.statusCode,
      error: response.json<{
        error: { code: string; passphrase?: unknown; triesLeft?: number }
      }>().error,
    }
  }

  const viewsOf = async (id: string) =>
    (await bob.api.listLinks()).links.find((link) => link.id === id)?.views

  it('answers passphrase_needed with the salt and parameters reveal gives, spending no view', async () => {
    const { id, url } = await create('correct horse')
    const keys = await deriveLinkKeys(parseLinkUrl(url).secret)
    const reveal = await visitor().api.revealLink(id, {
      accessProof: Base64Url.parse(keys.accessProof),
    })

    const answer = await openWithoutProof(url)
    expect(answer.status).toBe(403)
    expect(answer.error).toEqual({
      code: 'passphrase_needed',
      message: 'this link needs a passphrase',
      passphrase: reveal.passphrase,
    })
    expect(reveal.passphrase?.params).toEqual(FAST_ARGON2)
    expect(await viewsOf(id)).toBe(0)
  })

  it('counts no wrong passphrase: after many, a wrong one still has every try left', async () => {
    const { id, url } = await create('correct horse')
    for (let i = 0; i <= LINK_MAX_PASSPHRASE_FAILURES; i++) {
      expect((await openWithoutProof(url)).error.code).toBe('passphrase_needed')
    }
    await expect(openLink(visitor().api, url, 'wrong horse')).rejects.toMatchObject({
      status: 403,
      code: 'wrong_passphrase',
      triesLeft: LINK_MAX_PASSPHRASE_FAILURES - 1,
    })
    expect(await openLink(visitor().api, url, 'correct horse')).toMatchObject({ views: 1 })
    expect(await viewsOf(id)).toBe(1)
  })

  it('records the reveal in the link’s history, as reveal does, once a minute', async () => {
    const { id, url } = await create('correct horse')
    const at = server.clock.now().toISOString()
    await openWithoutProof(url)
    await openWithoutProof(url)
    expect((await bob.api.getLink(id)).history).toEqual([{ event: 'revealed', at, view: null }])
  })

  it('tells a wrong access proof only not_available, and records nothing', async () => {
    const { id, url } = await create('correct horse')
    const wrong = toBase64Url(new Uint8Array(32).fill(7))
    expect(await openWithoutProof(url, wrong)).toEqual({
      status: 404,
      error: { code: 'not_available', message: 'This link is not available' },
    })
    expect((await bob.api.getLink(id)).history).toEqual([])
  })

  it('is a success for the rate limit, like reveal: proving the secret never runs out', async () => {
    const { id, url } = await create('correct horse')
    // Past the link's 30 attempts from one address: each proved the secret, so none adds up.
    for (let i = 0; i < 35; i++) {
      expect((await openWithoutProof(url, undefined, '198.51.100.9')).status, `open ${i}`).toBe(403)
    }
    const guess = await rawRequest(server.app, {
      method: 'POST',
      url: `/api/public/links/${id}/open`,
      csrf: '1',
      body: { accessProof: toBase64Url(new Uint8Array(32).fill(1)) },
    })
    expect(guess.status).toBe(404)
  })

  it('opens a link without a passphrase in one request and one with a passphrase in two', async () => {
    const open = await create(null)
    const plain = visitor()
    expect(await openLink(plain.api, open.url)).toMatchObject({ views: 1, hasPassphrase: false })
    expect(plain.paths).toEqual([`/api/public/links/${open.id}/open`])

    const guarded = await create('correct horse')
    const careful = visitor()
    expect(await openLink(careful.api, guarded.url, 'correct horse')).toMatchObject({
      views: 1,
      hasPassphrase: true,
    })
    expect(careful.paths).toEqual([
      `/api/public/links/${guarded.id}/open`,
      `/api/public/links/${guarded.id}/open`,
    ])
  })
})
