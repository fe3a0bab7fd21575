import { describe, expect, it } from 'vitest'
import type { AccountKeys } from '../contracts/auth.js'
import { openAccountKey, unlockAccount, unlockAccountWithKey } from './account.js'
import { fromBase64Url, toBase64Url } from './bytes.js'
import { openEscrow, openRecoveryShare, openResetKey, deriveReset } from './org-recovery.js'
import { deriveRecoveryCode, openAccountKeyWithRecoveryCode } from './recovery-code.js'
import recovery from './vectors/recovery-v1.json' with { type: 'json' }
import v1 from './vectors/sealpost-v1.json' with { type: 'json' }

/*
 * Recovery data is stored for years and opened on the worst day: these were sealed once by
 * version 1 of Sealpost's own code. Any change to an info string, an AAD or a derivation makes
 * one of them fail to open, or derive another id or proof than the server has on file.
 */

const { alice } = v1.accounts
const aliceKeys = alice.keys as AccountKeys

describe('what version 1 sealed for account recovery', () => {
  it('derives the same proof and verifier from a recovery code and opens its wrap', async () => {
    const { code, username, proof, verifier, accountKey, wrappedAccountKey } = recovery.recoveryCode
    expect(await deriveRecoveryCode(code)).toMatchObject({ proof, verifier })
    const opened = await openAccountKeyWithRecoveryCode(code, username, wrappedAccountKey)
    expect(toBase64Url(opened)).toBe(accountKey)
  })

  it('opens the organisation recovery key’s share for its administrator', async () => {
    const { keyId, privateKey, share } = recovery.orgRecovery
    const account = await unlockAccount(alice.exportKey, alice.username, aliceKeys)
    const opened = await openRecoveryShare(account, share.adminId, keyId, share.box)
    expect(toBase64Url(opened)).toBe(privateKey)
  })

  it('opens a user’s escrowed account key with the recovery key pair', async () => {
    const { keyId, privateKey, publicKey, escrow } = recovery.orgRecovery
    const pair = { privateKey: fromBase64Url(privateKey), publicKey: fromBase64Url(publicKey) }
    const opened = await openEscrow(pair, keyId, escrow.userId, escrow.box)
    expect(toBase64Url(opened)).toBe(escrow.accountKey)
  })

  it('derives the same reset id, proof and verifier from a reset secret and opens its wrap', async () => {
    const { secret, userId, resetId, proof, verifier, accountKey, wrapped } = recovery.reset
    expect(await deriveReset(secret)).toMatchObject({ resetId, proof, verifier })
    expect(toBase64Url(await openResetKey(secret, userId, wrapped))).toBe(accountKey)
  })

  it('gives the raw account key behind a password, which alone unlocks every key', async () => {
    const raw = await openAccountKey(alice.exportKey, alice.username, aliceKeys.wrappedAccountKey)
    expect(raw).toHaveLength(32)
    const account = await unlockAccountWithKey(raw, alice.username, aliceKeys)
    expect(toBase64Url(account.x25519PublicKey)).toBe(aliceKeys.x25519PublicKey)
    expect(toBase64Url(account.ed25519PublicKey)).toBe(aliceKeys.ed25519PublicKey)
    // The wrap names its owner: under another username the same password opens nothing.
    await expect(
      openAccountKey(alice.exportKey, 'bob', aliceKeys.wrappedAccountKey),
    ).rejects.toMatchObject({ code: 'decrypt_failed' })
  })
})
