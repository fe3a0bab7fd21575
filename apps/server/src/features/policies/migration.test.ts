import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { migrateTo } from '../../db/database.js'
import { dialects } from '../../test-support/harness.js'
import { openTestDatabase } from '../../test-support/database.js'
import { effectivePolicy, orgPolicySettings } from './queries.js'

const BEFORE = '0018-message-notices'

describe.each(dialects)('the policies migration (0019) on %s', (dialect) => {
  let close: (() => Promise<void>) | undefined
  afterEach(async () => {
    await close?.()
  })

  async function oldInstall(org: string) {
    const opened = await openTestDatabase(dialect, { upTo: BEFORE })
    close = () => opened.close()
    const db = opened.db
    await sql`update org_settings set ${sql.raw(org)} where id = 1`.execute(db)
    const user = (id: string, flags: [number, number, number, number]) =>
      sql`insert into users (id, username, display_name, email, role, status,
            can_send_messages, can_send_attachments, can_create_links, can_request_secrets,
            created_at, updated_at)
          values (${id}, ${id.slice(0, 8)}, 'x', 'x@example.org', 'member', 'active',
            ${flags[0]}, ${flags[1]}, ${flags[2]}, ${flags[3]}, 0, 0)`.execute(db)
    return { db, user }
  }

  it('moves every user’s flags and the organisation’s settings, so nobody’s permissions change', async () => {
    const { db, user } = await oldInstall(
      'default_can_create_links = 0, max_expiry_days = 30, require_two_factor = 1',
    )
    const ann = crypto.randomUUID()
    const ben = crypto.randomUUID()
    // ann was invited before links were turned off; ben had sending taken away.
    await user(ann, [1, 1, 1, 1])
    await user(ben, [0, 1, 0, 1])

    await migrateTo(db)

    expect(await orgPolicySettings(db)).toEqual({
      canCreateLinks: false,
      maxExpiryDays: 30,
      requireTwoFactor: true,
    })
    const annPolicy = await effectivePolicy(db, ann)
    expect(annPolicy.canCreateLinks).toEqual({ value: true, source: 'user' })
    expect(annPolicy.canSendMessages).toEqual({ value: true, source: 'default' })
    expect(annPolicy.maxExpiryDays).toEqual({ value: 30, source: 'org' })
    expect(annPolicy.requireTwoFactor).toEqual({ value: true, source: 'org' })
    const benPolicy = await effectivePolicy(db, ben)
    expect(benPolicy.canSendMessages).toEqual({ value: false, source: 'user' })
    expect(benPolicy.canCreateLinks).toEqual({ value: false, source: 'org' })
    expect(benPolicy.canSendAttachments).toEqual({ value: true, source: 'default' })
    const overrides = await sql<{ scope: string }>`select scope from policies
      where scope like 'user:%'`.execute(db)
    expect(overrides.rows).toHaveLength(2)

    // The old columns are gone.
    await expect(sql`select can_send_messages from users`.execute(db)).rejects.toThrow()
    await expect(sql`select max_expiry_days from org_settings`.execute(db)).rejects.toThrow()

    // Down puts the same flags back.
    await migrateTo(db, BEFORE)
    const rows = await sql<{ id: string; can_send_messages: number; can_create_links: number }>`
      select id, can_send_messages, can_create_links from users order by id`.execute(db)
    expect(
      Object.fromEntries(rows.rows.map((r) => [r.id, [r.can_send_messages, r.can_create_links]])),
    ).toEqual({
      [ann]: [1, 1],
      [ben]: [0, 0],
    })
  })

  it('reads the untouched 365-day maximum as no maximum, which still allows never', async () => {
    const { db, user } = await oldInstall('max_expiry_days = 365')
    const ann = crypto.randomUUID()
    await user(ann, [1, 1, 1, 1])
    await migrateTo(db)
    expect(await orgPolicySettings(db)).toEqual({})
    expect((await effectivePolicy(db, ann)).maxExpiryDays).toEqual({ value: 0, source: 'default' })
  })
})
