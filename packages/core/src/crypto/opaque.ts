import * as opaque from '@serenity-kit/opaque'

/**
 * OPAQUE (RFC 9807) via @serenity-kit/opaque: the password never leaves the client
 * and the server cannot test guesses without its server setup secret.
 * Every protocol message is a base64url string.
 */
export const opaqueReady: Promise<void> = opaque.ready

export const opaqueClient = {
  startRegistration: (password: string) => opaque.client.startRegistration({ password }),
  finishRegistration: (params: {
    password: string
    registrationResponse: string
    clientRegistrationState: string
  }) => opaque.client.finishRegistration(params),
  startLogin: (password: string) => opaque.client.startLogin({ password }),
  /** Returns undefined when the server's response does not match the password. */
  finishLogin: (params: { password: string; loginResponse: string; clientLoginState: string }) =>
    opaque.client.finishLogin(params),
}

export const opaqueServer = {
  createSetup: () => opaque.server.createSetup(),
  createRegistrationResponse: (params: {
    serverSetup: string
    userIdentifier: string
    registrationRequest: string
  }) => opaque.server.createRegistrationResponse(params).registrationResponse,
  /** With `registrationRecord: null` it answers with a decoy, so unknown users look like known ones. */
  startLogin: (params: {
    serverSetup: string
    userIdentifier: string
    registrationRecord: string | null
    startLoginRequest: string
  }) => opaque.server.startLogin(params),
  finishLogin: (params: { serverLoginState: string; finishLoginRequest: string }) =>
    opaque.server.finishLogin(params).sessionKey,
}
