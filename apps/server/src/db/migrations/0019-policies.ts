import { type Kysely, sql } from 'kysely'

/**
 * Policies as data (issue 13): one row per scope and key, the value as JSON text that the
 * key's schema in core's policy catalogue checks whenever it is read. Scopes: `org`,
 * `user:<id>` (and `group:<id>` with groups).
 *
 * The per-user flags and the organisation's defaults move in here, so every user keeps exactly
 * the permissions they had: the organisation's old defaults for new users become organisation
 * values (written when they differ from the catalogue's), and a user gets an override only
 * where their flag differs from that organisation value. `max_expiry_days` moves when it is not
 * the old untouched default of 365 (which never refused a message without expiry; a
 * maxExpiryDays now does), `require_two_factor` when it was on. The old columns go.
 *
 * Frozen here on purpose: key names and defaults as they were in 0019, not read from the
 * catalogue, which may change after this migration ran.
 */
const FLAGS = [
  { key: 'canSendMessages', user: 'can_send_messages', org: 'default_can_send_messages' },
  { key: 'canSendAttachments', user: 'can_send_attachments', org: 'default_can_send_attachments' },
  { key: 'canCreateLinks', user: 'can_create_links', org: 'default_can_create_links' },
  { key: 'canRequestSecrets', user: 'can_request_secrets', org: 'default_can_request_secrets' },
] as const
const OLD_MAX_EXPIRY_DAYS = 365

type Row = Record<string, number | string>

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('policies')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('policies_pk', ['scope', 'key'])
    .execute()

  const now = Date.now()
  const put = (scope: string, key: string, value: unknown) =>
    sql`insert into policies (scope, key, value, updated_at)
        values (${scope}, ${key}, ${JSON.stringify(value)}, ${now})`.execute(db)

  const org = (await sql<Row>`select * from org_settings where id = 1`.execute(db)).rows[0]
  const orgValue = (flag: (typeof FLAGS)[number]) => Number(org?.[flag.org] ?? 1) === 1
  for (const flag of FLAGS) {
    if (!orgValue(flag)) await put('org', flag.key, false)
  }
  const maxExpiryDays = Number(org?.max_expiry_days ?? OLD_MAX_EXPIRY_DAYS)
  if (maxExpiryDays !== OLD_MAX_EXPIRY_DAYS) await put('org', 'maxExpiryDays', maxExpiryDays)
  if (Number(org?.require_two_factor ?? 0) === 1) await put('org', 'requireTwoFactor', true)

  const users = await sql<Row>`select id, can_send_messages, can_send_attachments,
    can_create_links, can_request_secrets from users`.execute(db)
  for (const user of users.rows) {
    for (const flag of FLAGS) {
      const value = Number(user[flag.user]) === 1
      if (value !== orgValue(flag)) await put(`user:${String(user.id)}`, flag.key, value)
    }
  }

  for (const flag of FLAGS) {
    await db.schema.alterTable('users').dropColumn(flag.user).execute()
    await db.schema.alterTable('org_settings').dropColumn(flag.org).execute()
  }
  await db.schema.alterTable('org_settings').dropColumn('max_expiry_days').execute()
  await db.schema.alterTable('org_settings').dropColumn('require_two_factor').execute()
}

/** Puts the flags back as they resolve now (groups, if any, are not carried back). */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const flag of FLAGS) {
    await db.schema
      .alterTable('users')
      .addColumn(flag.user, 'integer', (c) => c.notNull().defaultTo(1))
      .execute()
    await db.schema
      .alterTable('org_settings')
      .addColumn(flag.org, 'integer', (c) => c.notNull().defaultTo(1))
      .execute()
  }
  await db.schema
    .alterTable('org_settings')
    .addColumn('max_expiry_days', 'integer', (c) => c.notNull().defaultTo(OLD_MAX_EXPIRY_DAYS))
    .execute()
  await db.schema
    .alterTable('org_settings')
    .addColumn('require_two_factor', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  const rows = await sql<{ scope: string; key: string; value: string }>`
    select scope, key, value from policies where scope = 'org' or scope like 'user:%'`.execute(db)
  const orgRows = rows.rows.filter((row) => row.scope === 'org')
  const userRows = rows.rows.filter((row) => row.scope.startsWith('user:'))
  for (const row of orgRows) {
    const value: unknown = JSON.parse(row.value)
    const flag = FLAGS.find((f) => f.key === row.key)
    if (flag) {
      await sql`update org_settings set ${sql.ref(flag.org)} = ${value ? 1 : 0}`.execute(db)
      await sql`update users set ${sql.ref(flag.user)} = ${value ? 1 : 0}`.execute(db)
    }
    const days = Number(value)
    if (row.key === 'maxExpiryDays' && days > 0) {
      await sql`update org_settings set max_expiry_days = ${days}`.execute(db)
    }
    if (row.key === 'requireTwoFactor' && value === true) {
      await sql`update org_settings set require_two_factor = 1`.execute(db)
    }
  }
  for (const row of userRows) {
    const flag = FLAGS.find((f) => f.key === row.key)
    if (!flag) continue
    const value = JSON.parse(row.value) as boolean
    await sql`update users set ${sql.ref(flag.user)} = ${value ? 1 : 0}
      where id = ${row.scope.slice('user:'.length)}`.execute(db)
  }
  await db.schema.dropTable('policies').execute()
}
