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
  prevHash: string
}

/**
 * SHA-256 of an event's canonical form: a JSON array in a fixed order (JSON.stringify of an
 * array of strings, numbers and nulls has exactly one spelling), tagged with a version.
 */
export function eventHash(event: ChainedFields): string {
  return sha256Hex(
    JSON.stringify([
      'sealpost/v1/audit',
      event.seq,
      event.id,
      event.createdAt,
      event.actorId,
      event.action,
      event.targetId,
      event.ip,
      event.userAgent,
      event.prevHash,
    ]),
  )
}
