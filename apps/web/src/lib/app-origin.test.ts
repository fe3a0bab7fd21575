import { describe, expect, it } from 'vitest'
import { appOrigin, isLocalName, publicUrlMismatch } from './app-origin'

const set = (url: string) => ({ publicUrl: { url, isSet: true } })
const unset = { publicUrl: { url: 'http://localhost:8080', isSet: false } }

describe('the origin of links', () => {
  it('is the public URL when set, this page otherwise', () => {
    expect(appOrigin(set('https://vault.example.org'), 'http://10.0.0.5:8080')).toBe(
      'https://vault.example.org',
    )
    expect(appOrigin(unset, 'http://10.0.0.5:8080')).toBe('http://10.0.0.5:8080')
  })

  it('knows the names only this computer can use', () => {
    for (const name of ['localhost', 'app.localhost', '127.0.0.1', '127.1.2.3', '[::1]']) {
      expect(isLocalName(name), name).toBe(true)
    }
    for (const name of ['vault.example.org', '10.0.0.5', 'localhost.example.org', '1127.0.0.1']) {
      expect(isLocalName(name), name).toBe(false)
    }
  })

  it('warns when the public URL is unset or local and the page is reached by another name', () => {
    const at = (href: string) => new URL(href)
    expect(publicUrlMismatch(unset, at('http://vault.lan:8080/admin/users'))).toEqual({
      publicUrl: 'http://localhost:8080',
      here: 'http://vault.lan:8080',
    })
    expect(publicUrlMismatch(set('http://127.0.0.1:8080'), at('http://10.0.0.5:8080/'))).toEqual({
      publicUrl: 'http://127.0.0.1:8080',
      here: 'http://10.0.0.5:8080',
    })
    // All is well: reached on this computer, a real public URL, or the public URL itself.
    expect(publicUrlMismatch(unset, at('http://localhost:8080/'))).toBeNull()
    expect(publicUrlMismatch(set('https://vault.example.org'), at('http://10.0.0.5/'))).toBeNull()
    expect(
      publicUrlMismatch(set('http://vault.lan:8080'), at('http://vault.lan:8080/x')),
    ).toBeNull()
  })
})
