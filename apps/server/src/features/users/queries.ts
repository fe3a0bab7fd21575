import {
  AccountKeys,
  type EffectivePolicy,
  type OrgSettings,
  resolvePolicy,
  type UpdateOrgSettings,
  type User,
} from '@sealpost/core'
import type { Db, Dialect } from '../../db/database.js'
import type { UsersTable } from '../../db/schema.js'
import { parseJson } from '../../db/json.js'
import {
  effectivePolicies,
  effectivePolicy,
  ORG_SCOPE,
  orgPolicySettings,
  savePolicies,
} from '../policies/queries.js'

const userColumns = [
  'id',
  'username',
  'display_name',
  'email',
  'role',
  'status',
  'created_at',
] as const

type UserRow = Pick<UsersTable, (typeof userColumns)[number]>

/** A user with the allowances of their effective policy (what the web's table shows). */
function toUser(row: UserRow, policy: EffectivePolicy): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    role: row.role,
    status: row.status,
    canSendMessages: policy.canSendMessages.value,
    canSendAttachments: policy.canSendAttachments.value,
    canCreateLinks: policy.canCreateLinks.value,
    canSendEmail: policy.canSendEmail.value,
    canRequestSecrets: policy.canRequestSecrets.value,
    createdAt: new Date(row.created_at).toISOString(),
  }
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function listUsers(db: Db): Promise<User[]> {
  const rows = await db.selectFrom('users').select(userColumns).orderBy('username').execute()
  const policies = await effectivePolicies(
    db,
    rows.map((row) => row.id),
  )
  return rows.map((row) => toUser(row, policies.get(row.id) ?? resolvePolicy({ org: {} })))
}

export async function findUser(db: Db, id: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .select(userColumns)
    .where('id', '=', id)
    .executeTakeFirst()
  return row && toUser(row, await effectivePolicy(db, row.id))
}

export async function findUserByUsername(db: Db, username: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .select(userColumns)
    .where('username', '=', username)
    .executeTakeFirst()
  return row && toUser(row, await effectivePolicy(db, row.id))
}

export async function findAccountKeys(db: Db, userId: string): Promise<AccountKeys | undefined> {
  const row = await db
    .selectFrom('users')
    .select('account_keys')
    .where('id', '=', userId)
    .executeTakeFirst()
  return row?.account_keys ? parseJson(AccountKeys, row.account_keys) : undefined
}

/**
 * Locks every administrator row until the transaction ends (PostgreSQL; SQLite runs one
 * write transaction at a time), so two administrators demoting each other at once cannot
 * both see the other still counted and leave the organisation with none.
 */
export async function lockAdministrators(trx: Db, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return
  await trx.selectFrom('users').select('id').where('role', '=', 'admin').forUpdate().execute()
}

/** Which of these users are active: recipients and vault members must be. */
export async function activeUserIds(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('id', 'in', ids)
    .where('status', '=', 'active')
    .execute()
  return new Set(rows.map((r) => r.id))
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function insertUser(
  db: Db,
  user: {
    id: string
    username: string
    displayName: string
    email: string
    role: 'admin' | 'member'
    status: 'invited' | 'active'
    now: number
  },
): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: user.id,
      username: user.username,
      display_name: user.displayName,
      email: user.email,
      role: user.role,
      status: user.status,
      opaque_record: null,
      account_keys: null,
      created_at: user.now,
      updated_at: user.now,
    })
    .execute()
}

/** Stores the OPAQUE record and wrapped keys, activates the user and creates their user vault. */
export async function activateAccount(
  db: Db,
  account: {
    userId: string
    displayName?: string | undefined
    opaqueRecord: string
    keys: AccountKeys
    now: number
  },
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      status: 'active',
      opaque_record: account.opaqueRecord,
      account_keys: JSON.stringify(account.keys),
      updated_at: account.now,
      ...(account.displayName ? { display_name: account.displayName } : {}),
    })
    .where('id', '=', account.userId)
    .execute()
  const vaultId = crypto.randomUUID()
  await db
    .insertInto('vaults')
    .values({ id: vaultId, kind: 'user', name: null, created_at: account.now })
    .execute()
  await db
    .insertInto('vault_members')
    .values({
      vault_id: vaultId,
      user_id: account.userId,
      can_write: 1,
      wrapped_key: JSON.stringify(account.keys.wrappedUserVaultKey),
    })
    .execute()
}

