import type { Kysely } from 'kysely'

/**
 * The organisation recovery key carries the enabling administrator's Ed25519 signature and
 * their user id, so users' clients escrow only to a key an administrator vouches for, never to
 * one the server made up. A key from before has neither: clients refuse to enrol with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('org_recovery_keys').addColumn('signer_id', 'text').execute()
  await db.schema.alterTable('org_recovery_keys').addColumn('signature', 'text').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['signature', 'signer_id']) {
    await db.schema.alterTable('org_recovery_keys').dropColumn(column).execute()
  }
}
