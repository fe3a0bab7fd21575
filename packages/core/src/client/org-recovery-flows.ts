import type { RecoveryKey } from '../contracts/account.js'
import type { AccountKeys } from '../contracts/auth.js'
import {
  openAccountKey,
  unlockAccountWithKey,
  type UnlockedAccount,
  wrapAccountKey,
} from '../crypto/account.js'
import { fromBase64Url, toBase64Url } from '../crypto/bytes.js'
import { CryptoError } from '../crypto/crypto-error.js'
import { opaqueClient, opaqueReady } from '../crypto/opaque.js'
import {
  createOrgRecoveryKey,
  createResetSecret,
  deriveReset,
  escrowAccountKey,
  openEscrow,
  openRecoveryShare,
  openResetKey,
  recoveryKeyFingerprint,
  sealRecoveryShare,
  sealRecoveryShares,
  sealResetKey,
  signRecoveryKey,
  verifyRecoveryKey,
} from '../crypto/org-recovery.js'
import type { ApiClient } from './api-client.js'

type Person = { userId: string; x25519PublicKey: string }

/**
 * Turns administrator-assisted recovery on: creates the organisation recovery key pair here,
 * signs its public key with this administrator's Ed25519 key (users' clients escrow to no
 * other) and seals its private key to every administrator. The server gets the public key,
 * the signature and the sealed shares only.
 */
export async function enableAccountRecovery(
  api: ApiClient,
  account: UnlockedAccount,
  admins: Person[],
): Promise<string> {
  const keyId = crypto.randomUUID()
  const pair = await createOrgRecoveryKey()
  try {
    const shares = await sealRecoveryShares(pair.privateKey, keyId, admins)
    const publicKey = toBase64Url(pair.publicKey)
    const signature = await signRecoveryKey(account, { keyId, publicKey })
    await api.enableRecovery({ keyId, publicKey, signature, shares })
    return keyId
  } finally {
    pair.privateKey.fill(0)
  }
}

/** The recovery key pair from the signed-in administrator's own share. */
async function openRecoveryKey(api: ApiClient, account: UnlockedAccount, adminId: string) {
  const [share, policy] = await Promise.all([api.myRecoveryShare(), api.recoveryPolicy()])
  if (!policy.key || policy.key.keyId !== share.keyId) {
    throw new Error('account recovery is off or its key changed')
  }
  return {
    keyId: share.keyId,
    privateKey: await openRecoveryShare(account, adminId, share.keyId, share.box),
    publicKey: fromBase64Url(policy.key.publicKey),
  }
}

/** A newly promoted administrator gets the recovery private key, sealed by this admin's client. */
export async function shareRecoveryKey(
  api: ApiClient,
  me: { account: UnlockedAccount; userId: string },
  newAdmin: Person,
): Promise<void> {
  const key = await openRecoveryKey(api, me.account, me.userId)
  try {
    await api.putRecoveryShare(newAdmin.userId, {
      box: await sealRecoveryShare(key.privateKey, key.keyId, newAdmin),
    })
  } finally {
    key.privateKey.fill(0)
  }
}

/**
 * Checks that an administrator vouches for the recovery key the server serves: its signer is an
 * active user of the directory and their Ed25519 key (as the directory gives it, trusted on
 * first use like a recipient's) signed this key id and public key. Answers the key's
 * fingerprint; throws CryptoError('recovery_key_unverified') otherwise. The directory has no
 * roles, and a role would be the server's word anyway: the signature is what a server cannot
 * make up.
 */
export async function checkRecoveryKey(
  api: Pick<ApiClient, 'directory'>,
  key: RecoveryKey,
): Promise<string> {
  const { users } = await api.directory()
  const signer = users.find((user) => user.id === key.signerId)
  if (!signer) {
    throw new CryptoError(
      'recovery_key_unverified',
      'the recovery key was not signed by an active user of this organisation',
    )
  }
  await verifyRecoveryKey(key, signer.ed25519PublicKey)
  return recoveryKeyFingerprint(key.publicKey)
}

