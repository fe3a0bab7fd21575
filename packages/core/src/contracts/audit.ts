import { z } from 'zod'
import { Timestamp } from './common.js'

/**
 * One security-relevant event: who did what to which id, when and from where. Never content,
 * subjects or file names. `hash` is SHA-256 over the event's canonical form and `prevHash`, so
 * the log is a hash chain: changing, removing or reordering an event breaks it.
 */
/**
 * Facts about an event beyond who, what and which id: counts, sizes, settings, never content
 * (a message's recipient count and size class, a link's view number, an email's address count).
 */
export const AuditDetails = z.record(
  z.string(),
  z.union([z.string().max(200), z.number(), z.boolean()]),
)
export type AuditDetails = z.infer<typeof AuditDetails>

export const AuditEvent = z.object({
  seq: z.number().int().min(1),
  id: z.string(),
  at: Timestamp,
  actorId: z.string().nullable(),
  actorUsername: z.string().nullable(),
  action: z.string(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: AuditDetails.nullable(),
  prevHash: z.string(),
  hash: z.string(),
})
export type AuditEvent = z.infer<typeof AuditEvent>

/** Filters of the audit log; `before` pages backwards by sequence number (keyset). */
export const AuditQuery = z.object({
  actor: z.string().max(64).optional(),
  action: z.string().max(100).optional(),
  since: Timestamp.optional(),
  until: Timestamp.optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})
export type AuditQuery = z.infer<typeof AuditQuery>

export const AuditPage = z.object({
  events: z.array(AuditEvent),
  /** Pass as `before` for the next (older) page; null on the last one. */
  nextBefore: z.number().int().nullable(),
})
export type AuditPage = z.infer<typeof AuditPage>

export const AuditExportQuery = AuditQuery.omit({ before: true, limit: true }).extend({
  format: z.enum(['ndjson', 'csv']).default('ndjson'),
})

/** The chain walked from its start (or the last retention checkpoint) to its head. */
export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  /** Events checked. */
  events: z.number().int(),
  /** The first event that does not fit the chain, and why; null when `ok`. */
  broken: z
    .object({ seq: z.number().int(), id: z.string().nullable(), reason: z.string() })
    .nullable(),
})
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>

/** Details as one line for a table: `recipients=2 files=1`; empty when there are none. */
export function auditDetailsText(details: AuditDetails | null): string {
  return Object.entries(details ?? {})
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ')
}
