import { randomUUID } from 'node:crypto'
import type { CliUser } from './cli.js'
import { expectStatus } from './results.js'

/** Who to create: flags left out are left out of the command too. */
export type Person = { username: string; displayName?: string; email?: string }

/** The administrator most suites start with. */
export const ALICE: Person = {
  username: 'alice',
  displayName: 'Alice Doe',
  email: 'alice@example.com',
}

/** A password nobody else uses; it reaches the CLI only on stdin. */
export function passwordFor(username: string): string {
  return `password-of-${username}-${randomUUID()}`
}

function personFlags(who: Person): string[] {
  return [
    '--username',
    who.username,
    ...(who.displayName === undefined ? [] : ['--display-name', who.displayName]),
    ...(who.email === undefined ? [] : ['--email', who.email]),
  ]
}

/** `sealpost setup` on a fresh server: `person` becomes its administrator, signed in. */
export async function setUpAdministrator(
  person: CliUser,
  serverUrl: string,
  who: Person,
  password = passwordFor(who.username),
): Promise<void> {
  const result = await person.run(
    ['--server', serverUrl, 'setup', ...personFlags(who), '--password-stdin'],
    { stdin: `${password}\n` },
  )
  expectStatus(result, 0)
}

/** The administrator invites `who`; returns the invite link `sealpost admin users invite` printed. */
export async function invite(admin: CliUser, who: Person): Promise<string> {
  const result = await admin.run(['admin', 'users', 'invite', ...personFlags(who)])
  expectStatus(result, 0)
  return result.stdout.trim()
}

/** `who` is invited and `person` accepts on their own computer: a signed-in member. */
export async function inviteMember(
  admin: CliUser,
  person: CliUser,
  who: Person,
  password = passwordFor(who.username),
): Promise<void> {
  const link = await invite(admin, who)
  const accepted = await person.run(['accept-invite', link, '--password-stdin'], {
    stdin: `${password}\n`,
  })
  expectStatus(accepted, 0)
}
