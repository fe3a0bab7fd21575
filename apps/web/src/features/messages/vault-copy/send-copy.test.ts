import { describe, expect, it } from 'vitest'
import {
  COPY_PARAM,
  VIA_PARAM,
  parseCopyParam,
  parseViaParam,
  returnToOf,
  sendCopyPath,
} from './send-copy'

const vaultId = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b'
const itemId = '0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9'

function paramsOf(path: string) {
  const url = new URL(path, 'https://vault.example.org')
  expect(url.pathname).toBe('/messages')
  return url.searchParams
}

describe('sendCopyPath', () => {
  it('names the item for Send copy, without a via', () => {
    const params = paramsOf(sendCopyPath(vaultId, itemId))
    expect(params.get(COPY_PARAM)).toBe(`${vaultId}:${itemId}`)
    expect(params.has(VIA_PARAM)).toBe(false)
    expect(sendCopyPath(vaultId, itemId, 'in-app')).toBe(sendCopyPath(vaultId, itemId))
  })

  it('asks for the link tab for Create shareable link', () => {
    const path = sendCopyPath(vaultId, itemId, 'link')
    expect(path).toBe(`/messages?copy=${vaultId}%3A${itemId}&via=link`)
    const params = paramsOf(path)
    expect(parseCopyParam(params.get(COPY_PARAM))).toEqual({ vaultId, itemId })
    expect(parseViaParam(params.get(VIA_PARAM))).toBe('link')
  })
})

describe('parseCopyParam', () => {
  it('reads a vault and an item id', () => {
    expect(parseCopyParam(`${vaultId}:${itemId}`)).toEqual({ vaultId, itemId })
  })

  it('refuses what is missing or malformed', () => {
    expect(parseCopyParam(null)).toBeNull()
    expect(parseCopyParam(undefined)).toBeNull()
    expect(parseCopyParam('')).toBeNull()
    expect(parseCopyParam(vaultId)).toBeNull()
    expect(parseCopyParam(`${vaultId}:${itemId}:x`)).toBeNull()
    expect(parseCopyParam(`${vaultId}:not-an-id`)).toBeNull()
  })
})

describe('parseViaParam', () => {
  it('is in-app unless the link tab is asked for', () => {
    expect(parseViaParam('link')).toBe('link')
    expect(parseViaParam(null)).toBe('in-app')
    expect(parseViaParam(undefined)).toBe('in-app')
    expect(parseViaParam('in-app')).toBe('in-app')
    expect(parseViaParam('email')).toBe('in-app')
    expect(parseViaParam('LINK')).toBe('in-app')
  })
})

describe('returnToOf', () => {
  it('takes a path of this app from the history state', () => {
    expect(returnToOf({ returnTo: `/vaults/${vaultId}/items/${itemId}` })).toBe(
      `/vaults/${vaultId}/items/${itemId}`,
    )
    expect(returnToOf({ returnTo: '/?q=web' })).toBe('/?q=web')
  })

  it('refuses anything else: no state, another site, not a string', () => {
    expect(returnToOf(null)).toBeNull()
    expect(returnToOf(undefined)).toBeNull()
    expect(returnToOf({})).toBeNull()
    expect(returnToOf({ returnTo: '//evil.example/x' })).toBeNull()
    expect(returnToOf({ returnTo: 'https://evil.example/' })).toBeNull()
    expect(returnToOf({ returnTo: 42 })).toBeNull()
  })
})
