import type { AppContext } from '../../app-context.js'
import { adminIds } from './queries.js'

/**
 * After grants or group memberships changed for these vaults: administrators' devices look for
 * members waiting for a key to seal, and the people concerned list their vaults again.
 */
export async function tellOfGrantChange(
  ctx: Pick<AppContext, 'db' | 'events'>,
  vaultIds: string[],
  userIds: string[],
): Promise<void> {
  if (vaultIds.length === 0) return
  const readers = [...new Set([...(await adminIds(ctx.db)), ...userIds])]
  for (const id of vaultIds) {
    await ctx.events.publish(readers, { type: 'vault.grants_changed', id })
  }
}
