import {
  ApiError,
  createApiClient,
  unlockAccount,
  type AccountKeys,
  type ApiClient,
  type Me,
  type UnlockedAccount,
} from '@sealpost/core'
import type { Command } from 'commander'
import { httpFetch } from './http-transport.js'
import { CommandError, reportError, UsageError } from './output.js'
import {
  deleteSession,
  readSession,
  saveSession,
  sealpostHome,
  type StoredSession,
} from './session-store.js'

export const DEFAULT_SERVER = 'http://localhost:8080'

/** How the CLI names itself to the server: its sessions are listed as "CLI". */
export const USER_AGENT = `sealpost-cli/0.1.0 node/${process.versions.node}`

/** Options every command accepts, before or after the command words. */
export type GlobalOptions = { server?: string; json?: boolean }

/** Everything a command needs: where to talk, as whom, and how to print. */
export type Context = {
  json: boolean
  server: string
  /** The saved session for `server`, if any. */
  session: StoredSession | undefined
  api: ApiClient
  /**
   * Saves the API client's current session (after setup, login, accepting an invite) with the
   * export key that unlocks the account's keys while the session lasts.
   */
  rememberSession: (username: string, exportKey: string) => Promise<void>
  forgetSession: () => Promise<void>
}

type ContextOptions = {
  /** A server named by the command itself (an invite URL's origin); `--server` still wins. */
  commandServer?: string | undefined
  /**
   * Public endpoints only (opening a link): no session cookie is sent, so the server cannot
   * tie the visit to an account.
   */
  isAnonymous?: boolean
}

/**
 * Runs a command's body with its context and reports any failure as one line on stderr,
 * setting the exit status. Commander's own usage errors are reported by main.ts.
 */
export async function withContext(
  command: Command,
  run: (context: Context) => Promise<void>,
  options: ContextOptions = {},
): Promise<void> {
  let server: string | undefined
  try {
    const context = await createContext(command, options)
    server = context.server
    await run(context)
  } catch (error) {
    process.exitCode = reportError(error, server)
  }
}

async function createContext(command: Command, options: ContextOptions): Promise<Context> {
  const globals = command.optsWithGlobals<GlobalOptions>()
  const home = sealpostHome()
  const saved = await readSession(home)
  // --server, then a server the command names, then the saved session's, then the environment.
  const server = normalizeServer(
    globals.server ??
      options.commandServer ??
      saved?.server ??
      (process.env.SEALPOST_SERVER || DEFAULT_SERVER),
  )
  // A cookie belongs to one server; never send it anywhere else.
  const session = saved && saved.server === server && !options.isAnonymous ? saved : undefined
  const api = createApiClient({
    baseUrl: server,
    fetch: httpFetch,
    manageCookies: true,
    cookie: session?.cookie,
    csrfToken: session?.csrfToken,
    userAgent: USER_AGENT,
  })
  return {
    json: globals.json === true,
    server,
    session,
    api,
    rememberSession: async (username, exportKey) => {
      const { cookie, csrfToken } = api.session
      if (!cookie || !csrfToken) throw new Error('the server did not start a session')
      await saveSession(home, { server, username, cookie, csrfToken, exportKey })
    },
    forgetSession: () => deleteSession(home),
  }
}

/** The saved session, or the not_signed_in error the server would give. */
export function requireSession(context: Context): StoredSession {
  if (!context.session) throw new ApiError(401, 'not_signed_in', 'not signed in')
  return context.session
}

/** The signed-in user with their keys unwrapped: what sealing and opening messages need. */
export type SignedInUser = { me: Me; keys: AccountKeys; account: UnlockedAccount }

/**
 * Unwraps the signed-in user's keys with the export key saved at sign-in. The wrapped keys come
 * from the server, so a stale or ended session fails here with not_signed_in.
 */
export async function unlockAccountKeys(context: Context): Promise<SignedInUser> {
  const saved = requireSession(context)
  if (!saved.exportKey) {
    throw new CommandError(
      'this session was saved by an older sealpost and cannot unlock your keys; ' +
        'run `sealpost login` again',
      'not_signed_in',
    )
  }
  const { user, keys } = await context.api.getSession()
  const account = await unlockAccount(saved.exportKey, user.username, keys)
  return { me: user, keys, account }
}

/** Accepts http(s) URLs only; drops a trailing slash so `${server}/api/…` is well formed. */
export function normalizeServer(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new UsageError(`not a server URL: ${raw}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`the server URL must start with http:// or https://: ${raw}`)
  }
  return url.origin + url.pathname.replace(/\/+$/, '')
}
