import { describe, expect, it } from 'vitest'
import { canonicalJson } from './canonical-json.js'

describe('canonicalJson', () => {
  it('writes the same text whatever order the keys were written in, at every depth', () => {
    const a = { v: 1, header: { iv: 'x', ct: 'y' }, list: [{ b: 2, a: 1 }] }
    const b = { list: [{ a: 1, b: 2 }], header: { ct: 'y', iv: 'x' }, v: 1 }
    expect(canonicalJson(a)).toBe(canonicalJson(b))
    expect(canonicalJson(a)).toBe('{"header":{"ct":"y","iv":"x"},"list":[{"a":1,"b":2}],"v":1}')
  })

  it('tells apart values that differ', () => {
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }))
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }))
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}))
  })

  it('leaves out undefined members and writes undefined in arrays as null, like JSON.stringify', () => {
    const value = { a: undefined, b: [undefined, 1] }
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)))
  })

  it('escapes keys and strings as JSON does', () => {
    expect(canonicalJson({ 'a"b': 'line\nbreak' })).toBe('{"a\\"b":"line\\nbreak"}')
  })
})
