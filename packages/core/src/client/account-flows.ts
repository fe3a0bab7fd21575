import type { TwoFactorMethod } from '../contracts/account.js'
import type { AccountKeys, SessionResponse } from '../contracts/auth.js'
import {
  createAccountKeys,
  rewrapAccountKey,
  type UnlockedAccount,
  unlockAccount,
} from '../crypto/account.js'
import { opaqueClient, opaqueReady } from '../crypto/opaque.js'
import { ApiError, type ApiClient } from './api-client.js'
import { enrollInAccountRecovery } from './org-recovery-flows.js'

/**
 * A signed-in device. `exportKey` (OPAQUE's export key, base64url) unlocks the account again
 * with `unlockAccount`; a CLI may keep it for the session's life, a browser keeps CryptoKeys.
 */
export type SignedIn = {
  session: SessionResponse
  account: UnlockedAccount
  exportKey: string
  /**
   * Why this sign-in did not enrol the account in administrator-assisted recovery (e.g. a
   * CryptoError 'recovery_key_unverified'); the sign-in itself succeeded. Show it as a warning.
   */
  enrolmentError?: unknown
}

/**
 * Runs OPAQUE registration and creates the account's keys on this device.
 * `start` and `finish` are the two server calls (first-run setup or invite).
 */
async function register(
  username: string,
  password: string,
  start: (registrationRequest: string) => Promise<{ registrationResponse: string }>,
  finish: (body: {
    registrationRecord: string
    keys: Awaited<ReturnType<typeof createAccountKeys>>['keys']
  }) => Promise<SessionResponse>,
): Promise<SignedIn> {
  await opaqueReady
  const { clientRegistrationState, registrationRequest } = opaqueClient.startRegistration(password)
  const { registrationResponse } = await start(registrationRequest)
  const { registrationRecord, exportKey } = opaqueClient.finishRegistration({
    password,
    registrationResponse,
    clientRegistrationState,
  })
  const { keys, account } = await createAccountKeys(exportKey, username)
  const session = await finish({ registrationRecord, keys })
  return { session, account, exportKey }
}

/** First-run: creates the administrator (only while the server has no users). */
export async function setupAdministrator(
  api: ApiClient,
  input: { username: string; displayName: string; email: string; password: string },
): Promise<SignedIn> {
  const username = input.username.trim().toLowerCase()
  const signedIn = await register(
    username,
    input.password,
    (registrationRequest) => api.setupStart({ username, registrationRequest }),
    (body) =>
      api.setupFinish({ ...body, username, displayName: input.displayName, email: input.email }),
  )
  api.useSession(signedIn.session)
  return signedIn
}

/** Accepts an invite: chooses the password and creates the invitee's keys here. */
export async function acceptInvite(
  api: ApiClient,
  input: { token: string; password: string; displayName?: string },
): Promise<SignedIn> {
  const invite = await api.inviteLookup({ token: input.token })
  const signedIn = await register(
    invite.username,
    input.password,
    (registrationRequest) => api.inviteRegisterStart({ token: input.token, registrationRequest }),
    (body) =>
      api.inviteRegisterFinish({ ...body, token: input.token, displayName: input.displayName }),
  )
  api.useSession(signedIn.session)
  return signedIn
}

/** What the user gives as second factor; `webauthn` is the browser's assertion JSON. */
export type SecondFactorAnswer =
  { totp: string } | { backupCode: string } | { webauthn: Record<string, unknown> }

/**
 * What the server accepts as second factor for this sign-in; `error` is why the previous
 * answer was refused (ask again, or throw it to give up).
 */
export type SecondFactorChallenge = {
  methods: TwoFactorMethod[]
  webauthn: unknown
  error?: ApiError
}

/** A wrong code may be corrected with the same sign-in, as often as the server allows. */
async function answerSecondFactor(
  api: ApiClient,
  token: string,
  challenge: SecondFactorChallenge,
  ask: (challenge: SecondFactorChallenge) => Promise<SecondFactorAnswer>,
): Promise<SessionResponse> {
  for (let error: ApiError | undefined; ;) {
    const answer = await ask(error ? { ...challenge, error } : challenge)
    try {
      return await api.loginSecondFactor({ token, ...answer })
    } catch (refused) {
      if (!(refused instanceof ApiError) || refused.code !== 'invalid_second_factor') throw refused
      error = refused
    }
  }
}

