import type { AppContext } from '../../app-context.js'
import { AppError } from '../../http/errors.js'
import type { Mailer } from './mailer.js'
import { lockSentEmails, recordSentEmails } from './queries.js'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/** The mailer, or the error every "send by email" answers when no SMTP server is set up. */
export function requireMailer(ctx: AppContext): Mailer {
  if (!ctx.mailer) {
    throw new AppError(
      'mail_not_configured',
      'email is not set up on this server; ask your administrator',
    )
  }
  return ctx.mailer
}

/**
 * Counts `count` emails against a member's hourly and daily limits, all or none, or throws
 * 429 with the wait until they fit. The count is every email sent for them in the database
 * (links and requests, deleted or not), so it holds across server processes.
 */
export async function reserveEmails(
  ctx: AppContext,
  userId: string,
  count: number,
  now: number,
): Promise<void> {
  const { perHour, perDay } = ctx.config.mailLimits
  await ctx.db.transaction().execute(async (trx) => {
    const sentToday = await lockSentEmails(trx, ctx.dialect, userId, now - DAY_MS)
    const sentThisHour = sentToday.filter((at) => at > now - HOUR_MS)
    for (const [sent, limit, windowMs, what] of [
      [sentThisHour, perHour, HOUR_MS, 'hour'],
      [sentToday, perDay, DAY_MS, 'day'],
    ] as const) {
      if (count > limit) {
        throw new AppError('invalid_input', `at most ${limit} emails can be sent per ${what}`)
      }
      const over = sent.length + count - limit
      if (over > 0) {
        // The oldest `over` emails must leave the window first.
        const retryAfter = Math.max(1, Math.ceil((sent[over - 1]! + windowMs - now) / 1000))
        throw new AppError(
          'rate_limited',
          `too many emails this ${what} (at most ${limit}); try again in ${retryAfter} s`,
          { retryAfter },
        )
      }
    }
    await recordSentEmails(trx, userId, count, now)
  })
}

export type Delivery = { to: string; ok: boolean; error: string | null }

/**
 * Sends one email per address with `send`, after reserving them all against the member's
 * limits. A failure's reason is kept, cut and with every part of the link (`secrets`) blanked
 * out, so the link never lands in the database or a log; `record` sees each delivery.
 */
export async function relayEmails(
  ctx: AppContext,
  options: {
    userId: string
    to: string[]
    /** The link and its secret parts, as they could appear in an SMTP error. */
    secrets: string[]
    send: (to: string) => Promise<void>
    record?: (delivery: Delivery) => Promise<void>
  },
): Promise<Delivery[]> {
  await reserveEmails(ctx, options.userId, options.to.length, ctx.clock.now().getTime())
  const results: Delivery[] = []
  for (const to of options.to) {
    let error: string | null = null
    try {
      await options.send(to)
    } catch (cause) {
      error =
        cause instanceof Error
          ? options.secrets
              .reduce((message, secret) => message.replaceAll(secret, '[link]'), cause.message)
              .slice(0, 300)
          : 'delivery failed'
    }
    const delivery = { to, ok: error === null, error }
    await options.record?.(delivery)
    results.push(delivery)
  }
  return results
}
