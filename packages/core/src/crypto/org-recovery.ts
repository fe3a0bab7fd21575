import { Base64Url, type SealedEnvelope } from '../contracts/common.js'
import { type RecoveryBox, RecoveryBox as RecoveryBoxSchema } from '../contracts/account.js'
import { fingerprintOf, type UnlockedAccount } from './account.js'
import { type Bytes, fromBase64Url, randomBytes, toBase64Url, utf8 } from './bytes.js'
import { canonicalJson } from './canonical-json.js'
import { CryptoError } from './crypto-error.js'
import { importEd25519PublicKey, signEd25519, verifyEd25519 } from './ed25519.js'
import { openEnvelope, sealEnvelope } from './envelope.js'
import { deriveAesKey, hkdfSha256, sha256 } from './hkdf.js'
import { hpkeOpen, hpkeSeal, hpkeSealToEach } from './hpke.js'
import { generateX25519KeyPair, importX25519KeyPair, importX25519PublicKey } from './x25519.js'

const KEY_STATEMENT = 'sealpost/v1/org-recovery-key'
const SHARE_INFO = utf8('sealpost/v1/org-recovery-private-key')
const ESCROW_INFO = utf8('sealpost/v1/account-key-escrow')
const RESET_ID_INFO = 'sealpost/v1/reset/id'
const RESET_PROOF_INFO = 'sealpost/v1/reset/proof'
const RESET_WRAP_INFO = 'sealpost/v1/reset/wrap'

function toBox(sealed: { enc: Bytes; ct: Bytes }): RecoveryBox {
  return {
    v: 1,
    enc: Base64Url.parse(toBase64Url(sealed.enc)),
    ct: Base64Url.parse(toBase64Url(sealed.ct)),
  }
}

function fromBox(box: unknown): { enc: Bytes; ct: Bytes } {
  if (typeof box === 'object' && box !== null && 'v' in box && box.v !== 1) {
    throw new CryptoError('unsupported_version', `box version ${String(box.v)}`)
  }
  const parsed = RecoveryBoxSchema.safeParse(box)
  if (!parsed.success) throw new CryptoError('malformed', 'box is malformed')
  return { enc: fromBase64Url(parsed.data.enc), ct: fromBase64Url(parsed.data.ct) }
}

/** A new organisation recovery key pair (X25519); the private half is only ever sealed. */
export async function createOrgRecoveryKey(): Promise<{ publicKey: Bytes; privateKey: Bytes }> {
  return generateX25519KeyPair()
}

/**
 * What an administrator's Ed25519 signature vouches for: the canonical JSON array of the
 * purpose `sealpost/v1/org-recovery-key`, the key id and the public key (base64url).
 */
export function recoveryKeyStatement(key: { keyId: string; publicKey: string }): Bytes {
  return utf8(canonicalJson([KEY_STATEMENT, key.keyId, key.publicKey]))
}

/** The administrator's signature (base64url) over the recovery key's statement. */
export async function signRecoveryKey(
  account: UnlockedAccount,
  key: { keyId: string; publicKey: string },
): Promise<Base64Url> {
  return Base64Url.parse(
    toBase64Url(await signEd25519(account.signingKey, recoveryKeyStatement(key))),
  )
}

/**
 * Throws CryptoError('recovery_key_unverified') unless `signature` is the signer's over this
 * key id and public key. `signerEd25519PublicKey` is the signer's key as the directory gives it.
 */
export async function verifyRecoveryKey(
  key: { keyId: string; publicKey: string; signature: string | null },
  signerEd25519PublicKey: string,
): Promise<void> {
  if (!key.signature) {
    throw new CryptoError('recovery_key_unverified', 'no administrator signed the recovery key')
  }
  try {
    await verifyEd25519(
      await importEd25519PublicKey(fromBase64Url(signerEd25519PublicKey)),
      fromBase64Url(key.signature),
      recoveryKeyStatement(key),
    )
  } catch (cause) {
    throw new CryptoError(
      'recovery_key_unverified',
      'the recovery key’s signature does not verify with its administrator’s key',
      { cause },
    )
  }
}

/** The recovery public key's fingerprint: 16 groups of 4 hex digits, like account keys'. */
export async function recoveryKeyFingerprint(publicKey: string): Promise<string> {
  return fingerprintOf(`sealpost/v1/org-recovery-key-fingerprint/${publicKey}`)
}

