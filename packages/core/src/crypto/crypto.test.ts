import { describe, expect, it } from 'vitest'
import type { AccountKeys } from '../contracts/auth.js'
import { Base64Url, type SealedEnvelope } from '../contracts/common.js'
import { createAccountKeys, unlockAccount } from './account.js'
import { importAesKey } from './aes-gcm.js'
import { type Bytes, fromBase64Url, randomBytes, toBase64Url, utf8 } from './bytes.js'
import { CryptoError, type CryptoErrorCode } from './crypto-error.js'
import { importEd25519PublicKey, signEd25519, verifyEd25519 } from './ed25519.js'
import { openEnvelope, sealEnvelope } from './envelope.js'
import { hpkeOpen, hpkeSeal } from './hpke.js'
import { generateX25519KeyPair, importX25519KeyPair, importX25519PublicKey } from './x25519.js'

async function expectCryptoError(promise: Promise<unknown>, code: CryptoErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(CryptoError)
  expect(error).toMatchObject({ code })
}

function flipFirstBit(bytes: Bytes): Bytes {
  const copy = bytes.slice()
  copy[0] = (copy[0] ?? 0) ^ 0x01
  return copy
}

function flipBase64Url(text: string): Base64Url {
  return Base64Url.parse(toBase64Url(flipFirstBit(fromBase64Url(text))))
}

describe('envelope', () => {
  const plaintext = utf8('the vault key')
  const aad = utf8('sealpost/v1/test/vault-1')

  async function sealed(): Promise<{ key: CryptoKey; envelope: SealedEnvelope }> {
    const key = await importAesKey(randomBytes(32))
    return { key, envelope: await sealEnvelope(key, plaintext, aad) }
  }

  it('opens what it sealed', async () => {
    const { key, envelope } = await sealed()
    expect(envelope.v).toBe(1)
    expect(await openEnvelope(key, envelope, aad)).toEqual(plaintext)
  })

  it('uses a fresh iv for every seal', async () => {
    const { key, envelope } = await sealed()
    const again = await sealEnvelope(key, plaintext, aad)
    expect(again.iv).not.toBe(envelope.iv)
    expect(again.ct).not.toBe(envelope.ct)
  })

  it('rejects an envelope whose aad was changed', async () => {
    const { key, envelope } = await sealed()
    await expectCryptoError(
      openEnvelope(key, envelope, utf8('sealpost/v1/test/vault-2')),
      'decrypt_failed',
    )
  })

  it('rejects an envelope with a flipped ciphertext byte', async () => {
    const { key, envelope } = await sealed()
    const tampered = { ...envelope, ct: flipBase64Url(envelope.ct) }
    await expectCryptoError(openEnvelope(key, tampered, aad), 'decrypt_failed')
  })

  it('rejects an envelope with a flipped iv', async () => {
    const { key, envelope } = await sealed()
    const tampered = { ...envelope, iv: flipBase64Url(envelope.iv) }
    await expectCryptoError(openEnvelope(key, tampered, aad), 'decrypt_failed')
  })

  it('rejects an envelope opened with another key', async () => {
    const { envelope } = await sealed()
    const other = await importAesKey(randomBytes(32))
    await expectCryptoError(openEnvelope(other, envelope, aad), 'decrypt_failed')
  })

  it('rejects an envelope of version 2 as unsupported', async () => {
    const { key, envelope } = await sealed()
    await expectCryptoError(openEnvelope(key, { ...envelope, v: 2 }, aad), 'unsupported_version')
  })

  it('rejects a malformed envelope', async () => {
    const { key, envelope } = await sealed()
    await expectCryptoError(
      openEnvelope(key, { ...envelope, iv: 'not base64url!' }, aad),
      'malformed',
    )
  })
})

