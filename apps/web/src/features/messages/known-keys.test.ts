import { describe, expect, it } from 'vitest'
import { comparePins, loadKnownKeys, saveKnownKeys } from './known-keys'

function memoryStorage(): Storage {
  const items = new Map<string, string>()
  return {
    get length() {
      return items.size
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  }
}

describe('comparePins', () => {
  it('pins contacts seen for the first time without warning', () => {
    const result = comparePins({}, [{ id: 'a', fingerprint: 'f1' }])
    expect(result).toEqual({ known: { a: 'f1' }, changed: [] })
  })

  it('reports a contact whose fingerprint differs and keeps the old pin', () => {
    const result = comparePins({ a: 'f1', b: 'f2' }, [
      { id: 'a', fingerprint: 'f1' },
      { id: 'b', fingerprint: 'evil' },
    ])
    expect(result.changed).toEqual([{ id: 'b', fingerprint: 'evil' }])
    expect(result.known).toEqual({ a: 'f1', b: 'f2' })
  })
})

describe('known keys storage', () => {
  it('keeps pins per signed-in user', () => {
    const storage = memoryStorage()
    saveKnownKeys(storage, 'me', { a: 'f1' })
    expect(loadKnownKeys(storage, 'me')).toEqual({ a: 'f1' })
    expect(loadKnownKeys(storage, 'someone-else')).toEqual({})
  })

  it('ignores stored values that are not a map of strings', () => {
    const storage = memoryStorage()
    storage.setItem('sealpost.known-keys.me', '{"a": 1, "b": "f2"}')
    expect(loadKnownKeys(storage, 'me')).toEqual({ b: 'f2' })
    storage.setItem('sealpost.known-keys.me', 'not json')
    expect(loadKnownKeys(storage, 'me')).toEqual({})
  })
})
