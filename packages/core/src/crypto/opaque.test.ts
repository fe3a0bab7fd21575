import { describe, expect, it } from 'vitest'
import { opaqueClient, opaqueReady, opaqueServer } from './opaque.js'

await opaqueReady
const serverSetup = opaqueServer.createSetup()

function register(username: string, password: string): string {
  const { clientRegistrationState, registrationRequest } = opaqueClient.startRegistration(password)
  const registrationResponse = opaqueServer.createRegistrationResponse({
    serverSetup,
    userIdentifier: username,
    registrationRequest,
  })
  return opaqueClient.finishRegistration({
    password,
    registrationResponse,
    clientRegistrationState,
  }).registrationRecord
}

function logIn(username: string, password: string, registrationRecord: string | null) {
  const { clientLoginState, startLoginRequest } = opaqueClient.startLogin(password)
  const { loginResponse, serverLoginState } = opaqueServer.startLogin({
    serverSetup,
    userIdentifier: username,
    registrationRecord,
    startLoginRequest,
  })
  const client = opaqueClient.finishLogin({ password, loginResponse, clientLoginState })
  return { client, serverLoginState }
}

describe('OPAQUE', () => {
  it('signs in with the registered password: both sides get the same session key', () => {
    const record = register('alice', 'correct horse')
    const { client, serverLoginState } = logIn('alice', 'correct horse', record)
    expect(client).toBeDefined()
    const serverKey = opaqueServer.finishLogin({
      serverLoginState,
      finishLoginRequest: client!.finishLoginRequest,
    })
    expect(serverKey).toBe(client!.sessionKey)
    // The export key is the same on every sign-in: account keys are wrapped under it.
    expect(logIn('alice', 'correct horse', record).client?.exportKey).toBe(client!.exportKey)
  })

  it('gives a wrong password, or an unknown user answered with a decoy, nothing', () => {
    const record = register('alice', 'correct horse')
    expect(logIn('alice', 'wrong horse', record).client).toBeUndefined()
    expect(logIn('nobody', 'correct horse', null).client).toBeUndefined()
  })
})