describe('hpke', () => {
  const plaintext = utf8('the message key')
  const info = utf8('sealpost/v1/test/message-key')
  const aad = utf8('message-1/sender-1/recipient-1')

  async function recipient(): Promise<CryptoKeyPair> {
    const generated = await generateX25519KeyPair()
    return importX25519KeyPair(generated.privateKey, generated.publicKey)
  }

  it('opens what it sealed to the recipient', async () => {
    const pair = await recipient()
    const sealed = await hpkeSeal(pair.publicKey, plaintext, info, aad)
    expect(await hpkeOpen(pair, sealed, info, aad)).toEqual(plaintext)
  })

  it('rejects a ciphertext opened with a different info', async () => {
    const pair = await recipient()
    const sealed = await hpkeSeal(pair.publicKey, plaintext, info, aad)
    await expectCryptoError(
      hpkeOpen(pair, sealed, utf8('sealpost/v1/test/other'), aad),
      'decrypt_failed',
    )
  })

  it('rejects a ciphertext whose aad was changed', async () => {
    const pair = await recipient()
    const sealed = await hpkeSeal(pair.publicKey, plaintext, info, aad)
    await expectCryptoError(
      hpkeOpen(pair, sealed, info, utf8('message-1/sender-2/recipient-1')),
      'decrypt_failed',
    )
  })

  it('rejects a ciphertext opened by a different recipient', async () => {
    const pair = await recipient()
    const sealed = await hpkeSeal(pair.publicKey, plaintext, info, aad)
    await expectCryptoError(hpkeOpen(await recipient(), sealed, info, aad), 'decrypt_failed')
  })

  it('rejects a ciphertext with a flipped byte', async () => {
    const pair = await recipient()
    const sealed = await hpkeSeal(pair.publicKey, plaintext, info, aad)
    const tampered = { ...sealed, ct: flipFirstBit(sealed.ct) }
    await expectCryptoError(hpkeOpen(pair, tampered, info, aad), 'decrypt_failed')
  })

  it('rejects a ciphertext whose encapsulated key was changed', async () => {
    const pair = await recipient()
    const sealed = await hpkeSeal(pair.publicKey, plaintext, info, aad)
    const tampered = { ...sealed, enc: flipFirstBit(sealed.enc) }
    await expectCryptoError(hpkeOpen(pair, tampered, info, aad), 'decrypt_failed')
  })
})

describe('account', () => {
  const username = 'alice'
  const exportKey = () => toBase64Url(randomBytes(64))

  it('unlocks keys that decrypt, sign and open the user vault', async () => {
    const key = exportKey()
    const created = await createAccountKeys(key, username)
    const unlocked = await unlockAccount(key, username, created.keys)

    expect(unlocked.x25519PublicKey).toEqual(fromBase64Url(created.keys.x25519PublicKey))
    expect(unlocked.ed25519PublicKey).toEqual(fromBase64Url(created.keys.ed25519PublicKey))

    const info = utf8('sealpost/v1/test/account')
    const aad = utf8('message-1')
    const recipient = await importX25519PublicKey(unlocked.x25519PublicKey)
    const sealed = await hpkeSeal(recipient, utf8('hello'), info, aad)
    expect(await hpkeOpen(unlocked.encryptionKeyPair, sealed, info, aad)).toEqual(utf8('hello'))

    const message = utf8('signed by alice')
    const signature = await signEd25519(unlocked.signingKey, message)
    const verifier = await importEd25519PublicKey(unlocked.ed25519PublicKey)
    await expect(verifyEd25519(verifier, signature, message)).resolves.toBeUndefined()

    const item = await sealEnvelope(created.account.userVaultKey, utf8('item'), aad)
    expect(await openEnvelope(unlocked.userVaultKey, item, aad)).toEqual(utf8('item'))
  })

  it('rejects a different export key', async () => {
    const { keys } = await createAccountKeys(exportKey(), username)
    await expectCryptoError(unlockAccount(exportKey(), username, keys), 'decrypt_failed')
  })

  it('rejects a different username', async () => {
    const key = exportKey()
    const { keys } = await createAccountKeys(key, username)
    await expectCryptoError(unlockAccount(key, 'mallory', keys), 'decrypt_failed')
  })

  it('rejects keys whose wrapped X25519 private key and user vault key were swapped', async () => {
    const key = exportKey()
    const { keys } = await createAccountKeys(key, username)
    const swapped: AccountKeys = {
      ...keys,
      wrappedX25519PrivateKey: keys.wrappedUserVaultKey,
      wrappedUserVaultKey: keys.wrappedX25519PrivateKey,
    }
    await expectCryptoError(unlockAccount(key, username, swapped), 'decrypt_failed')
  })

  it('keeps every secret key non-extractable', async () => {
    const key = exportKey()
    const created = await createAccountKeys(key, username)
    const unlocked = await unlockAccount(key, username, created.keys)
    const secrets = [created.account, unlocked].flatMap((account) => [
      account.accountKey,
      account.encryptionKeyPair.privateKey,
      account.signingKey,
      account.userVaultKey,
    ])
    for (const secret of secrets) {
      expect(secret.extractable).toBe(false)
      await expect(crypto.subtle.exportKey('jwk', secret)).rejects.toThrow()
    }
  })
})