export async function updateUser(
  db: Db,
  id: string,
  changes: {
    role?: 'admin' | 'member' | undefined
    status?: 'invited' | 'active' | 'disabled' | undefined
  },
  now: number,
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      updated_at: now,
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.status !== undefined ? { status: changes.status } : {}),
    })
    .where('id', '=', id)
    .execute()
}

export async function hasPassword(db: Db, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('opaque_record')
    .where('id', '=', id)
    .executeTakeFirst()
  return Boolean(row?.opaque_record)
}

/** Replaces any earlier invite of the user: only the newest link works. */
export async function replaceInvite(
  db: Db,
  invite: { tokenHash: string; userId: string; createdBy: string; now: number; expiresAt: number },
): Promise<void> {
  await db.deleteFrom('invites').where('user_id', '=', invite.userId).execute()
  await db
    .insertInto('invites')
    .values({
      token_hash: invite.tokenHash,
      user_id: invite.userId,
      created_by: invite.createdBy,
      created_at: invite.now,
      expires_at: invite.expiresAt,
    })
    .execute()
}

/** The invited (not yet active) user behind a valid, unexpired invite. */
export async function findInvite(db: Db, tokenHash: string, now: number) {
  return db
    .selectFrom('invites')
    .innerJoin('users', 'users.id', 'invites.user_id')
    .select([
      'users.id as userId',
      'users.username',
      'users.display_name as displayName',
      'users.email',
      'invites.expires_at as expiresAt',
    ])
    .where('invites.token_hash', '=', tokenHash)
    .where('invites.expires_at', '>', now)
    .where('users.status', '=', 'invited')
    .executeTakeFirst()
}

/** Returns how many invites were deleted (0 when another request took it first). */
export async function deleteInvites(db: Db, userId: string): Promise<number> {
  const result = await db.deleteFrom('invites').where('user_id', '=', userId).executeTakeFirst()
  return Number(result.numDeletedRows)
}

export async function listDirectory(db: Db) {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'account_keys'])
    .where('status', '=', 'active')
    .orderBy('display_name')
    .execute()
  return rows.flatMap((row) => {
    if (!row.account_keys) return []
    const keys = parseJson(AccountKeys, row.account_keys)
    return [
      {
        id: row.id,
        username: row.username,
        displayName: row.display_name,
        x25519PublicKey: keys.x25519PublicKey,
        ed25519PublicKey: keys.ed25519PublicKey,
      },
    ]
  })
}

/**
 * The organisation settings as the web's Administration page reads them: four defaults and the
 * maximum expiry are now organisation policy values (every user without an override of their
 * own follows them, not only new users).
 */
export async function getOrgSettings(db: Db): Promise<OrgSettings> {
  const row = await db
    .selectFrom('org_settings')
    .select(['receipts_enabled', 'default_notify_by_email'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow()
  const org = resolvePolicy({ org: await orgPolicySettings(db) })
  return {
    defaultCanSendMessages: org.canSendMessages.value,
    defaultCanSendAttachments: org.canSendAttachments.value,
    defaultCanCreateLinks: org.canCreateLinks.value,
    defaultCanRequestSecrets: org.canRequestSecrets.value,
    maxExpiryDays: org.maxExpiryDays.value,
    receiptsEnabled: row.receipts_enabled === 1,
    defaultNotifyByEmail: row.default_notify_by_email === 1,
  }
}

/** Whether senders see receipts (an organisation setting; on by default). */
export async function receiptsEnabled(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('org_settings')
    .select('receipts_enabled')
    .where('id', '=', 1)
    .executeTakeFirstOrThrow()
  return row.receipts_enabled === 1
}

export async function saveOrgSettings(
  db: Db,
  settings: UpdateOrgSettings,
  now: number,
): Promise<void> {
  await savePolicies(
    db,
    ORG_SCOPE,
    {
      canSendMessages: settings.defaultCanSendMessages,
      canSendAttachments: settings.defaultCanSendAttachments,
      canCreateLinks: settings.defaultCanCreateLinks,
      canRequestSecrets: settings.defaultCanRequestSecrets,
      maxExpiryDays: settings.maxExpiryDays,
    },
    now,
  )
  if (settings.receiptsEnabled === undefined && settings.defaultNotifyByEmail === undefined) return
  await db
    .updateTable('org_settings')
    .set({
      ...(settings.receiptsEnabled !== undefined
        ? { receipts_enabled: settings.receiptsEnabled ? 1 : 0 }
        : {}),
      ...(settings.defaultNotifyByEmail !== undefined
        ? { default_notify_by_email: settings.defaultNotifyByEmail ? 1 : 0 }
        : {}),
    })
    .where('id', '=', 1)
    .execute()
}
