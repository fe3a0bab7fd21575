import type { AppContext } from '../../app-context.js'
import { STREAM_FRESH_MS, usersWithOpenStreams } from '../events/queries.js'
import { withAllowedAddresses } from '../policies/enforce.js'
import {
  claimMessageNotice,
  type ExpiryReminder,
  membersWantingNotices,
  senderNamesOf,
} from './queries.js'

const DAY_MS = 24 * 3_600_000

/**
 * After a message is committed (S29): each recipient with no open event stream in any server
 * process, who wants these emails, is told who sent something and when it expires — at most
 * once per `notifyEveryMs`, counted from the last email sent to them, and only to an address
 * their policy's allowedEmailDomains allows. "Online" is a fresh row
 * in `event_streams` (see events/queries.ts), so it holds across processes on PostgreSQL.
 */
export async function tellOfflineRecipients(
  ctx: AppContext,
  message: {
    senderName: string
    recipientIds: string[]
    /** Milliseconds; null when the message does not expire. */
    expiresAt: number | null
    now: number
  },
): Promise<void> {
  const mailer = ctx.mailer
  if (!mailer) return
  const { now } = message
  const online = await usersWithOpenStreams(ctx.db, message.recipientIds, now - STREAM_FRESH_MS)
  const offline = message.recipientIds.filter((id) => !online.has(id))
  const expiresInDays =
    message.expiresAt === null ? null : Math.max(1, Math.ceil((message.expiresAt - now) / DAY_MS))
  const members = await withAllowedAddresses(ctx.db, await membersWantingNotices(ctx.db, offline))
  // One failed delivery does not keep the others from going out; the first failure is thrown.
  const sent = await Promise.allSettled(
    members.map(async (member) => {
      if (!(await claimMessageNotice(ctx.db, member.id, now, now - ctx.config.notifyEveryMs))) {
        return
      }
      await mailer.sendMessageNotice({
        to: member.email,
        senderName: message.senderName,
        expiresInDays,
        appUrl: `${ctx.config.publicUrl}/messages`,
      })
    }),
  )
  const failed = sent.find((result) => result.status === 'rejected')
  if (failed) throw failed.reason
}

const HOUR_MS = 3_600_000

/**
 * Reminds each recipient of unread messages about to expire (claimed by the sweep): an in-app
 * event per message, and one email per recipient who wants notices at an address their policy
 * allows, naming the senders and the hours left, nothing of the messages.
 */
export async function remindOfExpiry(
  ctx: AppContext,
  reminders: ExpiryReminder[],
  now: number,
): Promise<void> {
  for (const reminder of reminders) {
    await ctx.events.publish([reminder.userId], {
      type: 'message.expiring',
      id: reminder.messageId,
      expiresAt: new Date(reminder.expiresAt).toISOString(),
    })
  }
  const mailer = ctx.mailer
  if (!mailer || reminders.length === 0) return
  const senders = await senderNamesOf(ctx.db, [...new Set(reminders.map((r) => r.messageId))])
  const members = await withAllowedAddresses(
    ctx.db,
    await membersWantingNotices(ctx.db, [...new Set(reminders.map((r) => r.userId))]),
  )
  const sent = await Promise.allSettled(
    members.map((member) => {
      const own = reminders.filter((reminder) => reminder.userId === member.id)
      const soonest = Math.min(...own.map((reminder) => reminder.expiresAt))
      return mailer.sendExpiryReminder({
        to: member.email,
        senderNames: [...new Set(own.flatMap((r) => senders.get(r.messageId) ?? []))],
        count: own.length,
        hoursLeft: Math.max(1, Math.ceil((soonest - now) / HOUR_MS)),
        appUrl: `${ctx.config.publicUrl}/messages`,
      })
    }),
  )
  const failed = sent.find((result) => result.status === 'rejected')
  if (failed) throw failed.reason
}
