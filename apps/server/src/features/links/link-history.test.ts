import { createApiClient, createLink, openLink, revealLink } from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { dialects, injectFetch, type TestServer } from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'
import { linkContentRows } from '../../test-support/rows.js'
import { sweep } from '../sweeper/sweeper.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const FAST_ARGON2 = { memoryKiB: 8 * 1024, iterations: 1, parallelism: 1 }

describe.each(dialects)('link history on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person
  const now = () => server.clock.now()
  /** Someone without an account, from an address of their own. */
  const visitor = (address = '203.0.113.7') =>
    createApiClient({
      baseUrl: 'http://sealpost.test',
      fetch: injectFetch(server.app, address),
    })

  beforeEach(async () => {
    ;({
      server,
      admin,
      members: [bob],
    } = await startWithPeople(dialect, ['bob']))
  })
  afterEach(async () => {
    await server.close()
  })

  function create(options: Partial<Parameters<typeof createLink>[1]> = {}) {
    return createLink(bob.api, {
      origin: 'http://sealpost.test',
      account: bob.account,
      text: 'the root password is hunter2',
      expiresAt: new Date(now().getTime() + DAY).toISOString(),
      maxViews: 2,
      argon2: FAST_ARGON2,
      ...options,
    })
  }

  const at = () => now().toISOString()

  it('keeps a used-up link for its owner, with each view, wrong passphrase and reveal', async () => {
    const { id, url } = await create({ passphrase: 'correct horse' })
    const revealedAt = at()
    await revealLink(visitor(), url)
    // Reloading the page within the minute is the same reveal.
    await revealLink(visitor(), url)
    server.clock.advance(HOUR)
    // Each open of a link with a passphrase is first answered passphrase_needed (a reveal).
    const firstAt = at()
    await expect(openLink(visitor(), url, 'wrong horse')).rejects.toMatchObject({
      code: 'wrong_passphrase',
    })
    await openLink(visitor(), url, 'correct horse')
    server.clock.advance(HOUR)
    const lastAt = at()
    expect(await openLink(visitor(), url, 'correct horse')).toMatchObject({ deleted: true })

    // Gone from the live list, its content deleted, kept in the full list and in detail.
    expect((await bob.api.listLinks()).links).toEqual([])
    expect(await linkContentRows(server.db, id)).toEqual({ sealed: 0, blobs: 0, chunks: 0 })
    const [ended] = (await bob.api.listLinks({ all: true })).links
    expect(ended).toMatchObject({
      id,
      state: 'used_up',
      endedAt: lastAt,
      views: 2,
      maxViews: 2,
      hasPassphrase: true,
    })
    expect(await bob.api.getLink(id)).toEqual({
      link: ended,
      history: [
        { event: 'revealed', at: revealedAt, view: null },
        { event: 'revealed', at: firstAt, view: null },
        { event: 'wrong_passphrase', at: firstAt, view: null },
        { event: 'opened', at: firstAt, view: 1 },
        { event: 'revealed', at: lastAt, view: null },
        { event: 'opened', at: lastAt, view: 2 },
      ],
    })
  })

  it('says why each link ended: deleted, expired or destroyed', async () => {
    const deleted = await create()
    await bob.api.deleteLink(deleted.id)
    const deletedAt = at()
    const expiring = await create({ expiresAt: new Date(now().getTime() + HOUR).toISOString() })
    const destroyed = await create({ passphrase: 'the real one' })
    for (let i = 0; i < 10; i++) {
      await expect(
        openLink(visitor(`198.51.100.${i}`), destroyed.url, `guess ${i}`),
      ).rejects.toMatchObject({ code: 'wrong_passphrase', triesLeft: 9 - i })
    }
    const destroyedAt = at()
    server.clock.advance(HOUR)
    await sweep(server.app.ctx)
    const expiredAt = at()

    const states = Object.fromEntries(
      (await bob.api.listLinks({ all: true })).links.map((l) => [l.id, [l.state, l.endedAt]]),
    )
    expect(states).toEqual({
      [deleted.id]: ['deleted', deletedAt],
      [expiring.id]: ['expired', expiredAt],
      [destroyed.id]: ['destroyed', destroyedAt],
    })
    expect((await bob.api.getLink(deleted.id)).history).toEqual([
      { event: 'deleted', at: deletedAt, view: null },
    ])
    expect((await bob.api.getLink(expiring.id)).history).toEqual([
      { event: 'expired', at: expiredAt, view: null },
    ])
    const destroyedHistory = (await bob.api.getLink(destroyed.id)).history
    expect(destroyedHistory.map((e) => e.event)).toEqual([
      'revealed',
      ...Array<string>(10).fill('wrong_passphrase'),
      'destroyed',
    ])
    for (const link of [deleted, expiring, destroyed]) {
      expect(await linkContentRows(server.db, link.id)).toEqual({ sealed: 0, blobs: 0, chunks: 0 })
      await expect(revealLink(visitor(), link.url)).rejects.toMatchObject({
        code: 'not_available',
      })
    }
  })

  it('shows a link and its history to its owner alone; deleting an ended link forgets it', async () => {
    const { id } = await create()
    for (const other of [admin.api, visitor()]) {
      expect(await apiError(() => other.getLink(id))).toMatchObject({
        status: other === admin.api ? 404 : 401,
      })
    }
    expect((await admin.api.listLinks({ all: true })).links).toEqual([])
    expect(await apiError(() => admin.api.deleteLink(id))).toMatchObject({ status: 404 })

    await bob.api.deleteLink(id)
    expect((await bob.api.getLink(id)).link.state).toBe('deleted')
    await bob.api.deleteLink(id)
    expect(await apiError(() => bob.api.getLink(id))).toMatchObject({ status: 404 })
    const events = await server.db
      .selectFrom('link_events')
      .select('id')
      .where('link_id', '=', id)
      .execute()
    expect(events).toEqual([])
  })

  it('forgets ended links once the audit retention has passed', async () => {
    const { id, url } = await create({ maxViews: 1 })
    await openLink(visitor(), url)
    await sweep(server.app.ctx)
    expect((await bob.api.getLink(id)).link.state).toBe('used_up')
    // Sessions end long before a year has passed: look at the database itself.
    const kept = async () => ({
      links: (await server.db.selectFrom('links').select('id').where('id', '=', id).execute())
        .length,
      events: (
        await server.db.selectFrom('link_events').select('id').where('link_id', '=', id).execute()
      ).length,
    })
    server.clock.advance(server.config.auditRetentionMs - HOUR)
    await sweep(server.app.ctx)
    // Its one open: without a passphrase, opening is one request and records `opened` alone.
    expect(await kept()).toEqual({ links: 1, events: 1 })
    server.clock.advance(2 * HOUR)
    await sweep(server.app.ctx)
    expect(await kept()).toEqual({ links: 0, events: 0 })
  })
})
