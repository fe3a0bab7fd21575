import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { inviteAndAccept, setupAdmin } from '../../test-support/accounts.js'
import { dialects, startTestServer, type TestServer } from '../../test-support/harness.js'

describe.each(dialects)('administrators demoting each other on %s', (dialect) => {
  let server: TestServer
  beforeEach(async () => {
    server = await startTestServer(dialect)
  })
  afterEach(async () => {
    await server.close()
  })

  // Each round invites and signs in a new administrator (slow key stretching): a longer limit.
  it(
    'never leaves the organisation without an active administrator',
    { timeout: 120_000 },
    async () => {
      const ada = await setupAdmin(server)
      const admins = server.db
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'admin')
        .where('status', '=', 'active')
      for (let round = 0; round < 20; round++) {
        const bob = await inviteAndAccept(server, ada.api, `bob${round}`)
        await ada.api.updateUser(bob.session.user.id, { role: 'admin' })
        const outcomes = await Promise.allSettled([
          ada.api.updateUser(bob.session.user.id, { role: 'member' }),
          bob.api.updateUser(ada.session.user.id, { role: 'member' }),
        ])
        expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThanOrEqual(1)
        const left = await admins.execute()
        expect(left).toHaveLength(1)
        // The next round starts again from Ada as the only administrator.
        if (left[0]!.id !== ada.session.user.id) {
          await bob.api.updateUser(ada.session.user.id, { role: 'admin' })
          await ada.api.updateUser(bob.session.user.id, { role: 'member' })
        }
      }
    },
  )
})
