import { describe, expect, it } from 'vitest'
import { createAccountKeys, rewrapAccountKey, unlockAccount } from './account.js'
import { fromBase64Url, randomBytes, toBase64Url, toHex } from './bytes.js'
import { CryptoError } from './crypto-error.js'
import { sha256 } from './hkdf.js'
import {
  createOrgRecoveryKey,
  createResetSecret,
  deriveReset,
  escrowAccountKey,
  openEscrow,
  openRecoveryShare,
  openResetKey,
  sealRecoveryShare,
  sealResetKey,
} from './org-recovery.js'
import {
  deriveRecoveryCode,
  generateRecoveryCode,
  openAccountKeyWithRecoveryCode,
  parseRecoveryCode,
  sealAccountKeyForRecovery,
} from './recovery-code.js'

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

describe('recovery code', () => {
  it('is 160 random bits in 8 groups of 4 Crockford characters, read back byte for byte', () => {
    const code = generateRecoveryCode()
    expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/)
    expect(parseRecoveryCode(code)).toHaveLength(20)
    expect(generateRecoveryCode()).not.toBe(code)
  })

  it('reads a known code, forgiving case, spaces and look-alike letters', () => {
    // 0x00…, 0xff… and a mix: base32 of the bytes, 5 bits per character.
    expect(toHex(parseRecoveryCode('0000-0000-0000-0000-0000-0000-0000-0000'))).toBe(
      '00'.repeat(20),
    )
    expect(toHex(parseRecoveryCode('ZZZZ ZZZZ ZZZZ ZZZZ ZZZZ ZZZZ ZZZZ ZZZZ'))).toBe(
      'ff'.repeat(20),
    )
    expect(toHex(parseRecoveryCode('0123456789abcdefghjkmnpqrstvwxyz'))).toBe(
      '00443214c74254b635cf84653a56d7c675be77df',
    )
    expect(parseRecoveryCode('oooo-iiii-llll-0000-0000-0000-0000-0000')).toEqual(
      parseRecoveryCode('0000-1111-1111-0000-0000-0000-0000-0000'),
    )
  })

  it('refuses text that is not a code', () => {
    for (const text of ['', 'ABCD', 'UUUU-0000-0000-0000-0000-0000-0000-0000', '0'.repeat(33)]) {
      expect(() => parseRecoveryCode(text)).toThrow(CryptoError)
    }
  })

  it('derives a fixed proof and verifier from a known code', async () => {
    const a = await deriveRecoveryCode('0000-0000-0000-0000-0000-0000-0000-0000')
    const b = await deriveRecoveryCode('0000 0000 0000 0000 0000 0000 0000 0000')
    expect(a.proof).toBe(b.proof)
    expect(a.verifier).toBe(toBase64Url(await sha256(fromBase64Url(a.proof))))
    expect(a.proof).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect((await deriveRecoveryCode(generateRecoveryCode())).proof).not.toBe(a.proof)
  })

  it('wraps the account key so only the same code and username open it', async () => {
    const accountKey = randomBytes(32)
    const code = generateRecoveryCode()
    const { wrappedAccountKey, verifier } = await sealAccountKeyForRecovery(code, 'bob', accountKey)
    expect(verifier).toBe((await deriveRecoveryCode(code)).verifier)
    expect(await openAccountKeyWithRecoveryCode(code, 'bob', wrappedAccountKey)).toEqual(accountKey)
    await expect(
      openAccountKeyWithRecoveryCode(generateRecoveryCode(), 'bob', wrappedAccountKey),
    ).rejects.toMatchObject({ code: 'decrypt_failed' })
    // The username is bound in the AAD: a wrap cannot be moved to another account.
    await expect(
      openAccountKeyWithRecoveryCode(code, 'mallory', wrappedAccountKey),
    ).rejects.toMatchObject({ code: 'decrypt_failed' })
    await expect(
      openAccountKeyWithRecoveryCode(code, 'bob', { ...wrappedAccountKey, v: 2 }),
    ).rejects.toMatchObject({ code: 'unsupported_version' })
  })
})

describe('organisation recovery key, escrow and reset link', () => {
  const admin = async () => {
    const { account, keys } = await createAccountKeys(exportKey(), 'ada')
    return { account, userId: crypto.randomUUID(), x25519PublicKey: keys.x25519PublicKey }
  }

  it('seals the recovery private key to an administrator, bound to key id and admin id', async () => {
    const ada = await admin()
    const pair = await createOrgRecoveryKey()
    const keyId = crypto.randomUUID()
    const box = await sealRecoveryShare(pair.privateKey, keyId, ada)
    expect(box.v).toBe(1)
    expect(await openRecoveryShare(ada.account, ada.userId, keyId, box)).toEqual(pair.privateKey)
    for (const [adminId, id] of [
      [crypto.randomUUID(), keyId],
      [ada.userId, crypto.randomUUID()],
    ] as const) {
      await expect(openRecoveryShare(ada.account, adminId, id, box)).rejects.toMatchObject({
        code: 'decrypt_failed',
      })
    }
    await expect(
      openRecoveryShare(ada.account, ada.userId, keyId, { ...box, v: 2 }),
    ).rejects.toMatchObject({ code: 'unsupported_version' })
  })

  it('escrows an account key to the recovery public key, bound to key id and user id', async () => {
    const pair = await createOrgRecoveryKey()
    const keyId = crypto.randomUUID()
    const userId = crypto.randomUUID()
    const accountKey = randomBytes(32)
    const box = await escrowAccountKey(
      accountKey,
      { keyId, publicKey: toBase64Url(pair.publicKey) },
      userId,
    )
    expect(await openEscrow(pair, keyId, userId, box)).toEqual(accountKey)
    await expect(openEscrow(pair, keyId, crypto.randomUUID(), box)).rejects.toMatchObject({
      code: 'decrypt_failed',
    })
    await expect(openEscrow(pair, crypto.randomUUID(), userId, box)).rejects.toMatchObject({
      code: 'decrypt_failed',
    })
    await expect(openEscrow(pair, keyId, userId, { v: 1, enc: 'x' })).rejects.toMatchObject({
      code: 'malformed',
    })
  })

  it('derives a fixed id, proof and verifier from a reset secret and binds its wrap to the user', async () => {
    const zero = toBase64Url(new Uint8Array(32))
    const a = await deriveReset(zero)
    const b = await deriveReset(zero)
    expect([a.resetId, a.proof]).toEqual([b.resetId, b.proof])
    expect(a.resetId).not.toBe(a.proof)
    expect(a.verifier).toBe(toBase64Url(await sha256(fromBase64Url(a.proof))))
    const secret = createResetSecret()
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const userId = crypto.randomUUID()
    const accountKey = randomBytes(32)
    const wrapped = await sealResetKey(secret, userId, accountKey)
    expect(await openResetKey(secret, userId, wrapped)).toEqual(accountKey)
    await expect(openResetKey(secret, crypto.randomUUID(), wrapped)).rejects.toMatchObject({
      code: 'decrypt_failed',
    })
    await expect(openResetKey(createResetSecret(), userId, wrapped)).rejects.toMatchObject({
      code: 'decrypt_failed',
    })
    await expect(deriveReset('too-short')).rejects.toBeInstanceOf(CryptoError)
  })
})
