type Opaque = typeof import('@serenity-kit/opaque')

/**
 * OPAQUE (RFC 9807) via @serenity-kit/opaque: the password never leaves the client
 * and the server cannot test guesses without its server setup secret.
 * Every protocol message is a base64url string.
 *
 * The library (~420 kB with its WebAssembly) loads on the first `await opaqueReady`, so a web
 * page that only might sign someone in does not download it up front (issue 15).
 */
let loading: Promise<Opaque> | undefined
let loaded: Opaque | undefined

function load(): Promise<Opaque> {
  loading ??= import('@serenity-kit/opaque').then(async (module) => {
    await module.ready
    loaded = module
    return module
  })
  return loading
}

/** Resolves once OPAQUE is loaded and ready; await it before using opaqueClient or opaqueServer. */
export const opaqueReady: PromiseLike<void> = {
  then: (onReady, onFailed) =>
    load()
      .then(() => undefined)
      .then(onReady, onFailed),
}

function opaqueLibrary(): Opaque {
  if (!loaded) throw new Error('OPAQUE is not loaded yet: await opaqueReady first')
  return loaded
}

type Client = Opaque['client']
type Server = Opaque['server']
// The library does not export its result types; these name them for the declarations.
type Result<F extends (...args: never[]) => unknown> = ReturnType<F>

const opaque = {
  get client() {
    return opaqueLibrary().client
  },
  get server() {
    return opaqueLibrary().server
  },
}

export const opaqueClient = {
  startRegistration: (password: string): Result<Client['startRegistration']> =>
    opaque.client.startRegistration({ password }),
  finishRegistration: (params: {
    password: string
    registrationResponse: string
    clientRegistrationState: string
  }): Result<Client['finishRegistration']> => opaque.client.finishRegistration(params),
  startLogin: (password: string): Result<Client['startLogin']> =>
    opaque.client.startLogin({ password }),
  /** Returns undefined when the server's response does not match the password. */
  finishLogin: (params: {
    password: string
    loginResponse: string
    clientLoginState: string
  }): Result<Client['finishLogin']> => opaque.client.finishLogin(params),
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
  }): Result<Server['startLogin']> => opaque.server.startLogin(params),
  finishLogin: (params: { serverLoginState: string; finishLoginRequest: string }) =>
    opaque.server.finishLogin(params).sessionKey,
}