/**
 * OPAQUE login, then unwraps the account keys with the export key. When the account has a
 * second factor the server opens no session until `secondFactor` answers; without it that
 * sign-in fails with `second_factor_required`.
 */
export async function signIn(
  api: ApiClient,
  input: {
    username: string
    password: string
    secondFactor?: (challenge: SecondFactorChallenge) => Promise<SecondFactorAnswer>
  },
): Promise<SignedIn> {
  await opaqueReady
  const username = input.username.trim().toLowerCase()
  const { clientLoginState, startLoginRequest } = opaqueClient.startLogin(input.password)
  const { loginId, loginResponse } = await api.loginStart({ username, startLoginRequest })
  const result = opaqueClient.finishLogin({
    password: input.password,
    loginResponse,
    clientLoginState,
  })
  if (!result) {
    throw new ApiError(401, 'invalid_credentials', 'wrong username or password')
  }
  const finished = await api.loginFinish({ loginId, finishLoginRequest: result.finishLoginRequest })
  let session: SessionResponse
  if ('secondFactor' in finished) {
    if (!input.secondFactor) {
      throw new ApiError(401, 'second_factor_required', 'this account needs a second factor')
    }
    const { token, methods, webauthn } = finished.secondFactor
    session = await answerSecondFactor(api, token, { methods, webauthn }, input.secondFactor)
  } else {
    session = finished
  }
  api.useSession(session)
  const account = await unlockAccount(result.exportKey, username, session.keys)
  // While the organisation has account recovery on, each sign-in enrols this user once. A
  // refused or failed enrolment does not stop the sign-in: the next sign-in tries again.
  let enrolmentError: unknown
  if (!session.mustSetUpTwoFactor) {
    try {
      await enrollInAccountRecovery(api, {
        userId: session.user.id,
        username,
        exportKey: result.exportKey,
        keys: session.keys,
      })
    } catch (error) {
      enrolmentError = error
    }
  }
  return {
    session,
    account,
    exportKey: result.exportKey,
    ...(enrolmentError === undefined ? {} : { enrolmentError }),
  }
}

/**
 * Changes the password of the signed-in user: proves the current one with an OPAQUE login,
 * registers the new one and re-wraps the same account key under its export key, so keys,
 * vaults and messages stay as they are. The server ends every other session of the user.
 * Answers the new export key (a CLI keeps it to unlock the keys) and the refreshed session.
 */
export async function changePassword(
  api: ApiClient,
  input: { username: string; keys: AccountKeys; currentPassword: string; newPassword: string },
): Promise<{ session: SessionResponse; exportKey: string }> {
  await opaqueReady
  const login = opaqueClient.startLogin(input.currentPassword)
  const registration = opaqueClient.startRegistration(input.newPassword)
  const started = await api.changePasswordStart({
    startLoginRequest: login.startLoginRequest,
    registrationRequest: registration.registrationRequest,
  })
  const proven = opaqueClient.finishLogin({
    password: input.currentPassword,
    loginResponse: started.loginResponse,
    clientLoginState: login.clientLoginState,
  })
  if (!proven) throw new ApiError(401, 'invalid_credentials', 'the current password is wrong')
  const { registrationRecord, exportKey } = opaqueClient.finishRegistration({
    password: input.newPassword,
    registrationResponse: started.registrationResponse,
    clientRegistrationState: registration.clientRegistrationState,
  })
  const wrappedAccountKey = await rewrapAccountKey(
    proven.exportKey,
    exportKey,
    input.username,
    input.keys.wrappedAccountKey,
  )
  const session = await api.changePasswordFinish({
    loginId: started.loginId,
    finishLoginRequest: proven.finishLoginRequest,
    registrationRecord,
    wrappedAccountKey,
  })
  api.useSession(session)
  return { session, exportKey }
}

/** Parses the token out of an invite URL (`…/invite#<token>`) or takes a bare token. */
export function inviteTokenFrom(urlOrToken: string): string {
  const hash = urlOrToken.indexOf('#')
  return hash >= 0 ? urlOrToken.slice(hash + 1) : urlOrToken
}
