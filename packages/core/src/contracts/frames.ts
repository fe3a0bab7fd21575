/**
 * Many sealed chunks in one request or answer: each as a big-endian u32 length, then its bytes
 * (the framing of a link's open answer too). One upload or download carries up to
 * CHUNKS_PER_REQUEST chunks, so a 25 MiB file takes 25 requests each way instead of 400.
 */
export const CHUNKS_PER_REQUEST = 16

export function frameChunks(chunks: Uint8Array[]): Uint8Array {
  const total = chunks.reduce((sum, chunk) => sum + 4 + chunk.length, 0)
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  let offset = 0
  for (const chunk of chunks) {
    view.setUint32(offset, chunk.length)
    out.set(chunk, offset + 4)
    offset += 4 + chunk.length
  }
  return out
}

/**
 * The chunks of a framed body, or null when it is not exactly a sequence of whole frames (cut
 * short, trailing bytes, or more than `max` chunks). The chunks are views into `body`.
 */
export function readFrames<T extends ArrayBufferLike>(
  body: Uint8Array<T>,
  max: number,
): Array<Uint8Array<T>> | null {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength)
  const chunks: Array<Uint8Array<T>> = []
  let offset = 0
  while (offset < body.length) {
    if (chunks.length === max || offset + 4 > body.length) return null
    const length = view.getUint32(offset)
    const end = offset + 4 + length
    if (end > body.length) return null
    chunks.push(body.subarray(offset + 4, end))
    offset = end
  }
  return chunks
}
