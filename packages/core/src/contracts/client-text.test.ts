import { describe, expect, it } from 'vitest'
import { textProblem } from './common.js'
import { LinkLabel } from './links.js'
import { MessageBody, MessageSubject } from './messages.js'
import { RequestNoteText } from './requests.js'

/** The first message a schema gives for a value, as the CLI shows it after the flag. */
function message(schema: typeof MessageSubject, value: string): string | undefined {
  const result = schema.safeParse(value)
  return result.success ? undefined : result.error.issues[0]?.message
}

describe('texts the clients check before sealing', () => {
  it('trims a subject, a label and a note before measuring them', () => {
    expect(MessageSubject.parse(`  ${'s'.repeat(200)}  `)).toBe('s'.repeat(200))
    expect(message(MessageSubject, 's'.repeat(201))).toBe('201 characters; the most is 200')
    expect(message(LinkLabel, 'l'.repeat(201))).toBe('201 characters; the most is 200')
    expect(message(RequestNoteText, 'n'.repeat(2001))).toBe('2001 characters; the most is 2000')
    expect(RequestNoteText.parse(' VPN password ')).toBe('VPN password')
  })

  it('keeps a message text as written, white space included', () => {
    expect(MessageBody.parse('  two\n  lines  ')).toBe('  two\n  lines  ')
    expect(message(MessageBody, 'b'.repeat(100_001))).toBe('100001 characters; the most is 100000')
    expect(MessageBody.safeParse('b'.repeat(100_000)).success).toBe(true)
  })

  it('refuses blank text with words that say what is missing', () => {
    expect(message(MessageSubject, ' \t ')).toBe('the subject is empty')
    expect(message(MessageBody, '\n\n')).toBe('the message text is empty')
    expect(message(LinkLabel, '')).toBe('the label is empty')
    expect(message(RequestNoteText, ' ')).toBe('say what you are asking for')
  })

  it('tells a missing text from one that is too long', () => {
    expect(textProblem(MessageSubject, '')).toBe('missing')
    expect(textProblem(MessageSubject, 'x'.repeat(201))).toBe('tooLong')
    expect(textProblem(MessageSubject, 'Hello')).toBeNull()
  })
})
