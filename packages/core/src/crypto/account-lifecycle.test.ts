import { describe, expect, it } from 'vitest'
import { createAccountKeys, rewrapAccountKey, unlockAccount } from './account.js'
import { randomBytes, toBase64Url } from './bytes.js'
import { CryptoError } from './crypto-error.js'

const exportKey = () => toBase64Url(randomBytes(64))

describe('change password re-wrap', () => {
  it('re-wraps the same account key: the new export key unlocks the same keys, the old one not', async () => {
    const oldKey = exportKey()
    const newKey = exportKey()
    const { keys, account } = await createAccountKeys(oldKey, 'bob')
    const wrappedAccountKey = await rewrapAccountKey(oldKey, newKey, 'bob', keys.wrappedAccountKey)
    const changed = { ...keys, wrappedAccountKey }
    const unlocked = await unlockAccount(newKey, 'bob', changed)
    expect(toBase64Url(unlocked.x25519PublicKey)).toBe(toBase64Url(account.x25519PublicKey))
    // The same account key opens the unchanged private-key wraps, so it is the same key.
    expect(unlocked.signingKey).toBeInstanceOf(CryptoKey)
    await expect(unlockAccount(oldKey, 'bob', changed)).rejects.toBeInstanceOf(CryptoError)
    expect(wrappedAccountKey.v).toBe(1)
  })

  it('refuses to re-wrap under a wrong current export key', async () => {
    const { keys } = await createAccountKeys(exportKey(), 'bob')
    await expect(
      rewrapAccountKey(exportKey(), exportKey(), 'bob', keys.wrappedAccountKey),
    ).rejects.toMatchObject({ name: 'CryptoError', code: 'decrypt_failed' })
  })

  it('binds the wrap to the username: another user’s name does not open it', async () => {
    const oldKey = exportKey()
    const newKey = exportKey()
    const { keys } = await createAccountKeys(oldKey, 'bob')
    const wrappedAccountKey = await rewrapAccountKey(oldKey, newKey, 'bob', keys.wrappedAccountKey)
    await expect(
      unlockAccount(newKey, 'mallory', { ...keys, wrappedAccountKey }),
    ).rejects.toBeInstanceOf(CryptoError)
  })
})
