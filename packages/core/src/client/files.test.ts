import { describe, expect, it } from 'vitest'
import { importAesKey } from '../crypto/aes-gcm.js'
import { randomBytes, utf8 } from '../crypto/bytes.js'
import { CryptoError } from '../crypto/crypto-error.js'
import { sealChunk } from '../crypto/message.js'
import { downloadFile } from './files.js'

describe('downloadFile', () => {
  it('refuses an authentic chunk shorter than the file says, as malformed', async () => {
    const key = await importAesKey(randomBytes(32))
    const blobId = crypto.randomUUID()
    const sealed = await sealChunk(key, blobId, 0, true, utf8('short'))
    const error = await downloadFile({ blobId, size: 10, chunkCount: 1 }, key, async () => [
      sealed,
    ]).then(
      () => undefined,
      (thrown: unknown) => thrown,
    )
    expect(error).toBeInstanceOf(CryptoError)
    expect(error).toMatchObject({ code: 'malformed' })
  })
})
