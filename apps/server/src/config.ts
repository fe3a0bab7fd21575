import path from 'node:path'
import { z } from 'zod'

const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])

const Env = z.object({
  SEALPOST_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  SEALPOST_HOST: z.string().min(1).default('127.0.0.1'),
  SEALPOST_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (unset it to use SQLite)')
    .optional(),
  SEALPOST_PUBLIC_URL: z.url().optional(),
  SEALPOST_LOG_LEVEL: LogLevel.default('info'),
  SEALPOST_OPAQUE_SERVER_SETUP: z.string().min(32).optional(),
  SEALPOST_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(480),
  SEALPOST_SESSION_MAX_HOURS: z.coerce.number().int().min(1).default(168),
  SEALPOST_TRUST_PROXY: z.stringbool().default(false),
  SEALPOST_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@host:587')
    .optional(),
  SEALPOST_MAIL_FROM: z.string().min(3).optional(),
  SEALPOST_MAX_FILE_MB: z.coerce.number().positive().max(1024).default(25),
  SEALPOST_MAX_MESSAGE_MB: z.coerce.number().positive().max(4096).default(100),
  SEALPOST_LOGIN_ATTEMPTS_PER_USER_IP: z.coerce.number().int().min(1).default(10),
  SEALPOST_LOGIN_ATTEMPTS_PER_USER: z.coerce.number().int().min(1).default(50),
  SEALPOST_LOGIN_ATTEMPTS_PER_IP: z.coerce.number().int().min(1).default(100),
  SEALPOST_MAX_STAGED_MB: z.coerce.number().positive().max(4096).optional(),
  SEALPOST_MAX_STAGED_FILES: z.coerce.number().int().min(1).default(1000),
  SEALPOST_STREAMS_PER_SESSION: z.coerce.number().int().min(1).default(8),
  SEALPOST_STREAMS_PER_USER: z.coerce.number().int().min(1).default(32),
  SEALPOST_STAGING_TTL_MINUTES: z.coerce.number().int().min(5).default(120),
  SEALPOST_USER_QUOTA_MB: z.coerce.number().min(0).default(1024),
  SEALPOST_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(365),
  SEALPOST_LINK_OPENS_PER_LINK: z.coerce.number().int().min(1).default(8),
  SEALPOST_LINK_OPENS_PER_IP: z.coerce.number().int().min(1).default(8),
  SEALPOST_MAIL_PER_HOUR: z.coerce.number().int().min(1).default(30),
  SEALPOST_MAIL_PER_DAY: z.coerce.number().int().min(1).default(100),
  SEALPOST_NOTIFY_EVERY_MINUTES: z.coerce.number().int().min(1).max(10_080).default(10),
  SEALPOST_REMIND_BEFORE_HOURS: z.coerce.number().int().min(0).max(720).default(24),
  SEALPOST_WEBHOOKS_ALLOW_PRIVATE: z.stringbool().default(true),
})

export type Config = {
  port: number
  host: string
  dataDir: string
  databaseUrl: string | undefined
  publicUrl: string
  /** Whether SEALPOST_PUBLIC_URL was set: without it, links use the address the browser used. */
  publicUrlIsSet: boolean
  logLevel: z.infer<typeof LogLevel>
  opaqueServerSetup: string | undefined
  sessionIdleMs: number
  /** Audit events older than this are pruned from the start of the chain. */
  auditRetentionMs: number
  sessionMaxMs: number
  trustProxy: boolean
  maxFileBytes: number
  /** SMTP for emailed links; unset disables email. */
  smtp: { url: string; from: string } | undefined
  maxMessageBytes: number
  /** Uploads waiting for their message, link or vault item, per user; dropped after `ttlMs` idle. */
  staging: { maxBytes: number; maxFiles: number; ttlMs: number }
  /** Open event streams per sign-in and per user, in each server process (429 beyond). */
  streams: { perSession: number; perUser: number }
  /** Vault files each user may store (bytes). */
  userQuotaBytes: number
  /** Failed sign-ins allowed per 15 minutes: hard per (username, address) and per address; per username, then backoff. */
  loginAttempts: { perUserAndIp: number; perUser: number; perIp: number }
  /** Link opens streaming at once in this process, per link and per client address (429 beyond). */
  linkOpens: { perLink: number; perIp: number }
  /** Emails a member may have the server send, per rolling hour and day (429 beyond). */
  mailLimits: { perHour: number; perDay: number }
  /** At most one new-message email per member in this long. */
  notifyEveryMs: number
  /** How long before an unread message expires its recipient is reminded; 0 reminds no one. */
  remindBeforeMs: number
  /**
   * Whether webhooks may reach private addresses (10/8, 172.16/12, 192.168/16, 127/8, ::1,
   * fc00::/7, 100.64/10); link-local and cloud metadata addresses are refused either way.
   */
  webhooksAllowPrivate: boolean
  /** Cookies get Secure and the __Host- prefix when served over TLS. */
  secureCookies: boolean
}

