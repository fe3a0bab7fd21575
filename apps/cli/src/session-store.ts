import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** What the CLI keeps between runs: enough to call the API as the signed-in user. */
export type StoredSession = {
  server: string
  username: string
  cookie: string
  csrfToken: string
  /**
   * OPAQUE's export key (base64url): it unlocks the account's private keys for as long as this
   * session lives, so commands that seal or open messages need no password. It is kept only
   * in this owner-only file, and `sealpost logout` deletes the file. Sessions saved before
   * messages existed lack it; those commands then ask for `sealpost login` again.
   */
  exportKey?: string
}

/** `$SEALPOST_HOME`, or ~/.config/sealpost; tests give each user their own. */
export function sealpostHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.SEALPOST_HOME || join(homedir(), '.config', 'sealpost')
}

function sessionPath(home: string): string {
  return join(home, 'session.json')
}

/** The saved session, or undefined when there is none (or it is unreadable as one). */
export async function readSession(home: string): Promise<StoredSession | undefined> {
  let text: string
  try {
    text = await readFile(sessionPath(home), 'utf8')
  } catch (error) {
    if (isMissing(error)) return undefined
    throw error
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  return isStoredSession(value) ? value : undefined
}

/** Saves the session readable by the owner only: directory 0700, file 0600. */
export async function saveSession(home: string, session: StoredSession): Promise<void> {
  await mkdir(home, { recursive: true, mode: 0o700 })
  // mkdir leaves an existing directory's mode alone; the cookie must not be world-readable.
  await chmod(home, 0o700)
  const path = sessionPath(home)
  // Write then rename, so a crash never leaves half a session behind.
  const temporary = `${path}.${process.pid}.tmp`
  await writeFile(temporary, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 })
  await chmod(temporary, 0o600)
  await rename(temporary, path)
}

export async function deleteSession(home: string): Promise<void> {
  await rm(sessionPath(home), { force: true })
}

function isStoredSession(value: unknown): value is StoredSession {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  const fields = ['server', 'username', 'cookie', 'csrfToken'] as const
  return (
    fields.every((field) => typeof record[field] === 'string') &&
    (record.exportKey === undefined || typeof record.exportKey === 'string')
  )
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT'
}
