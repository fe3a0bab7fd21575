import { describe, expect, it } from 'vitest'
import { importAesKey } from './aes-gcm.js'
import { randomBytes, utf8 } from './bytes.js'
import { CryptoError } from './crypto-error.js'
import { sealEnvelope } from './envelope.js'
import { type ItemPlace, openItem, sealItem } from './vault.js'
import { type ItemContent } from '../contracts/vault.js'

const key = await importAesKey(randomBytes(32))
const place: ItemPlace = {
  vaultId: crypto.randomUUID(),
  itemId: crypto.randomUUID(),
  parentId: crypto.randomUUID(),
  revision: 3,
}
const content: ItemContent = {
  name: 'web',
  type: 'credential',
  password: 'hunter2',
  fields: [],
  files: [],
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
}

describe('vault item', () => {
  it('opens at the place and revision it was sealed for', async () => {
    expect(await openItem(key, place, await sealItem(key, place, content))).toEqual(content)
  })

  const moved: Array<[string, Partial<ItemPlace>]> = [
    ['another vault', { vaultId: crypto.randomUUID() }],
    ['another item', { itemId: crypto.randomUUID() }],
    ['another parent', { parentId: null }],
    ['an earlier revision', { revision: 2 }],
    ['a later revision', { revision: 4 }],
  ]
  it.each(moved)('rejects an item served as %s', async (_what, change) => {
    const sealed = await sealItem(key, place, content)
    const error = await failure(openItem(key, { ...place, ...change }, sealed))
    expect(error).toBeInstanceOf(CryptoError)
    expect(error).toMatchObject({ code: 'decrypt_failed' })
  })

  it('rejects an item sealed before revisions were bound', async () => {
    // What sealItem wrote before: vault, item and parent only. Nothing was released with it,
    // and accepting it would let the server serve any such payload under any revision.
    const legacyAad = utf8(
      JSON.stringify(['sealpost/v1/vault-item', place.vaultId, place.itemId, place.parentId]),
    )
    const legacy = await sealEnvelope(key, utf8(JSON.stringify(content)), legacyAad)
    const error = await failure(openItem(key, place, legacy))
    expect(error).toBeInstanceOf(CryptoError)
    expect(error).toMatchObject({ code: 'decrypt_failed' })
  })
})
