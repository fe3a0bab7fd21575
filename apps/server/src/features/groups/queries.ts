import { type GroupDetail, groupNameKey, type GroupSummary } from '@sealpost/core'
import { sql } from 'kysely'
import type { Db } from '../../db/database.js'

/** A unique index refused the row: another transaction got there first. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error) || !('code' in error)) return false
  return error.code === '23505' || error.code === 'SQLITE_CONSTRAINT_UNIQUE'
}

/** Every group with its number of active members, by name. */
export async function listGroups(db: Db): Promise<GroupSummary[]> {
  const rows = await db
    .selectFrom('groups')
    .leftJoin('group_members', 'group_members.group_id', 'groups.id')
    .leftJoin('users', (join) =>
      join.onRef('users.id', '=', 'group_members.user_id').on('users.status', '=', 'active'),
    )
    .select(['groups.id', 'groups.name', (eb) => eb.fn.count<number>('users.id').as('members')])
    .groupBy(['groups.id', 'groups.name', 'groups.name_key'])
    .orderBy('groups.name_key')
    .execute()
  return rows.map((row) => ({ id: row.id, name: row.name, memberCount: Number(row.members) }))
}

/** A group with its members by username; `activeOnly` for members of the organisation. */
export async function findGroup(
  db: Db,
  id: string,
  options: { activeOnly: boolean },
): Promise<GroupDetail | undefined> {
  const group = await db
    .selectFrom('groups')
    .select(['id', 'name'])
    .where('id', '=', id)
    .executeTakeFirst()
  if (!group) return undefined
  let members = db
    .selectFrom('group_members')
    .innerJoin('users', 'users.id', 'group_members.user_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.status'])
    .where('group_members.group_id', '=', id)
  if (options.activeOnly) members = members.where('users.status', '=', 'active')
  const rows = await members.orderBy('users.username').execute()
  return {
    id: group.id,
    name: group.name,
    members: rows.map((row) => ({
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      status: row.status,
    })),
  }
}

export async function groupExists(db: Db, id: string): Promise<boolean> {
  const row = await db.selectFrom('groups').select('id').where('id', '=', id).executeTakeFirst()
  return row !== undefined
}

/** Creates the group; false when another group already has the name (whatever its case). */
export async function insertGroup(
  db: Db,
  group: { id: string; name: string; now: number },
): Promise<boolean> {
  const result = await db
    .insertInto('groups')
    .values({
      id: group.id,
      name: group.name,
      name_key: groupNameKey(group.name),
      created_at: group.now,
    })
    .onConflict((oc) => oc.column('name_key').doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1
}

/** Renames the group: 'missing' without it, 'taken' when another group has the name. */
export async function renameGroup(
  db: Db,
  id: string,
  name: string,
): Promise<'renamed' | 'missing' | 'taken'> {
  try {
    const result = await db
      .updateTable('groups')
      .set({ name, name_key: groupNameKey(name) })
      .where('id', '=', id)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1 ? 'renamed' : 'missing'
  } catch (error) {
    if (isUniqueViolation(error)) return 'taken'
    throw error
  }
}

/** Deletes the group, its memberships and its policy values; its active members before. */
export async function deleteGroup(db: Db, id: string): Promise<string[] | undefined> {
  const members = await memberIds(db, id)
  const result = await db.deleteFrom('groups').where('id', '=', id).executeTakeFirst()
  if (Number(result.numDeletedRows) === 0) return undefined
  await db.deleteFrom('policies').where('scope', '=', groupScope(id)).execute()
  return members
}

export const groupScope = (groupId: string) => `group:${groupId}`

/** The users in the group, whatever their status. */
export async function memberIds(db: Db, groupId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('group_members')
    .select('user_id')
    .where('group_id', '=', groupId)
    .execute()
  return rows.map((row) => row.user_id)
}

/**
 * Adds and removes members. Adding someone already in the group, or two administrators adding
 * the same user at once, leaves one membership.
 */
export async function changeMembers(
  db: Db,
  groupId: string,
  change: { add: string[]; remove: string[]; now: number },
): Promise<void> {
  const add = [...new Set(change.add)]
  if (add.length > 0) {
    await db
      .insertInto('group_members')
      .values(add.map((userId) => ({ group_id: groupId, user_id: userId, added_at: change.now })))
      .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
      .execute()
  }
  if (change.remove.length > 0) {
    await db
      .deleteFrom('group_members')
      .where('group_id', '=', groupId)
      .where('user_id', 'in', change.remove)
      .execute()
  }
}

/** Of `userIds`, those that are not users at all. */
export async function unknownUserIds(db: Db, userIds: string[]): Promise<string[]> {
  const wanted = [...new Set(userIds)]
  if (wanted.length === 0) return []
  const rows = await db.selectFrom('users').select('id').where('id', 'in', wanted).execute()
  const known = new Set(rows.map((row) => row.id))
  return wanted.filter((id) => !known.has(id))
}

/** The groups each of `userIds` belongs to: id and name. */
export async function groupsOfUsers(
  db: Db,
  userIds: string[],
): Promise<Array<{ userId: string; groupId: string; name: string }>> {
  if (userIds.length === 0) return []
  const rows = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select(['group_members.user_id', 'groups.id', 'groups.name'])
    .where('group_members.user_id', 'in', userIds)
    .orderBy(sql`groups.name_key`)
    .execute()
  return rows.map((row) => ({ userId: row.user_id, groupId: row.id, name: row.name }))
}
