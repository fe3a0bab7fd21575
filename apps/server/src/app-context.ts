import type { Config } from './config.js'
import type { Db, Dialect } from './db/database.js'
import type { EventBus } from './features/events/bus.js'
import type { Mailer } from './features/mail/mailer.js'
import type { Notices } from './features/mail/notices.js'
import type { WebhookWakeup } from './features/webhooks/delivery.js'
import type { AttemptLimiter } from './http/attempt-limiter.js'

/** Time source; tests pass a movable clock so expiry needs no sleeping. */
export type Clock = { now(): Date }

export const systemClock: Clock = { now: () => new Date() }

/** Everything a feature needs, passed explicitly (STYLE.md rule 14). */
export type AppContext = {
  config: Config
  db: Db
  dialect: Dialect
  clock: Clock
  /** OPAQUE server setup secret; never stored in the database. */
  opaqueServerSetup: string
  loginLimiter: AttemptLimiter
  linkLimiter: AttemptLimiter
  /** Guesses at request links (view, upload, answer), per request and per address. */
  requestLimiter: AttemptLimiter
  /** Guesses at recovery codes and reset links, per username or link and per address. */
  recoveryLimiter: AttemptLimiter
  /** Undefined when no SMTP server is configured. */
  mailer: Mailer | undefined
  /** Emails sent after a commit, off the request's path (link opened, new message). */
  notices: Notices
  events: EventBus
  /** Wakes this process's webhook worker (main.ts starts it; tests call deliverDue). */
  webhookWakeup: WebhookWakeup
}