/**
 * At sign-in or unlock, while account recovery is on: escrows the user's account key to the
 * organisation's recovery public key unless it already is. Answers whether it did. Throws
 * CryptoError('recovery_key_unverified'), escrowing nothing, unless an administrator's
 * signature vouches for the key (`checkRecoveryKey`): the server cannot offer its own.
 */
export async function enrollInAccountRecovery(
  api: Pick<ApiClient, 'recoveryPolicy' | 'directory' | 'putEscrow'>,
  input: { userId: string; username: string; exportKey: string; keys: AccountKeys },
): Promise<boolean> {
  const policy = await api.recoveryPolicy()
  if (!policy.key || policy.enrolled) return false
  await checkRecoveryKey(api, policy.key)
  const accountKeyRaw = await openAccountKey(
    input.exportKey,
    input.username,
    input.keys.wrappedAccountKey,
  )
  try {
    const box = await escrowAccountKey(accountKeyRaw, policy.key, input.userId)
    await api.putEscrow({ keyId: policy.key.keyId, box })
    return true
  } finally {
    accountKeyRaw.fill(0)
  }
}

/**
 * An administrator's reset: opens the user's escrowed account key here, seals it under a new
 * one-time secret and answers the link `origin/reset#<secret>` (valid 24 hours) to hand over.
 */
export async function createResetLink(
  api: ApiClient,
  input: { origin: string; me: { account: UnlockedAccount; userId: string }; userId: string },
): Promise<{ url: string; expiresAt: string }> {
  const key = await openRecoveryKey(api, input.me.account, input.me.userId)
  const escrow = await api.userEscrow(input.userId)
  let accountKeyRaw: Uint8Array<ArrayBuffer> | undefined
  try {
    accountKeyRaw = await openEscrow(key, escrow.keyId, input.userId, escrow.box)
    const secret = createResetSecret()
    const { resetId, verifier } = await deriveReset(secret)
    const wrappedAccountKey = await sealResetKey(secret, input.userId, accountKeyRaw)
    const { expiresAt } = await api.createReset(input.userId, {
      resetId,
      verifier,
      wrappedAccountKey,
    })
    return { url: `${input.origin}/reset#${secret}`, expiresAt }
  } finally {
    key.privateKey.fill(0)
    accountKeyRaw?.fill(0)
  }
}

/** The secret out of a reset link (`…/reset#<secret>`) or a bare secret. */
export function resetSecretFrom(urlOrSecret: string): string {
  const hash = urlOrSecret.indexOf('#')
  return hash >= 0 ? urlOrSecret.slice(hash + 1) : urlOrSecret
}

/**
 * The user's side of a reset: unwraps the account key with the link's secret, checks it opens
 * the account's own wraps, registers the new password and re-wraps the same key. Every
 * session ends; sign in with the new password afterwards. Answers the username.
 */
export async function resetPassword(
  api: ApiClient,
  input: { secret: string; newPassword: string },
): Promise<{ username: string }> {
  await opaqueReady
  const { resetId, proof } = await deriveReset(input.secret)
  const registration = opaqueClient.startRegistration(input.newPassword)
  const started = await api.resetStart({
    resetId,
    proof,
    registrationRequest: registration.registrationRequest,
  })
  const accountKeyRaw = await openResetKey(input.secret, started.userId, started.wrappedAccountKey)
  try {
    await unlockAccountWithKey(accountKeyRaw, started.username, started.keys)
    const { registrationRecord, exportKey } = opaqueClient.finishRegistration({
      password: input.newPassword,
      registrationResponse: started.registrationResponse,
      clientRegistrationState: registration.clientRegistrationState,
    })
    await api.resetFinish({
      resetId,
      proof,
      registrationRecord,
      wrappedAccountKey: await wrapAccountKey(exportKey, started.username, accountKeyRaw),
    })
    return { username: started.username }
  } finally {
    accountKeyRaw.fill(0)
  }
}
