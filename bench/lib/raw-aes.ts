// The raw AES-256-GCM baseline for file benchmarks: WebCrypto over the same
// 64 KiB chunks the clients seal, in this process, without any I/O.
import { randomBytes } from 'node:crypto'
import { CHUNK_BYTES, utf8 } from '@sealpost/core'
import {
  AES_GCM_IV_BYTES,
  aesGcmDecrypt,
  aesGcmEncrypt,
  importAesKey,
} from '@sealpost/core/primitives'
import { round } from './report.js'

export type Throughput = { rounds: number; mibPerSecond: number; seconds: number }
export type RawAesResult = {
  mib: number
  total: Throughput
  encrypt: Throughput
  decrypt: Throughput
}

export function throughput(mib: number, rounds: number, ms: number): Throughput {
  return {
    rounds,
    seconds: round(ms / 1000, 3),
    mibPerSecond: round((mib * rounds) / (ms / 1000), 1),
  }
}

/**
 * The baseline: AES-256-GCM encrypt then decrypt of `file` in the same 64 KiB
 * chunks with a fresh IV and a short AAD each, WebCrypto in this process, no I/O.
 */
export async function rawAesGcm(file: Uint8Array, seconds: number): Promise<RawAesResult> {
  const key = await importAesKey(new Uint8Array(randomBytes(32)))
  const chunks: Array<Uint8Array<ArrayBuffer>> = []
  for (let offset = 0; offset < file.length; offset += CHUNK_BYTES) {
    chunks.push(file.slice(offset, offset + CHUNK_BYTES))
  }
  const once = async () => {
    const before = performance.now()
    const sealed = []
    for (const [index, chunk] of chunks.entries()) {
      const iv = new Uint8Array(randomBytes(AES_GCM_IV_BYTES))
      const aad = utf8(JSON.stringify(['bench', index]))
      sealed.push({ iv, aad, ct: await aesGcmEncrypt(key, iv, chunk, aad) })
    }
    const middle = performance.now()
    for (const { iv, aad, ct } of sealed) await aesGcmDecrypt(key, iv, ct, aad)
    return { encMs: middle - before, decMs: performance.now() - middle }
  }
  await once()
  let rounds = 0
  let encMs = 0
  let decMs = 0
  const deadline = performance.now() + Math.min(seconds, 3) * 1000
  do {
    const r = await once()
    rounds++
    encMs += r.encMs
    decMs += r.decMs
  } while (performance.now() < deadline && rounds < 20)
  const mib = file.length / 2 ** 20
  return {
    mib,
    total: throughput(mib, rounds, encMs + decMs),
    encrypt: throughput(mib, rounds, encMs),
    decrypt: throughput(mib, rounds, decMs),
  }
}
