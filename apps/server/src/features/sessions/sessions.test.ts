import { createApiClient, signIn } from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, inviteAndAccept, startWithPeople } from '../../test-support/accounts.js'
import { dialects, injectFetch, type TestServer } from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'
import { openEventStream } from '../../test-support/sse.js'
import { describeDevice } from './device.js'

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0'

describe('device names', () => {
  it('names the CLI, common browsers with their system, and anything else as unknown', () => {
    expect(describeDevice('sealpost-cli/0.1.0 node/20')).toEqual({ device: 'CLI', isCli: true })
    expect(describeDevice(FIREFOX).device).toBe('Firefox on Windows')
    expect(
      describeDevice(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      ).device,
    ).toBe('Chrome on Linux')
    expect(
      describeDevice(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      ).device,
    ).toBe('Safari on macOS')
    expect(describeDevice('node').device).toBe('Unknown device')
    expect(describeDevice(null)).toEqual({ device: 'Unknown device', isCli: false })
  })
})

describe.each(dialects)('sessions on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person & { password: string }
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

  /** Bob signs in from another device: its own cookie jar, User-Agent and address. */
  async function bobOn(userAgent: string, remoteAddress: string) {
    const api = createApiClient({
      baseUrl: 'http://sealpost.test',
      manageCookies: true,
      fetch: injectFetch(server.app, remoteAddress),
      userAgent,
    })
    await signIn(api, { username: 'bob', password: bob.password })
    return api
  }

  it('lists the user’s own sessions with device, address and times, this one marked', async () => {
    const cli = await bobOn('sealpost-cli/0.1.0', '192.0.2.10')
    server.clock.advance(5 * 60_000)
    const firefox = await bobOn(FIREFOX, '192.0.2.20')
    const { sessions } = await firefox.listSessions()
    expect(sessions).toHaveLength(3)
    expect(sessions.filter((s) => s.isCurrent)).toEqual([
      expect.objectContaining({ device: 'Firefox on Windows', address: '192.0.2.20' }),
    ])
    expect(sessions.find((s) => s.isCli)).toMatchObject({
      device: 'CLI',
      address: '192.0.2.10',
      createdAt: '2026-11-25T09:00:00.000Z',
      isCurrent: false,
    })
    // The CLI sees the same list with its own session marked.
    const fromCli = await cli.listSessions()
    expect(fromCli.sessions.find((s) => s.isCurrent)?.device).toBe('CLI')
    // Neither the cookie's hash nor anything of another user's sessions is listed.
    const rows = await server.db.selectFrom('sessions').select(['id', 'public_id']).execute()
    const listed = sessions.map((s) => s.id)
    expect(rows.filter((r) => listed.includes(r.id))).toEqual([])
    expect((await admin.api.listSessions()).sessions).toHaveLength(1)
  })

  it('leaves out sessions that ended by idling', async () => {
    const laptop = await bobOn(FIREFOX, '192.0.2.20')
    server.clock.advance(server.config.sessionIdleMs - 1000)
    await laptop.getSession()
    server.clock.advance(2000)
    const { sessions } = await laptop.listSessions()
    expect(sessions.map((s) => s.isCurrent)).toEqual([true])
  })

  it('signs out one session: its requests and its event stream end at once', async () => {
    const url = await server.app.listen({ port: 0, host: '127.0.0.1' })
    const laptop = await bobOn(FIREFOX, '192.0.2.20')
    const stream = await openEventStream(url, laptop.session.cookie ?? '')
    expect(stream.status).toBe(200)
    try {
      const target = (await bob.api.listSessions()).sessions.find(
        (s) => s.device !== 'CLI' && !s.isCurrent,
      )
      if (!target) throw new Error('laptop session not listed')
      await bob.api.endSession(target.id)
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        stream.ended,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('the stream stayed open')), 10_000)
        }),
      ]).finally(() => clearTimeout(timer))
      expect(await apiError(() => laptop.getSession())).toMatchObject({ status: 401 })
      expect((await bob.api.getSession()).user.username).toBe('bob')
      expect(await apiError(() => bob.api.endSession(target.id))).toMatchObject({ status: 404 })
    } finally {
      stream.close()
    }
  })

  it('answers 404 for another user’s session id and leaves it alone', async () => {
    const laptop = await bobOn(FIREFOX, '192.0.2.20')
    const { sessions } = await laptop.listSessions()
    for (const session of sessions) {
      expect(await apiError(() => admin.api.endSession(session.id))).toMatchObject({
        status: 404,
        code: 'not_found',
      })
    }
    expect(await apiError(() => admin.api.endSession(crypto.randomUUID()))).toMatchObject({
      status: 404,
    })
    expect((await laptop.listSessions()).sessions).toHaveLength(sessions.length)
  })

  it('signs out everywhere else and keeps this session', async () => {
    const laptop = await bobOn(FIREFOX, '192.0.2.20')
    const cli = await bobOn('sealpost-cli/0.1.0', '192.0.2.10')
    expect(await laptop.endOtherSessions()).toEqual({ ended: 2 })
    expect(await apiError(() => cli.getSession())).toMatchObject({ status: 401 })
    expect(await apiError(() => bob.api.getSession())).toMatchObject({ status: 401 })
    expect((await laptop.listSessions()).sessions).toEqual([
      expect.objectContaining({ isCurrent: true }),
    ])
    // Another user's sessions are not touched.
    expect((await admin.api.getSession()).user.username).toBe('admin')
  })

  it('lets an administrator end every session of a user, audited; a member may not', async () => {
    const laptop = await bobOn(FIREFOX, '192.0.2.20')
    const carol = await inviteAndAccept(server, admin.api, 'carol')
    expect(await apiError(() => carol.api.endUserSessions(bob.session.user.id))).toMatchObject({
      status: 403,
    })
    expect((await laptop.getSession()).user.username).toBe('bob')
    expect(await admin.api.endUserSessions(bob.session.user.id)).toEqual({ ended: 2 })
    expect(await apiError(() => laptop.getSession())).toMatchObject({ status: 401 })
    expect(await apiError(() => bob.api.getSession())).toMatchObject({ status: 401 })
    expect((await carol.api.getSession()).user.username).toBe('carol')
    const audit = await server.db
      .selectFrom('audit_events')
      .select(['actor_id', 'target_id'])
      .where('action', '=', 'sessions.ended_by_admin')
      .execute()
    expect(audit).toEqual([{ actor_id: admin.session.user.id, target_id: bob.session.user.id }])
    expect(await apiError(() => admin.api.endUserSessions(crypto.randomUUID()))).toMatchObject({
      status: 404,
    })
  })
})
