import { sha256Hex } from '../../http/tokens.js'

/** The `prevHash` of the first event ever: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64)

/** What an event's hash covers: every column but the hash itself. */
export type ChainedFields = {
  seq: number
  id: string
  createdAt: number
  actorId: string | null
  action: string
  targetId: string | null
  ip: string | null
  userAgent: string | null
  /** Canonical JSON, or null. */
  details: string | null
  prevHash: string
}

/**
 * SHA-256 of an event's canonical form: a JSON array in a fixed order (JSON.stringify of an
 * array of strings, numbers and nulls has exactly one spelling), tagged with a version. An
 * event with details is v2, its canonical details after the user agent; one without keeps the
 * v1 form, so events recorded before details existed verify as they were hashed.
 */
export function eventHash(event: ChainedFields): string {
  const fields = [
    event.seq,
    event.id,
    event.createdAt,
    event.actorId,
    event.action,
    event.targetId,
    event.ip,
    event.userAgent,
  ]
  return sha256Hex(
    JSON.stringify(
      event.details === null
        ? ['sealpost/v1/audit', ...fields, event.prevHash]
        : ['sealpost/v2/audit', ...fields, event.details, event.prevHash],
    ),
  )
}
