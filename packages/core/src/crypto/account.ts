import type { AccountKeys } from '../contracts/auth.js'
import { Base64Url, type SealedEnvelope } from '../contracts/common.js'
import { importAesKey } from './aes-gcm.js'
import { type Bytes, fromBase64Url, randomBytes, toBase64Url, toHex, utf8 } from './bytes.js'
import { CryptoError } from './crypto-error.js'
import { generateEd25519KeyPair, importEd25519PrivateKey } from './ed25519.js'
import { openEnvelope, sealEnvelope } from './envelope.js'
import { deriveAesKey, sha256 } from './hkdf.js'
import { generateX25519KeyPair, importX25519KeyPair } from './x25519.js'

/** A signed-in user's keys, unwrapped in memory; none of them can be exported. */
export type UnlockedAccount = {
  username: string
  /** Wraps the user's private keys and user vault key. */
  accountKey: CryptoKey
  /** X25519: HPKE recipient key pair for message keys and shared vault keys. */
  encryptionKeyPair: CryptoKeyPair
  /** Ed25519 private key that signs what the user sends. */
  signingKey: CryptoKey
  userVaultKey: CryptoKey
  x25519PublicKey: Bytes
  ed25519PublicKey: Bytes
}

const WRAP_INFO = 'sealpost/v1/account-key-wrap'

/** AAD for each wrapped blob names its purpose and owner, so blobs cannot be swapped. */
function wrapAad(purpose: string, username: string): Bytes {
  return utf8(`sealpost/v1/${purpose}/${username}`)
}

function wrappingKey(exportKey: string): Promise<CryptoKey> {
  return deriveAesKey(fromBase64Url(exportKey), WRAP_INFO)
}

/**
 * Creates a new account's keys on the client (registration and invite acceptance).
 * `exportKey` is OPAQUE's export key (base64url), known only to the client.
 */
export async function createAccountKeys(
  exportKey: string,
  username: string,
): Promise<{ keys: AccountKeys; account: UnlockedAccount }> {
  const accountKeyRaw = randomBytes(32)
  const userVaultKeyRaw = randomBytes(32)
  const x25519 = await generateX25519KeyPair()
  const ed25519 = await generateEd25519KeyPair()
  const accountKey = await importAesKey(accountKeyRaw)
  const keys: AccountKeys = {
    x25519PublicKey: Base64Url.parse(toBase64Url(x25519.publicKey)),
    ed25519PublicKey: Base64Url.parse(toBase64Url(ed25519.publicKey)),
    wrappedAccountKey: await sealEnvelope(
      await wrappingKey(exportKey),
      accountKeyRaw,
      wrapAad('account-key', username),
    ),
    wrappedX25519PrivateKey: await sealEnvelope(
      accountKey,
      x25519.privateKey,
      wrapAad('x25519-private-key', username),
    ),
    wrappedEd25519PrivateKey: await sealEnvelope(
      accountKey,
      ed25519.privateKeyPkcs8,
      wrapAad('ed25519-private-key', username),
    ),
    wrappedUserVaultKey: await sealEnvelope(
      accountKey,
      userVaultKeyRaw,
      wrapAad('user-vault-key', username),
    ),
  }
  const account = await unwrapWithAccountKey(accountKey, username, keys)
  accountKeyRaw.fill(0)
  userVaultKeyRaw.fill(0)
  x25519.privateKey.fill(0)
  ed25519.privateKeyPkcs8.fill(0)
  return { keys, account }
}

/**
 * Re-wraps the **same** account key under a new password's export key (change password): the
 * key itself, and so every private key, vault and message, stays as it is. Throws CryptoError
 * when `wrappedAccountKey` does not open under `oldExportKey` for `username`.
 */
export async function rewrapAccountKey(
  oldExportKey: string,
  newExportKey: string,
  username: string,
  wrappedAccountKey: SealedEnvelope,
): Promise<SealedEnvelope> {
  const accountKeyRaw = await openEnvelope(
    await wrappingKey(oldExportKey),
    wrappedAccountKey,
    wrapAad('account-key', username),
  )
  try {
    return await wrapAccountKey(newExportKey, username, accountKeyRaw)
  } finally {
    accountKeyRaw.fill(0)
  }
}

