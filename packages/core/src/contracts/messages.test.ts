import { describe, expect, it } from 'vitest'
import { CHUNK_BYTES, chunkCountFor, replySubject } from './messages.js'

describe('file chunks', () => {
  it('counts at least one chunk per file, a new one after each full 64 KiB', () => {
    expect(chunkCountFor(0)).toBe(1)
    expect(chunkCountFor(CHUNK_BYTES)).toBe(1)
    expect(chunkCountFor(CHUNK_BYTES + 1)).toBe(2)
    expect(chunkCountFor(3 * CHUNK_BYTES)).toBe(3)
  })
})

describe('reply subject', () => {
  it('adds one "Re: " and never a second', () => {
    expect(replySubject('Router')).toBe('Re: Router')
    expect(replySubject('Re: Router')).toBe('Re: Router')
    expect(replySubject('RE: Router')).toBe('RE: Router')
    expect(replySubject('Re:Router')).toBe('Re: Re:Router')
    expect(replySubject('Read me')).toBe('Re: Read me')
    expect(replySubject('Subject: Re: Router')).toBe('Re: Subject: Re: Router')
  })
})
