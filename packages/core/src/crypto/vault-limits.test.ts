import { describe, expect, it } from 'vitest'
import { importAesKey } from './aes-gcm.js'
import { randomBytes, utf8 } from './bytes.js'
import { CryptoError } from './crypto-error.js'
import { sealEnvelope } from './envelope.js'
import { itemAad, type ItemPlace, openItem } from './vault.js'
import { type ItemContent } from '../contracts/vault.js'

const key = await importAesKey(randomBytes(32))
const place: ItemPlace = { vaultId: 'v', itemId: 'i', parentId: null, revision: 1 }
const base: ItemContent = { name: 'web', type: 'credential', fields: [], files: [] }

/** Content as a member's client sealed it, whatever it holds. */
async function open(content: unknown) {
  const sealed = await sealEnvelope(key, utf8(JSON.stringify(content)), itemAad(place))
  return openItem(key, place, sealed).then(
    () => 'opened',
    (error: unknown) => (error instanceof CryptoError ? error.code : error),
  )
}

const text = (n: number) => 'x'.repeat(n)
const field = { label: 'l', value: 'v', hidden: false }
const file = { blobId: 'b', name: 'f', type: 't', size: 0 }

describe('vault item content', () => {
  const limits: Array<[string, (n: number) => unknown, number, number]> = [
    ['name length', (n) => ({ ...base, name: text(n) }), 1, 500],
    ['username length', (n) => ({ ...base, username: text(n) }), 0, 1000],
    ['password length', (n) => ({ ...base, password: text(n) }), 0, 10_000],
    ['URL length', (n) => ({ ...base, url: text(n) }), 0, 2000],
    ['notes length', (n) => ({ ...base, notes: text(n) }), 0, 100_000],
    ['field label length', (n) => ({ ...base, fields: [{ ...field, label: text(n) }] }), 0, 200],
    ['field value length', (n) => ({ ...base, fields: [{ ...field, value: text(n) }] }), 0, 10_000],
    ['field count', (n) => ({ ...base, fields: Array(n).fill(field) }), 0, 100],
    ['file count', (n) => ({ ...base, files: Array(n).fill(file) }), 0, 100],
  ]
  for (const [what, make, min, max] of limits) {
    it(`opens within the ${what} limits and refuses beyond them as malformed`, async () => {
      expect(await open(make(min))).toBe('opened')
      expect(await open(make(max))).toBe('opened')
      expect(await open(make(max + 1))).toBe('malformed')
      if (min > 0) expect(await open(make(min - 1))).toBe('malformed')
    })
  }

  it('knows four kinds of item and a file size from zero up', async () => {
    for (const type of ['folder', 'credential', 'note', 'document']) {
      expect(await open({ ...base, type }), type).toBe('opened')
    }
    expect(await open({ ...base, type: 'secret' })).toBe('malformed')
    expect(await open({ ...base, files: [{ ...file, size: -1 }] })).toBe('malformed')
    expect(await open({ ...base, files: [{ ...file, size: 1.5 }] })).toBe('malformed')
  })
})
