import { describe, expect, it } from 'vitest'
import { createAccountKeys, keyFingerprint } from './account.js'
import { randomBytes, toBase64Url } from './bytes.js'
import { CryptoError } from './crypto-error.js'
import {
  createOrgRecoveryKey,
  recoveryKeyFingerprint,
  recoveryKeyStatement,
  signRecoveryKey,
  verifyRecoveryKey,
} from './org-recovery.js'

const [ada, mallory] = await Promise.all(
  ['ada', 'mallory'].map((name) => createAccountKeys(toBase64Url(randomBytes(64)), name)),
)
if (!ada || !mallory) throw new Error('no accounts')

async function recoveryKey() {
  return {
    keyId: crypto.randomUUID(),
    publicKey: toBase64Url((await createOrgRecoveryKey()).publicKey),
  }
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
}

async function expectRefused(
  key: { keyId: string; publicKey: string; signature: string | null },
  signer: string,
) {
  const error = await refusal(verifyRecoveryKey(key, signer))
  expect(error).toBeInstanceOf(CryptoError)
  expect(error).toMatchObject({ code: 'recovery_key_unverified' })
}

describe('the organisation recovery key’s signature', () => {
  it('signs a domain-separated statement of key id and public key', async () => {
    const key = { keyId: '00000000-0000-4000-8000-000000000000', publicKey: 'AAAA' }
    expect(new TextDecoder().decode(recoveryKeyStatement(key))).toBe(
      '["sealpost/v1/org-recovery-key","00000000-0000-4000-8000-000000000000","AAAA"]',
    )
  })

  it('verifies with the signing administrator’s Ed25519 key', async () => {
    const key = await recoveryKey()
    const signature = await signRecoveryKey(ada.account, key)
    expect(signature).toMatch(/^[A-Za-z0-9_-]{86}$/)
    await expect(
      verifyRecoveryKey({ ...key, signature }, ada.keys.ed25519PublicKey),
    ).resolves.toBeUndefined()
  })

  it('refuses a statement signed by another key', async () => {
    const key = await recoveryKey()
    const signature = await signRecoveryKey(mallory.account, key)
    await expectRefused({ ...key, signature }, ada.keys.ed25519PublicKey)
  })

  it('refuses a statement for another key id', async () => {
    const key = await recoveryKey()
    const signature = await signRecoveryKey(ada.account, key)
    await expectRefused(
      { ...key, keyId: crypto.randomUUID(), signature },
      ada.keys.ed25519PublicKey,
    )
  })

  it('refuses a statement for a different public key', async () => {
    const key = await recoveryKey()
    const signature = await signRecoveryKey(ada.account, key)
    const { publicKey } = await recoveryKey()
    await expectRefused({ ...key, publicKey, signature }, ada.keys.ed25519PublicKey)
  })

  it('refuses a key without a signature, and a signature or signer key that is malformed', async () => {
    const key = await recoveryKey()
    const signature = await signRecoveryKey(ada.account, key)
    await expectRefused({ ...key, signature: null }, ada.keys.ed25519PublicKey)
    await expectRefused({ ...key, signature: signature.slice(0, 43) }, ada.keys.ed25519PublicKey)
    await expectRefused({ ...key, signature: '!' }, ada.keys.ed25519PublicKey)
    await expectRefused({ ...key, signature }, ada.keys.x25519PublicKey.slice(1))
  })

  it('gives the recovery key a fingerprint in the account keys’ form, but its own', async () => {
    const { publicKey } = await recoveryKey()
    const fingerprint = await recoveryKeyFingerprint(publicKey)
    expect(fingerprint).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/)
    expect(await recoveryKeyFingerprint(publicKey)).toBe(fingerprint)
    expect(await recoveryKeyFingerprint((await recoveryKey()).publicKey)).not.toBe(fingerprint)
    expect(await keyFingerprint({ x25519PublicKey: publicKey, ed25519PublicKey: '' })).not.toBe(
      fingerprint,
    )
  })
})
