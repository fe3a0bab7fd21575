import type { VaultGroupGrant } from '@sealpost/core'
import { type ExpressionBuilder, sql } from 'kysely'
import type { Db, Dialect } from '../../db/database.js'
import type { Database } from '../../db/schema.js'
import { forgetDeparture, recordDepartures } from '../vault/queries.js'

/**
 * True where a grant of the row's vault covers the row's user through one of their groups.
 * `vault_members` must be in the query the expression goes into.
 */
function coveredByGrant(eb: ExpressionBuilder<Database, 'vault_members'>) {
  return eb.exists(
    eb
      .selectFrom('vault_group_grants')
      .innerJoin('group_members', 'group_members.group_id', 'vault_group_grants.group_id')
      .select(sql<number>`1`.as('one'))
      .whereRef('vault_group_grants.vault_id', '=', 'vault_members.vault_id')
      .whereRef('group_members.user_id', '=', 'vault_members.user_id'),
  )
}

/** Locks a vault's row until the transaction ends (PostgreSQL; SQLite writes one at a time). */
export async function lockVault(trx: Db, dialect: Dialect, vaultId: string): Promise<void> {
  if (dialect !== 'postgres') return
  await trx.selectFrom('vaults').select('id').where('id', '=', vaultId).forUpdate().execute()
}

/** The vault's grants, with each group's active members and how many wait for the key. */
export async function listGrants(db: Db, vaultId: string): Promise<VaultGroupGrant[]> {
  const rows = await db
    .selectFrom('vault_group_grants')
    .innerJoin('groups', 'groups.id', 'vault_group_grants.group_id')
    .select((eb) => [
      'groups.id as groupId',
      'groups.name',
      'vault_group_grants.can_write',
      eb
        .selectFrom('group_members')
        .innerJoin('users', 'users.id', 'group_members.user_id')
        .select((c) => c.fn.countAll<number>().as('n'))
        .whereRef('group_members.group_id', '=', 'groups.id')
        .where('users.status', '=', 'active')
        .as('memberCount'),
      eb
        .selectFrom('group_members')
        .innerJoin('users', 'users.id', 'group_members.user_id')
        .select((c) => c.fn.countAll<number>().as('n'))
        .whereRef('group_members.group_id', '=', 'groups.id')
        .where('users.status', '=', 'active')
        .where((w) =>
          w.not(
            w.exists(
              w
                .selectFrom('vault_members')
                .select('vault_members.user_id')
                .where('vault_members.vault_id', '=', vaultId)
                .whereRef('vault_members.user_id', '=', 'group_members.user_id'),
            ),
          ),
        )
        .as('waiting'),
    ])
    .where('vault_group_grants.vault_id', '=', vaultId)
    .orderBy('groups.name')
    .execute()
  return rows.map((row) => ({
    groupId: row.groupId,
    name: row.name,
    canWrite: row.can_write === 1,
    memberCount: Number(row.memberCount ?? 0),
    waiting: Number(row.waiting ?? 0),
  }))
}

export async function upsertGrant(
  trx: Db,
  grant: { vaultId: string; groupId: string; canWrite: boolean; now: number },
): Promise<void> {
  const canWrite = grant.canWrite ? 1 : 0
  await trx
    .insertInto('vault_group_grants')
    .values({
      vault_id: grant.vaultId,
      group_id: grant.groupId,
      can_write: canWrite,
      created_at: grant.now,
    })
    .onConflict((oc) => oc.columns(['vault_id', 'group_id']).doUpdateSet({ can_write: canWrite }))
    .execute()
}

export async function deleteGrant(trx: Db, vaultId: string, groupId: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('vault_group_grants')
    .where('vault_id', '=', vaultId)
    .where('group_id', '=', groupId)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

/**
 * Ends every membership that only a grant gave and no grant covers any more (a member left
 * the group, a grant or a group was removed), and gives the rest the most generous access of
 * the grants that cover them, for the vaults or the people a change concerns (never the whole
 * table). The vaults' rows are locked first, in id order, as a re-key locks its vault before
 * it touches members, so the two take turns instead of deadlocking on PostgreSQL. Those whose
 * access ended are recorded as departed (the vault should be re-keyed) and answered.
 */
export async function settleGroupAccess(
  trx: Db,
  dialect: Dialect,
  scope: { vaultIds: string[] } | { userIds: string[] },
  now: number,
): Promise<Array<{ vaultId: string; userId: string }>> {
  const vaultIds =
    'vaultIds' in scope
      ? scope.vaultIds
      : scope.userIds.length === 0
        ? []
        : (
            await trx
              .selectFrom('vault_members')
              .select('vault_id')
              .distinct()
              .where('direct', '=', 0)
              .where('user_id', 'in', scope.userIds)
              .execute()
          ).map((row) => row.vault_id)
  if (vaultIds.length === 0) return []
  for (const vaultId of [...new Set(vaultIds)].sort()) await lockVault(trx, dialect, vaultId)
  let ended = trx
    .deleteFrom('vault_members')
    .where('direct', '=', 0)
    .where('vault_id', 'in', vaultIds)
    .where((eb) => eb.not(coveredByGrant(eb)))
  if ('userIds' in scope) ended = ended.where('user_id', 'in', scope.userIds)
  const removed = await ended.returning(['vault_id as vaultId', 'user_id as userId']).execute()
  await recordDepartures(trx, removed, now)
  const access = (eb: ExpressionBuilder<Database, 'vault_members'>) =>
    eb
      .selectFrom('vault_group_grants')
      .innerJoin('group_members', 'group_members.group_id', 'vault_group_grants.group_id')
      .select((c) => c.fn.max('vault_group_grants.can_write').as('w'))
      .whereRef('vault_group_grants.vault_id', '=', 'vault_members.vault_id')
      .whereRef('group_members.user_id', '=', 'vault_members.user_id')
  let changed = trx
    .updateTable('vault_members')
    .set((eb) => ({ can_write: access(eb) }))
    .where('direct', '=', 0)
    .where('vault_id', 'in', vaultIds)
    .where((eb) => eb('can_write', '<>', access(eb)))
  if ('userIds' in scope) changed = changed.where('user_id', 'in', scope.userIds)
  await changed.execute()
  return removed
}

/**
 * Group members without the key of a vault granted to their group, for the vaults `adminId`
 * holds (only a device with the key can seal it), each with the access the grants give.
 */
export async function pendingGrants(
  db: Db,
  adminId: string,
): Promise<Array<{ vaultId: string; userId: string; canWrite: boolean }>> {
  const rows = await db
    .selectFrom('vault_group_grants')
    .innerJoin('group_members', 'group_members.group_id', 'vault_group_grants.group_id')
    .innerJoin('users', 'users.id', 'group_members.user_id')
    .innerJoin('vault_members as mine', (join) =>
      join
        .onRef('mine.vault_id', '=', 'vault_group_grants.vault_id')
        .on('mine.user_id', '=', adminId),
    )
    .select((eb) => [
      'vault_group_grants.vault_id as vaultId',
      'group_members.user_id as userId',
      eb.fn.max('vault_group_grants.can_write').as('canWrite'),
    ])
    .where('users.status', '=', 'active')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('vault_members')
            .select('vault_members.user_id')
            .whereRef('vault_members.vault_id', '=', 'vault_group_grants.vault_id')
            .whereRef('vault_members.user_id', '=', 'group_members.user_id'),
        ),
      ),
    )
    .groupBy(['vault_group_grants.vault_id', 'group_members.user_id'])
    .orderBy('vault_group_grants.vault_id')
    .execute()
  return rows.map((row) => ({
    vaultId: row.vaultId,
    userId: row.userId,
    canWrite: Number(row.canWrite) === 1,
  }))
}

