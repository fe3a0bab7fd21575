import { Cron } from 'croner'
import type { AppContext } from '../../app-context.js'
import { deleteStaleAttempts } from '../../db/attempts.js'
import { pruneAuditEvents, recordAuditEvents } from '../audit/queries.js'
import { pruneStreams } from '../events/queries.js'
import { endedLinkIdsBefore, endLinks, forgetLinks, linksToEnd } from '../links/queries.js'
import { remindOfExpiry } from '../messages/notices.js'
import { claimExpiryReminders, deleteMessages, messageReaders } from '../messages/queries.js'
import { deleteRequests, expiredRequestIds } from '../requests/queries.js'
import { deleteAbandonedStaging } from '../uploads/queries.js'
import { deleteStaleAuthRows, expiredMessageIds, tryLockSweep } from './queries.js'

export type SweepResult = {
  expiredMessages: number
  /** Recipients reminded of an unread message about to expire. */
  reminders: number
  expiredLinks: number
  expiredRequests: number
  staleChunks: number
  skipped: boolean
}

/**
 * Deletes expired messages with their key rows, blobs and chunks in one transaction (S19),
 * plus abandoned uploads and dead sessions. On PostgreSQL only one process sweeps at a time.
 */
export async function sweep(ctx: AppContext): Promise<SweepResult> {
  const now = ctx.clock.now().getTime()
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    if (ctx.dialect === 'postgres' && !(await tryLockSweep(trx))) return undefined
    const expired = await expiredMessageIds(trx, now)
    const readers = await messageReaders(trx, expired)
    await deleteMessages(trx, expired)
    await recordAuditEvents(
      trx,
      expired.map((id) => ({ actorId: null, action: 'message.expired', targetId: id, now })),
    )
    const reminders = await claimExpiryReminders(trx, now, ctx.config.remindBeforeMs)
    // Ended links keep their history (no content) as long as the audit log keeps events.
    const { expired: expiredLinks, usedUp } = await linksToEnd(trx, now)
    await endLinks(trx, expiredLinks, 'expired', now)
    await endLinks(trx, usedUp, 'used_up', now)
    await forgetLinks(trx, await endedLinkIdsBefore(trx, now - ctx.config.auditRetentionMs))
    const expiredRequests = await expiredRequestIds(trx, now)
    await deleteRequests(trx, expiredRequests)
    const staleChunks = await deleteAbandonedStaging(trx, now - ctx.config.staging.ttlMs)
    await deleteStaleAuthRows(trx, now, ctx.config.sessionIdleMs)
    await deleteStaleAttempts(trx, now)
    await pruneAuditEvents(trx, now - ctx.config.auditRetentionMs)
    // Open streams refresh their rows; rows an hour old were left by a process that died.
    await pruneStreams(trx, now - 3_600_000)
    return {
      expired,
      readers,
      reminders,
      staleChunks,
      expiredLinks: expiredLinks.length + usedUp.length,
      expiredRequests: expiredRequests.length,
    }
  })
  if (!outcome) {
    return {
      expiredMessages: 0,
      reminders: 0,
      expiredLinks: 0,
      expiredRequests: 0,
      staleChunks: 0,
      skipped: true,
    }
  }
  for (const id of outcome.expired) {
    await ctx.events.publish(outcome.readers.get(id) ?? [], { type: 'message.deleted', id })
  }
  // Claimed in the sweep's transaction: a failed email is not retried, as with new-message ones.
  await remindOfExpiry(ctx, outcome.reminders, now)
  return {
    expiredMessages: outcome.expired.length,
    reminders: outcome.reminders.length,
    expiredLinks: outcome.expiredLinks,
    expiredRequests: outcome.expiredRequests,
    staleChunks: outcome.staleChunks,
    skipped: false,
  }
}

/** Runs the sweep every minute until stopped. */
export function startSweeper(
  ctx: AppContext,
  log: { error(obj: unknown, msg: string): void },
): () => void {
  const job = new Cron('0 * * * * *', { protect: true }, async () => {
    try {
      await sweep(ctx)
    } catch (error) {
      log.error({ err: error }, 'sweep failed')
    }
  })
  return () => job.stop()
}
