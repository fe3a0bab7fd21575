import { describe, expect, it } from 'vitest'
import { listPath, parseMessagesPath } from './messages-path'

const id = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b'

describe('parseMessagesPath', () => {
  it('reads the inbox and the sent list', () => {
    expect(parseMessagesPath('')).toEqual({ box: 'inbox', openId: null })
    expect(parseMessagesPath('sent')).toEqual({ box: 'sent', openId: null })
    expect(parseMessagesPath('sent/')).toEqual({ box: 'sent', openId: null })
  })

  it('reads the links list, which opens nothing', () => {
    expect(parseMessagesPath('links')).toEqual({ box: 'links', openId: null })
    expect(parseMessagesPath('links/whatever')).toEqual({ box: 'links', openId: null })
  })

  it('reads the requests list, which opens nothing either', () => {
    expect(parseMessagesPath('requests')).toEqual({ box: 'requests', openId: null })
    expect(parseMessagesPath('requests/whatever')).toEqual({ box: 'requests', openId: null })
    expect(listPath('requests')).toBe('/messages/requests')
  })

  it('reads an open message in either list', () => {
    expect(parseMessagesPath(id)).toEqual({ box: 'inbox', openId: id })
    expect(parseMessagesPath(`sent/${id}`)).toEqual({ box: 'sent', openId: id })
  })

  it('leads back to the list a message was opened from', () => {
    expect(listPath('inbox')).toBe('/messages')
    expect(listPath('sent')).toBe('/messages/sent')
    expect(listPath('links')).toBe('/messages/links')
  })
})
