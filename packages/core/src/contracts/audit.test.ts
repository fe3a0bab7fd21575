import { describe, expect, it } from 'vitest'
import { AuditDetails, auditDetailsText } from './audit.js'

describe('audit details', () => {
  it('reads as key=value pairs in their order, and as nothing when there are none', () => {
    expect(auditDetailsText({ recipients: 2, highPriority: true, size: 'under 1 MiB' })).toBe(
      'recipients=2 highPriority=true size=under 1 MiB',
    )
    expect(auditDetailsText(null)).toBe('')
    expect(auditDetailsText({})).toBe('')
  })

  it('holds counts, flags and short words, never nested values or long text', () => {
    expect(AuditDetails.safeParse({ view: 1, passphrase: false }).success).toBe(true)
    expect(AuditDetails.safeParse({ nested: { a: 1 } }).success).toBe(false)
    expect(AuditDetails.safeParse({ text: 'x'.repeat(201) }).success).toBe(false)
  })
})
