import { describe, expect, it } from 'vitest'
import {
  concatBytes,
  equalBytes,
  fromBase64Url,
  fromHex,
  fromUtf8,
  randomBytes,
  toBase64Url,
  toHex,
  utf8,
} from './bytes.js'
import { CryptoError } from './crypto-error.js'

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0))

describe('base64url', () => {
  it('encodes the RFC 4648 test vectors without padding, in the URL alphabet', () => {
    const vectors: Array<[string, string]> = [
      ['', ''],
      ['f', 'Zg'],
      ['fo', 'Zm8'],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg'],
      ['fooba', 'Zm9vYmE'],
      ['foobar', 'Zm9vYmFy'],
    ]
    for (const [plain, encoded] of vectors) {
      expect(toBase64Url(ascii(plain))).toBe(encoded)
      expect(fromBase64Url(encoded)).toEqual(ascii(plain))
    }
    expect(toBase64Url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_')
    expect(fromBase64Url('-_-_')).toEqual(new Uint8Array([0xfb, 0xff, 0xbf]))
  })

  it('round-trips more bytes than one conversion step takes', () => {
    const bytes = Uint8Array.from({ length: 0x8000 * 2 + 5 }, (_, i) => (i * 7) & 0xff)
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes)
  })

  it('refuses what is not base64url as malformed', () => {
    for (const text of ['Zm9v+', 'Zm9v/', 'Zg==', 'Zm9vY', 'Zm 9v', 'Zm9v\n']) {
      expect(() => fromBase64Url(text), text).toThrow(CryptoError)
    }
  })
})

describe('hex', () => {
  it('reads and writes both cases, two digits a byte', () => {
    expect(toHex(new Uint8Array([0, 1, 0xab, 0xff]))).toBe('0001abff')
    expect(fromHex('0001abFF')).toEqual(new Uint8Array([0, 1, 0xab, 0xff]))
    expect(fromHex('')).toEqual(new Uint8Array())
    const long = Uint8Array.from({ length: 40 }, (_, i) => (i * 37 + 11) & 0xff)
    expect(fromHex(toHex(long))).toEqual(long)
  })

  it('refuses an odd length or a non-hex digit', () => {
    for (const text of ['abc', 'zz', '0x00', 'ab cd']) {
      expect(() => fromHex(text), text).toThrow(TypeError)
    }
  })
})

describe('bytes', () => {
  it('joins parts in order', () => {
    expect(concatBytes(new Uint8Array([1, 2]), new Uint8Array(), new Uint8Array([3]))).toEqual(
      new Uint8Array([1, 2, 3]),
    )
    expect(concatBytes()).toEqual(new Uint8Array())
  })

  it('compares equal only when every byte and the length match', () => {
    expect(equalBytes(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true)
    expect(equalBytes(new Uint8Array(), new Uint8Array())).toBe(true)
    expect(equalBytes(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false)
    expect(equalBytes(new Uint8Array([0, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(false)
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false)
  })

  it('gives fresh random bytes of the asked length', () => {
    expect(randomBytes(32)).toHaveLength(32)
    expect(toHex(randomBytes(16))).not.toBe(toHex(randomBytes(16)))
  })

  it('reads UTF-8 strictly', () => {
    expect(fromUtf8(utf8('café ✓'))).toBe('café ✓')
    expect(() => fromUtf8(new Uint8Array([0x63, 0xff]))).toThrow(TypeError)
  })
})