/** Wraps raw account-key bytes under a password's export key (`exportKey`, base64url). */
export async function wrapAccountKey(
  exportKey: string,
  username: string,
  accountKeyRaw: Bytes,
): Promise<SealedEnvelope> {
  return sealEnvelope(await wrappingKey(exportKey), accountKeyRaw, wrapAad('account-key', username))
}

/**
 * The raw account key behind a password's wrap, for flows that re-wrap it elsewhere (a recovery
 * code, the organisation's recovery key). The caller zeroes it when done.
 */
export async function openAccountKey(
  exportKey: string,
  username: string,
  wrappedAccountKey: SealedEnvelope,
): Promise<Bytes> {
  return openEnvelope(
    await wrappingKey(exportKey),
    wrappedAccountKey,
    wrapAad('account-key', username),
  )
}

/**
 * Unwraps every key of the account from raw account-key bytes (recovery, reset), proving the
 * bytes are the account's key: each wrapped private key must open under it.
 */
export async function unlockAccountWithKey(
  accountKeyRaw: Bytes,
  username: string,
  keys: AccountKeys,
): Promise<UnlockedAccount> {
  return unwrapWithAccountKey(await importAesKey(accountKeyRaw), username, keys)
}

/** Unwraps an account's keys after sign-in; throws CryptoError if anything was altered. */
export async function unlockAccount(
  exportKey: string,
  username: string,
  keys: AccountKeys,
): Promise<UnlockedAccount> {
  const accountKeyRaw = await openEnvelope(
    await wrappingKey(exportKey),
    keys.wrappedAccountKey,
    wrapAad('account-key', username),
  )
  const accountKey = await importAesKey(accountKeyRaw)
  accountKeyRaw.fill(0)
  return unwrapWithAccountKey(accountKey, username, keys)
}

async function unwrapWithAccountKey(
  accountKey: CryptoKey,
  username: string,
  keys: AccountKeys,
): Promise<UnlockedAccount> {
  const x25519PublicKey = fromBase64Url(keys.x25519PublicKey)
  const ed25519PublicKey = fromBase64Url(keys.ed25519PublicKey)
  const x25519Private = await openEnvelope(
    accountKey,
    keys.wrappedX25519PrivateKey,
    wrapAad('x25519-private-key', username),
  )
  const ed25519Private = await openEnvelope(
    accountKey,
    keys.wrappedEd25519PrivateKey,
    wrapAad('ed25519-private-key', username),
  )
  const vaultKeyRaw = await openEnvelope(
    accountKey,
    keys.wrappedUserVaultKey,
    wrapAad('user-vault-key', username),
  )
  try {
    return {
      username,
      accountKey,
      encryptionKeyPair: await importX25519KeyPair(x25519Private, x25519PublicKey),
      signingKey: await importEd25519PrivateKey(ed25519Private),
      userVaultKey: await importAesKey(vaultKeyRaw),
      x25519PublicKey,
      ed25519PublicKey,
    }
  } finally {
    x25519Private.fill(0)
    ed25519Private.fill(0)
    vaultKeyRaw.fill(0)
  }
}

/**
 * A user's key fingerprint ("safety number"): SHA-256 over both public keys,
 * shown as 16 groups of 4 hex digits.
 */
export async function keyFingerprint(keys: {
  x25519PublicKey: string
  ed25519PublicKey: string
}): Promise<string> {
  return fingerprintOf(`sealpost/v1/fingerprint/${keys.x25519PublicKey}/${keys.ed25519PublicKey}`)
}

/** SHA-256 of a labelled key as 16 groups of 4 hex digits, the form fingerprints are read in. */
export async function fingerprintOf(labelledKey: string): Promise<string> {
  const hex = toHex(await sha256(utf8(labelledKey)))
  return (hex.match(/.{4}/g) ?? []).join(' ')
}

export { CryptoError }
