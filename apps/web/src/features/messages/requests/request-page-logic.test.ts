import { ApiError, CryptoError } from '@sealpost/core'
import { describe, expect, it } from 'vitest'
import { filesProblem, requestFailure, requestFromLocation } from './request-page-logic'

const FRAGMENT = `#${'A'.repeat(64)}`

describe('requestFromLocation', () => {
  it('takes the origin, path and fragment of a whole request link, and drops a query', () => {
    expect(requestFromLocation('https://v.example', `/r/${'b'.repeat(22)}`, FRAGMENT)).toBe(
      `https://v.example/r/${'b'.repeat(22)}${FRAGMENT}`,
    )
  })

  it('gives null for anything that is not a whole request link', () => {
    for (const [path, hash] of [
      [`/r/${'b'.repeat(22)}`, ''],
      [`/r/${'b'.repeat(21)}`, FRAGMENT],
      [`/s/${'b'.repeat(22)}`, FRAGMENT],
      [`/r/${'b'.repeat(22)}`, `#${'A'.repeat(43)}`],
    ] as const) {
      expect(requestFromLocation('https://v.example', path, hash), `${path}${hash}`).toBeNull()
    }
  })
})

describe('requestFailure', () => {
  it('tells a swapped key apart from every other refusal', () => {
    expect(requestFailure(new CryptoError('bad_key'))).toBe('key_mismatch')
    expect(requestFailure(new CryptoError('malformed'))).toBe('not_available')
    expect(requestFailure(new ApiError(404, 'not_available', 'x'))).toBe('not_available')
    expect(requestFailure(new ApiError(429, 'rate_limited', 'x'))).toBe('rate_limited')
    expect(requestFailure(new ApiError(0, 'network', 'x'))).toBe('failed')
    expect(requestFailure(new ApiError(413, 'quota_exceeded', 'x'))).toBe('failed')
  })
})

describe('filesProblem', () => {
  const limits = { maxFileBytes: 10, maxAnswerBytes: 15 }

  it('names a file larger than the limit, then the total over the answer limit', () => {
    expect(filesProblem([{ name: 'a', size: 10 }], limits)).toBeNull()
    expect(
      filesProblem(
        [
          { name: 'a', size: 5 },
          { name: 'b', size: 11 },
        ],
        limits,
      ),
    ).toEqual({
      kind: 'file',
      name: 'b',
    })
    expect(
      filesProblem(
        [
          { name: 'a', size: 8 },
          { name: 'b', size: 8 },
        ],
        limits,
      ),
    ).toEqual({
      kind: 'total',
    })
  })
})
