import { WEBHOOK_EVENTS_MAX } from '@sealpost/core'
import { describe, expect, it } from 'vitest'
import {
  deliveriesPollMs,
  parseEvents,
  POLL_MAX_MS,
  POLL_MIN_MS,
  serverFieldErrors,
  UNDER_WAY_MS,
} from './webhook-form'

describe('the events field', () => {
  it('reads actions and prefixes separated by commas or lines, once each', () => {
    expect(parseEvents(' message.sent, link.opened\nmessage.* ,message.sent,')).toEqual({
      ok: true,
      events: ['message.sent', 'link.opened', 'message.*'],
    })
  })

  it('keeps * for the server, which reads it as every event', () => {
    expect(parseEvents('*')).toEqual({ ok: true, events: ['*'] })
  })

  it('refuses an empty list', () => {
    expect(parseEvents(' , ')).toEqual({ ok: false, problem: 'empty' })
  })

  it('names each word that is not an audit action', () => {
    expect(parseEvents('message.sent, message sent, Link.opened, link.*.opened')).toEqual({
      ok: false,
      problem: 'invalid',
      invalid: ['message sent', 'Link.opened', 'link.*.opened'],
    })
  })

  it('refuses more events than the server takes', () => {
    const events = Array.from({ length: WEBHOOK_EVENTS_MAX + 1 }, (_, i) => `action.n${i}`)
    expect(parseEvents(events.join(','))).toEqual({ ok: false, problem: 'tooMany' })
    expect(parseEvents(events.slice(1).join(',')).ok).toBe(true)
  })
})

describe("the server's refusals, field by field", () => {
  it('puts a refused address on the URL', () => {
    expect(serverFieldErrors('url: 169.254.169.254 is a link-local or metadata address')).toEqual({
      url: '169.254.169.254 is a link-local or metadata address',
    })
  })

  it('puts a list entry on its list and keeps the first reason for each field', () => {
    expect(
      serverFieldErrors('events.3: an audit action; url: an http:// URL; events.4: too long'),
    ).toEqual({ events: 'an audit action', url: 'an http:// URL' })
  })

  it('leaves what names no field of the form to the form', () => {
    expect(serverFieldErrors('enabled: expected boolean; invalid input')).toEqual({})
  })
})

describe('how often deliveries are asked for', () => {
  const now = Date.parse('2026-05-01T10:00:00Z')
  const at = (ms: number) => new Date(now + ms).toISOString()
  /** A delivery that last changed a minute ago and is next tried `inMs` from now. */
  const pending = (inMs: number | null, changedMsAgo = 60_000) => ({
    status: 'pending' as const,
    nextAttemptAt: inMs === null ? null : at(inMs),
    updatedAt: at(-changedMsAgo),
  })
  const done = { status: 'succeeded' as const, nextAttemptAt: null, updatedAt: at(0) }

  it('stops once nothing is pending', () => {
    expect(deliveriesPollMs([], now)).toBe(false)
    const failed = { status: 'failed' as const, nextAttemptAt: null, updatedAt: at(0) }
    expect(deliveriesPollMs([done, failed], now)).toBe(false)
  })

  it('asks again within a second while an attempt is due', () => {
    expect(deliveriesPollMs([done, pending(0)], now)).toBe(POLL_MIN_MS)
    expect(deliveriesPollMs([pending(-60_000)], now)).toBe(POLL_MIN_MS)
    expect(deliveriesPollMs([pending(null)], now)).toBe(POLL_MIN_MS)
  })

  it('asks every second while an attempt may be under way, whatever its claim says', () => {
    // Claimed a moment ago: next attempt at the end of the one-minute claim.
    expect(deliveriesPollMs([pending(59_000, 1_000)], now)).toBe(POLL_MIN_MS)
    expect(deliveriesPollMs([pending(59_000, UNDER_WAY_MS - 1)], now)).toBe(POLL_MIN_MS)
    expect(deliveriesPollMs([pending(59_000, UNDER_WAY_MS)], now)).toBe(POLL_MAX_MS)
  })

  it('waits for the soonest retry, at most half a minute', () => {
    expect(deliveriesPollMs([pending(10_000), pending(60_000)], now)).toBe(10_000 + POLL_MIN_MS)
    expect(deliveriesPollMs([pending(3_600_000)], now)).toBe(POLL_MAX_MS)
  })
})
