import type { AccountKeys } from '../contracts/auth.js'
import type { PasswordProof } from '../contracts/account.js'
import { openAccountKey, unlockAccountWithKey, wrapAccountKey } from '../crypto/account.js'
import { opaqueClient, opaqueReady } from '../crypto/opaque.js'
import {
  deriveRecoveryCode,
  generateRecoveryCode,
  openAccountKeyWithRecoveryCode,
  sealAccountKeyForRecovery,
} from '../crypto/recovery-code.js'
import { ApiError, type ApiClient } from './api-client.js'

/**
 * Proves the signed-in user's password without a new session; answers the proof for the
 * server and OPAQUE's export key for this device.
 */
export async function provePassword(
  api: ApiClient,
  password: string,
): Promise<{ proof: PasswordProof; exportKey: string }> {
  await opaqueReady
  const login = opaqueClient.startLogin(password)
  const { loginId, loginResponse } = await api.reauthStart({
    startLoginRequest: login.startLoginRequest,
  })
  const result = opaqueClient.finishLogin({
    password,
    loginResponse,
    clientLoginState: login.clientLoginState,
  })
  if (!result) throw new ApiError(401, 'invalid_credentials', 'the password is wrong')
  return {
    proof: { loginId, finishLoginRequest: result.finishLoginRequest },
    exportKey: result.exportKey,
  }
}

/**
 * Creates a recovery code (replacing any earlier one) and answers it, to be shown once.
 * With `password` the server gets a proof of it; with `exportKey` (just signed in: setup,
 * invite, the CLI's saved session) the session must be minutes old.
 */
export async function createRecoveryCode(
  api: ApiClient,
  input: { username: string; keys: AccountKeys } & ({ password: string } | { exportKey: string }),
): Promise<string> {
  const proven = 'password' in input ? await provePassword(api, input.password) : undefined
  const exportKey = proven?.exportKey ?? ('exportKey' in input ? input.exportKey : '')
  const accountKeyRaw = await openAccountKey(
    exportKey,
    input.username,
    input.keys.wrappedAccountKey,
  )
  const code = generateRecoveryCode()
  try {
    const sealed = await sealAccountKeyForRecovery(code, input.username, accountKeyRaw)
    await api.putRecoveryCode({ ...sealed, ...(proven ? { proof: proven.proof } : {}) })
  } finally {
    accountKeyRaw.fill(0)
  }
  return code
}

/**
 * Forgot password: the recovery code unwraps the account key here, the new password is
 * registered and wraps the same key. The code is spent; every session of the user ends.
 * Sign in with the new password afterwards.
 */
export async function recoverAccount(
  api: ApiClient,
  input: { username: string; code: string; newPassword: string },
): Promise<void> {
  await opaqueReady
  const username = input.username.trim().toLowerCase()
  const { proof } = await deriveRecoveryCode(input.code)
  const registration = opaqueClient.startRegistration(input.newPassword)
  const started = await api.recoverStart({
    username,
    proof,
    registrationRequest: registration.registrationRequest,
  })
  const accountKeyRaw = await openAccountKeyWithRecoveryCode(
    input.code,
    username,
    started.wrappedAccountKey,
  )
  try {
    // The key must open the account's own wraps: a server cannot slip in another key.
    await unlockAccountWithKey(accountKeyRaw, username, started.keys)
    const { registrationRecord, exportKey } = opaqueClient.finishRegistration({
      password: input.newPassword,
      registrationResponse: started.registrationResponse,
      clientRegistrationState: registration.clientRegistrationState,
    })
    await api.recoverFinish({
      username,
      proof,
      registrationRecord,
      wrappedAccountKey: await wrapAccountKey(exportKey, username, accountKeyRaw),
    })
  } finally {
    accountKeyRaw.fill(0)
  }
}