/**
 * Stores a group member's sealed copy of the vault key if a grant covers them and they have
 * none; answers false when nothing covers them. A second seal for the same member (two
 * administrators at once) changes nothing.
 */
export async function storeGrantedKey(
  trx: Db,
  dialect: Dialect,
  grant: { vaultId: string; userId: string; key: string },
): Promise<boolean> {
  // On PostgreSQL a grant's end and a member's leaving must not pass a seal in flight: the
  // vault's row serialises it with grant changes, and the member's group rows with leaving
  // (whichever commits second sees the other, and settleGroupAccess removes what is left).
  await lockVault(trx, dialect, grant.vaultId)
  let covering = trx
    .selectFrom('vault_group_grants')
    .innerJoin('group_members', 'group_members.group_id', 'vault_group_grants.group_id')
    .innerJoin('users', 'users.id', 'group_members.user_id')
    .select('vault_group_grants.can_write')
    .where('vault_group_grants.vault_id', '=', grant.vaultId)
    .where('group_members.user_id', '=', grant.userId)
    .where('users.status', '=', 'active')
  if (dialect === 'postgres') covering = covering.forUpdate('group_members')
  const grants = await covering.execute()
  if (grants.length === 0) return false
  await trx
    .insertInto('vault_members')
    .values({
      vault_id: grant.vaultId,
      user_id: grant.userId,
      can_write: Math.max(...grants.map((g) => g.can_write)),
      wrapped_key: grant.key,
      direct: 0,
    })
    .onConflict((oc) => oc.columns(['vault_id', 'user_id']).doNothing())
    .execute()
  await forgetDeparture(trx, grant.vaultId, grant.userId)
  return true
}

/** Vaults granted to `userId`'s groups that nobody has sealed to them yet, with the groups. */
export async function waitingVaults(
  db: Db,
  userId: string,
): Promise<Array<{ vaultId: string; groups: string[] }>> {
  const rows = await db
    .selectFrom('vault_group_grants')
    .innerJoin('group_members', 'group_members.group_id', 'vault_group_grants.group_id')
    .innerJoin('groups', 'groups.id', 'vault_group_grants.group_id')
    .select(['vault_group_grants.vault_id as vaultId', 'groups.name'])
    .where('group_members.user_id', '=', userId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('vault_members')
            .select('vault_members.user_id')
            .whereRef('vault_members.vault_id', '=', 'vault_group_grants.vault_id')
            .where('vault_members.user_id', '=', userId),
        ),
      ),
    )
    .orderBy('vault_group_grants.vault_id')
    .orderBy('groups.name')
    .execute()
  const byVault = new Map<string, string[]>()
  for (const row of rows) byVault.set(row.vaultId, [...(byVault.get(row.vaultId) ?? []), row.name])
  return [...byVault].map(([vaultId, groups]) => ({ vaultId, groups }))
}

/** Groups whose grants still give `userId` the vault, by name (a direct removal keeps them). */
export async function grantingGroups(db: Db, vaultId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('vault_group_grants')
    .innerJoin('group_members', 'group_members.group_id', 'vault_group_grants.group_id')
    .innerJoin('groups', 'groups.id', 'vault_group_grants.group_id')
    .select('groups.name')
    .where('vault_group_grants.vault_id', '=', vaultId)
    .where('group_members.user_id', '=', userId)
    .orderBy('groups.name')
    .execute()
  return rows.map((row) => row.name)
}

/** Every administrator's id: who may seal a waiting member's key. */
export async function adminIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .execute()
  return rows.map((row) => row.id)
}

/** The vaults granted to a group. */
export async function grantedVaultIds(db: Db, groupId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('vault_group_grants')
    .select('vault_id')
    .where('group_id', '=', groupId)
    .execute()
  return rows.map((row) => row.vault_id)
}