/** Seals the recovery private key to one administrator (AAD: key id and their user id). */
export async function sealRecoveryShare(
  privateKey: Bytes,
  keyId: string,
  admin: { userId: string; x25519PublicKey: string },
): Promise<RecoveryBox> {
  const [share] = await sealRecoveryShares(privateKey, keyId, [admin])
  if (!share) throw new Error('sealing to one administrator gave no share')
  return share.box
}

/** `sealRecoveryShare` to every administrator at once, in the order of `admins`. */
export async function sealRecoveryShares(
  privateKey: Bytes,
  keyId: string,
  admins: Array<{ userId: string; x25519PublicKey: string }>,
): Promise<Array<{ userId: string; box: RecoveryBox }>> {
  const sealed = await hpkeSealToEach(
    admins.map((admin) => ({
      userId: admin.userId,
      publicKey: admin.x25519PublicKey,
      aad: utf8(`${keyId}/${admin.userId}`),
    })),
    privateKey,
    SHARE_INFO,
  )
  return sealed.map(({ reader, sealed: box }) => ({ userId: reader.userId, box: toBox(box) }))
}

/** The recovery private key from the administrator's own share; CryptoError if altered. */
export async function openRecoveryShare(
  account: UnlockedAccount,
  adminId: string,
  keyId: string,
  box: unknown,
): Promise<Bytes> {
  return hpkeOpen(account.encryptionKeyPair, fromBox(box), SHARE_INFO, utf8(`${keyId}/${adminId}`))
}

/** Escrows a user's raw account key to the recovery public key (AAD: key id and user id). */
export async function escrowAccountKey(
  accountKeyRaw: Bytes,
  recovery: { keyId: string; publicKey: string },
  userId: string,
): Promise<RecoveryBox> {
  const recipient = await importX25519PublicKey(fromBase64Url(recovery.publicKey))
  return toBox(
    await hpkeSeal(recipient, accountKeyRaw, ESCROW_INFO, utf8(`${recovery.keyId}/${userId}`)),
  )
}

/** A user's raw account key from its escrow, with the recovery key pair. */
export async function openEscrow(
  recoveryKey: { privateKey: Bytes; publicKey: Bytes },
  keyId: string,
  userId: string,
  box: unknown,
): Promise<Bytes> {
  const pair = await importX25519KeyPair(recoveryKey.privateKey, recoveryKey.publicKey)
  return hpkeOpen(pair, fromBox(box), ESCROW_INFO, utf8(`${keyId}/${userId}`))
}

/** A one-time reset secret (256 bits, base64url) for `/reset#<secret>`. */
export function createResetSecret(): string {
  return toBase64Url(randomBytes(32))
}

/**
 * What a reset secret derives (HKDF-SHA-256): the id the server files the reset under, an
 * access proof (the server keeps its SHA-256) and the key that wraps the account key.
 */
export async function deriveReset(secret: string): Promise<{
  resetId: Base64Url
  proof: Base64Url
  verifier: Base64Url
  wrapKey: CryptoKey
}> {
  const ikm = fromBase64Url(secret)
  if (ikm.length !== 32) throw new CryptoError('malformed', 'not a reset secret')
  const salt = new Uint8Array(32)
  const proof = await hkdfSha256(ikm, salt, utf8(RESET_PROOF_INFO), 32)
  return {
    resetId: Base64Url.parse(toBase64Url(await hkdfSha256(ikm, salt, utf8(RESET_ID_INFO), 32))),
    proof: Base64Url.parse(toBase64Url(proof)),
    verifier: Base64Url.parse(toBase64Url(await sha256(proof))),
    wrapKey: await deriveAesKey(ikm, RESET_WRAP_INFO),
  }
}

function resetAad(userId: string): Bytes {
  return utf8(`sealpost/v1/reset-account-key/${userId}`)
}

/** Wraps the account key under the reset secret for the user (AAD: purpose and user id). */
export async function sealResetKey(
  secret: string,
  userId: string,
  accountKeyRaw: Bytes,
): Promise<SealedEnvelope> {
  return sealEnvelope((await deriveReset(secret)).wrapKey, accountKeyRaw, resetAad(userId))
}

export async function openResetKey(
  secret: string,
  userId: string,
  wrapped: unknown,
): Promise<Bytes> {
  return openEnvelope((await deriveReset(secret)).wrapKey, wrapped, resetAad(userId))
}