/** Parses the environment; throws one message naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (VAR= in a compose file) means "use the default".
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''))
  const parsed = Env.safeParse(given)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`invalid configuration:\n${lines.join('\n')}`)
  }
  const e = parsed.data
  const publicUrl = (e.SEALPOST_PUBLIC_URL ?? `http://localhost:${e.SEALPOST_PORT}`).replace(
    /\/+$/,
    '',
  )
  return {
    port: e.SEALPOST_PORT,
    host: e.SEALPOST_HOST,
    dataDir: path.resolve(e.SEALPOST_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    publicUrl,
    publicUrlIsSet: e.SEALPOST_PUBLIC_URL !== undefined,
    logLevel: e.SEALPOST_LOG_LEVEL,
    opaqueServerSetup: e.SEALPOST_OPAQUE_SERVER_SETUP,
    sessionIdleMs: e.SEALPOST_SESSION_IDLE_MINUTES * 60_000,
    auditRetentionMs: e.SEALPOST_AUDIT_RETENTION_DAYS * 86_400_000,
    sessionMaxMs: e.SEALPOST_SESSION_MAX_HOURS * 3_600_000,
    trustProxy: e.SEALPOST_TRUST_PROXY,
    smtp: e.SEALPOST_SMTP_URL
      ? {
          url: e.SEALPOST_SMTP_URL,
          from: e.SEALPOST_MAIL_FROM ?? `Sealpost <sealpost@${new URL(publicUrl).hostname}>`,
        }
      : undefined,
    maxFileBytes: Math.floor(e.SEALPOST_MAX_FILE_MB * 1024 * 1024),
    maxMessageBytes: Math.floor(e.SEALPOST_MAX_MESSAGE_MB * 1024 * 1024),
    staging: {
      maxBytes: Math.floor((e.SEALPOST_MAX_STAGED_MB ?? e.SEALPOST_MAX_MESSAGE_MB) * 1024 * 1024),
      maxFiles: e.SEALPOST_MAX_STAGED_FILES,
      ttlMs: e.SEALPOST_STAGING_TTL_MINUTES * 60_000,
    },
    streams: {
      perSession: e.SEALPOST_STREAMS_PER_SESSION,
      perUser: e.SEALPOST_STREAMS_PER_USER,
    },
    userQuotaBytes: Math.floor(e.SEALPOST_USER_QUOTA_MB * 1024 * 1024),
    loginAttempts: {
      perUserAndIp: e.SEALPOST_LOGIN_ATTEMPTS_PER_USER_IP,
      perUser: e.SEALPOST_LOGIN_ATTEMPTS_PER_USER,
      perIp: e.SEALPOST_LOGIN_ATTEMPTS_PER_IP,
    },
    linkOpens: { perLink: e.SEALPOST_LINK_OPENS_PER_LINK, perIp: e.SEALPOST_LINK_OPENS_PER_IP },
    mailLimits: { perHour: e.SEALPOST_MAIL_PER_HOUR, perDay: e.SEALPOST_MAIL_PER_DAY },
    notifyEveryMs: e.SEALPOST_NOTIFY_EVERY_MINUTES * 60_000,
    remindBeforeMs: e.SEALPOST_REMIND_BEFORE_HOURS * 3_600_000,
    webhooksAllowPrivate: e.SEALPOST_WEBHOOKS_ALLOW_PRIVATE,
    secureCookies: publicUrl.startsWith('https://'),
  }
}
