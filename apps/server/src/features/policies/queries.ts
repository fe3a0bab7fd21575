import {
  type EffectivePolicy,
  type GroupPolicy,
  type PolicyKey,
  type PolicySettings,
  policyCatalogue,
  resolvePolicy,
} from '@sealpost/core'
import type { Db } from '../../db/database.js'
import { groupScope, groupsOfUsers } from '../groups/queries.js'

export const ORG_SCOPE = 'org'
export const userScope = (userId: string) => `user:${userId}`

function isPolicyKey(key: string): key is PolicyKey {
  return Object.hasOwn(policyCatalogue, key)
}

/**
 * The stored values of each scope, every one read through its key's schema: a value that does
 * not fit is a broken invariant and throws. A key no longer in the catalogue is skipped.
 */
async function readScopes(db: Db, scopes: string[]): Promise<Map<string, PolicySettings>> {
  const byScope = new Map<string, PolicySettings>(scopes.map((scope) => [scope, {}]))
  if (scopes.length === 0) return byScope
  const rows = await db
    .selectFrom('policies')
    .select(['scope', 'key', 'value'])
    .where('scope', 'in', scopes)
    .execute()
  for (const row of rows) {
    if (!isPolicyKey(row.key)) continue
    const settings = byScope.get(row.scope) as Record<string, unknown>
    settings[row.key] = policyCatalogue[row.key].schema.parse(JSON.parse(row.value))
  }
  return byScope
}

export async function orgPolicySettings(db: Db): Promise<PolicySettings> {
  return (await readScopes(db, [ORG_SCOPE])).get(ORG_SCOPE) ?? {}
}

export async function userPolicySettings(db: Db, userId: string): Promise<PolicySettings> {
  const scope = userScope(userId)
  return (await readScopes(db, [scope])).get(scope) ?? {}
}

/** The policies of the groups each user belongs to, each named as its source. */
export async function groupPoliciesOf(
  db: Db,
  userIds: string[],
): Promise<Map<string, GroupPolicy[]>> {
  const memberships = await groupsOfUsers(db, userIds)
  const scopes = await readScopes(db, [
    ...new Set(memberships.map((membership) => groupScope(membership.groupId))),
  ])
  const byUser = new Map<string, GroupPolicy[]>()
  for (const { userId, groupId, name } of memberships) {
    const policies = byUser.get(userId) ?? []
    policies.push({ name, settings: scopes.get(groupScope(groupId)) ?? {} })
    byUser.set(userId, policies)
  }
  return byUser
}

/** The values set for one group. */
export async function groupPolicySettings(db: Db, groupId: string): Promise<PolicySettings> {
  const scope = groupScope(groupId)
  return (await readScopes(db, [scope])).get(scope) ?? {}
}

/** Every key of `userId`'s policy with its value and its source. */
export async function effectivePolicy(db: Db, userId: string): Promise<EffectivePolicy> {
  return (await effectivePolicies(db, [userId])).get(userId) ?? resolvePolicy({ org: {} })
}

/** The effective policy of each user, in four queries whatever the number of users. */
export async function effectivePolicies(
  db: Db,
  userIds: string[],
): Promise<Map<string, EffectivePolicy>> {
  const scopes = await readScopes(db, [ORG_SCOPE, ...userIds.map(userScope)])
  const groups = await groupPoliciesOf(db, userIds)
  const org = scopes.get(ORG_SCOPE) ?? {}
  return new Map(
    userIds.map((id) => [
      id,
      resolvePolicy({ org, groups: groups.get(id) ?? [], user: scopes.get(userScope(id)) ?? {} }),
    ]),
  )
}

/**
 * Sets the given keys of one scope (null removes a key), one row per key: two administrators
 * changing different keys at once both land, and neither rewrites the other's.
 */
export async function savePolicies(
  db: Db,
  scope: string,
  changes: Partial<Record<PolicyKey, unknown>>,
  now: number,
): Promise<void> {
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue
    if (value === null) {
      await db.deleteFrom('policies').where('scope', '=', scope).where('key', '=', key).execute()
      continue
    }
    const text = JSON.stringify(value)
    await db
      .insertInto('policies')
      .values({ scope, key, value: text, updated_at: now })
      .onConflict((oc) =>
        oc.columns(['scope', 'key']).doUpdateSet({ value: text, updated_at: now }),
      )
      .execute()
  }
}
