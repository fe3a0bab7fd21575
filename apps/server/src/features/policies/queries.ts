import {
  type EffectivePolicy,
  type GroupPolicy,
  type PolicyKey,
  type PolicySettings,
  policyCatalogue,
  resolvePolicy,
} from '@sealpost/core'
import type { Db } from '../../db/database.js'

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

/**
 * The policies of the groups `userId` belongs to, each named as its source. Groups come with
 * the next increment of issue 13; until then a user belongs to none.
 */
export function groupPoliciesOf(_db: Db, _userIds: string[]): Promise<Map<string, GroupPolicy[]>> {
  return Promise.resolve(new Map<string, GroupPolicy[]>())
}

/** Every key of `userId`'s policy with its value and its source. */
export async function effectivePolicy(db: Db, userId: string): Promise<EffectivePolicy> {
  return (await effectivePolicies(db, [userId])).get(userId) ?? resolvePolicy({ org: {} })
}

/** The effective policy of each user, in two queries whatever the number of users. */
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
