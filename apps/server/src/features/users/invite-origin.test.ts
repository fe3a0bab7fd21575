import { InviteResponse } from '@sealpost/core'
import { afterEach, describe, expect, it } from 'vitest'
import { type Admin, startWithPeople } from '../../test-support/accounts.js'
import { dialects, type TestServer } from '../../test-support/harness.js'

/** The administrator invites someone through a browser at `host`; answers the invite link. */
async function inviteFrom(server: TestServer, admin: Admin, host: string, username: string) {
  const { cookie, csrfToken } = admin.api.session
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/admin/users',
    headers: {
      host,
      cookie: cookie ?? '',
      'x-sealpost-csrf': csrfToken ?? '',
      'content-type': 'application/json',
    },
    payload: JSON.stringify({ username, email: `${username}@example.org` }),
  })
  expect(response.statusCode).toBe(200)
  return InviteResponse.parse(response.json()).inviteUrl
}

describe.each(dialects)('the origin of invite links on %s', (dialect) => {
  let server: TestServer
  afterEach(async () => {
    await server.close()
  })

  it('is SEALPOST_PUBLIC_URL when it is set, whatever name the browser used', async () => {
    const started = await startWithPeople(dialect, [])
    server = started.server
    expect((await started.admin.api.getSession()).publicUrl).toEqual({
      url: 'http://sealpost.test',
      isSet: true,
    })
    expect(await inviteFrom(server, started.admin, 'vault.example.org:8443', 'bob')).toMatch(
      /^http:\/\/sealpost\.test\/invite#[A-Za-z0-9_-]{43}$/,
    )
  })

  it('is the address the browser used when SEALPOST_PUBLIC_URL is unset', async () => {
    // An empty variable is the default: http://localhost:$SEALPOST_PORT, for emails only.
    const started = await startWithPeople(dialect, [], { env: { SEALPOST_PUBLIC_URL: '' } })
    server = started.server
    expect((await started.admin.api.getSession()).publicUrl).toEqual({
      url: 'http://localhost:8080',
      isSet: false,
    })
    expect(await inviteFrom(server, started.admin, 'vault.example.org:8443', 'bob')).toMatch(
      /^http:\/\/vault\.example\.org:8443\/invite#[A-Za-z0-9_-]{43}$/,
    )
    // A Host that is no host name falls back to the public URL rather than a broken link.
    expect(await inviteFrom(server, started.admin, 'bad host/../', 'carol')).toMatch(
      /^http:\/\/localhost:8080\/invite#/,
    )
  })
})
