import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { inviteAndAccept, setupAdmin } from '../../test-support/accounts.js'
import { hasPostgres, startTestServer } from '../../test-support/harness.js'
import { send } from '../../test-support/messages.js'
import { SWEEP_LOCK_KEY } from './queries.js'
import { sweep } from './sweeper.js'

describe.runIf(hasPostgres)('sweeper on PostgreSQL', () => {
  it('stands aside while another process holds the sweep lock, then sweeps', async () => {
    const server = await startTestServer('postgres')
    try {
      const admin = await setupAdmin(server)
      const bob = await inviteAndAccept(server, admin.api, 'bob')
      const expiresAt = new Date(server.clock.now().getTime() + 60_000).toISOString()
      await send(admin, [bob], { expiresAt }, () => server.clock.now())
      server.clock.advance(60_000)

      let release: () => void = () => {}
      const held = new Promise<void>((resolve) => (release = resolve))
      let locked: () => void = () => {}
      const lockTaken = new Promise<void>((resolve) => (locked = resolve))
      // Another "process": a transaction that holds the same advisory lock.
      const other = server.db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${SWEEP_LOCK_KEY})`.execute(trx)
        locked()
        await held
      })
      await lockTaken
      // Released in any case, so a failed expectation cannot leave the transaction open.
      const skipped = await sweep(server.app.ctx).finally(release)
      expect(skipped).toEqual({
        expiredMessages: 0,
        reminders: 0,
        expiredLinks: 0,
        expiredRequests: 0,
        staleChunks: 0,
        skipped: true,
      })
      await other
      expect(await sweep(server.app.ctx)).toMatchObject({ expiredMessages: 1, skipped: false })
    } finally {
      await server.close()
    }
  })
})
