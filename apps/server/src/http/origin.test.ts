import { describe, expect, it } from 'vitest'
import { appOrigin } from './origin.js'

const configured = { publicUrl: 'https://vault.example.org', publicUrlIsSet: true }
const defaulted = { publicUrl: 'http://localhost:8080', publicUrlIsSet: false }

describe('the origin of links shown to users', () => {
  it('is the configured public URL whatever Host a request names', () => {
    // An invite link built from an attacker's Host header would send the invitee's password
    // setup to the attacker's page.
    expect(appOrigin(configured, { protocol: 'http', host: 'attacker.example' })).toBe(
      'https://vault.example.org',
    )
  })

  it('is the address the request came to when none is configured', () => {
    expect(appOrigin(defaulted, { protocol: 'https', host: 'vault.example.org:8443' })).toBe(
      'https://vault.example.org:8443',
    )
    // Only the origin: a Host smuggling a path or credentials brings neither along.
    expect(appOrigin(defaulted, { protocol: 'http', host: 'vault.example.org/evil?x' })).toBe(
      'http://vault.example.org',
    )
  })

  it('falls back to the default public URL for a Host that makes no origin', () => {
    expect(appOrigin(defaulted, { protocol: 'http', host: 'not a host' })).toBe(
      'http://localhost:8080',
    )
    expect(appOrigin(defaulted, { protocol: 'http', host: '' })).toBe('http://localhost:8080')
  })
})
