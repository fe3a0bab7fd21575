import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ALICE, setUpAdministrator } from './test-support/accounts.js'
import { createCliUser, type CliUser } from './test-support/cli.js'
import { expectStatus, parseJson } from './test-support/results.js'
import { startServer, type RunningServer } from './test-support/server.js'
import { startSmtpServer, type RunningSmtpServer } from '@sealpost/test-support'

// The server refuses a whole email request (here: more addresses than one email an hour
// allows), so nobody received the link: the CLI takes back what it just created. The
// database plays no part in this, so SQLite alone is enough.
describe('a refused email', () => {
  let server: RunningServer | undefined
  let smtp: RunningSmtpServer | undefined
  let alice: CliUser | undefined

  beforeAll(async () => {
    smtp = await startSmtpServer()
    server = await startServer({
      env: {
        SEALPOST_SMTP_URL: smtp.url,
        SEALPOST_MAIL_FROM: 'Sealpost <vault@example.org>',
        SEALPOST_MAIL_PER_HOUR: '1',
      },
    })
    alice = await createCliUser()
    await setUpAdministrator(alice, server.url, ALICE)
  })

  afterAll(async () => {
    await server?.stop()
    await smtp?.close()
    await alice?.remove()
  })

  test('deletes the link nobody received and says so', async () => {
    const result = await alice!.run([
      'send-email',
      '--to',
      'dana@example.org,erin@example.org',
      '--text',
      'the router password',
    ])
    expectStatus(result, 1)
    expect(result.stderr).toMatch(
      /^error: no email was sent: at most 1 emails can be sent per hour; the link was deleted \(invalid_input\)\n$/m,
    )
    expect(parseJson(await alice!.run(['link', 'ls', '--json']))).toEqual([])
    expect(smtp!.received).toHaveLength(0)
  })

  test('closes the request nobody received and says so', async () => {
    const result = await alice!.run([
      'request',
      'create',
      '--note',
      'your SSH public key',
      '--email',
      'dana@example.org,erin@example.org',
    ])
    expectStatus(result, 1)
    expect(result.stderr).toMatch(
      /^error: no email was sent: at most 1 emails can be sent per hour; the request was closed \(invalid_input\)\n$/m,
    )
    expect(parseJson(await alice!.run(['request', 'ls', '--json']))).toEqual([])
    expect(smtp!.received).toHaveLength(0)
  })
})
