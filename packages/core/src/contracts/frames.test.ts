import { describe, expect, it } from 'vitest'
import { frameChunks, readFrames } from './frames.js'

const bytes = (...values: number[]) => new Uint8Array(values)

describe('chunk frames', () => {
  it('reads back what was framed, in order, empty chunks included', () => {
    const chunks = [bytes(1, 2, 3), bytes(), bytes(4)]
    const framed = frameChunks(chunks)
    expect(framed).toEqual(bytes(0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 1, 4))
    expect(readFrames(framed, 3)).toEqual(chunks)
  })

  it('refuses a body cut short, with bytes left over, or with more chunks than allowed', () => {
    const framed = frameChunks([bytes(1, 2), bytes(3)])
    expect(readFrames(framed.subarray(0, framed.length - 1), 2)).toBeNull()
    expect(readFrames(framed.subarray(0, 3), 2)).toBeNull()
    expect(readFrames(new Uint8Array([...framed, 0]), 3)).toBeNull()
    expect(readFrames(framed, 1)).toBeNull()
    expect(readFrames(new Uint8Array(0), 1)).toEqual([])
  })

  it('reads frames from a view that does not start at its buffer’s start', () => {
    const framed = frameChunks([bytes(9, 8)])
    const padded = new Uint8Array(framed.length + 5)
    padded.set(framed, 5)
    expect(readFrames(padded.subarray(5), 1)).toEqual([bytes(9, 8)])
  })
})
