import { createHmac, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { expectKeptFromRest } from './test-support/at-rest.js'
import { ALICE, setUpAdministrator } from './test-support/accounts.js'
import { createCliUser, type CliUser } from './test-support/cli.js'
import { databases } from './test-support/databases.js'
import { expectStatus, parseJson } from './test-support/results.js'
import { startServer, type RunningServer } from './test-support/server.js'

type Me = { username: string }

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) from a base32 secret: the test's authenticator app. */
function totp(secret: string, atMs: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const c of secret) bits += alphabet.indexOf(c).toString(2).padStart(5, '0')
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)))
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 30_000)))
  const mac = createHmac('sha1', key).update(counter).digest()
  const offset = (mac[19] ?? 0) & 0xf
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0')
}

describe.each(databases)('sealpost account commands on $name', ({ databaseUrl }) => {
  const firstPassword = `canary-first-${randomUUID()}`
  const secondPassword = `canary-second-${randomUUID()}`
  const thirdPassword = `canary-third-${randomUUID()}`
  let recoveryCode = ''
  let server: RunningServer | undefined
  let desk: CliUser
  let laptop: CliUser

  beforeAll(async () => {
    server = await startServer({ databaseUrl: await databaseUrl() })
    desk = await createCliUser()
    laptop = await createCliUser()
    await setUpAdministrator(desk, server.url, { ...ALICE, displayName: 'Alice' }, firstPassword)
    const note = await desk.run(
      ['vault', 'add-entry', 'router', '--type', 'note', '--notes-stdin'],
      {
        stdin: 'admin/admin on the router\n',
      },
    )
    expectStatus(note, 0)
    const login = await laptop.run(
      ['--server', server.url, 'login', '--username', 'alice', '--password-stdin'],
      { stdin: `${firstPassword}\n` },
    )
    expectStatus(login, 0)
  })

  afterAll(async () => {
    await server?.stop()
    await Promise.all([desk, laptop].map((person) => person?.remove()))
  })

  test('account notify shows the new-message email setting and turns it off and on', async () => {
    const shown = await desk.run(['account', 'notify'])
    expectStatus(shown, 0)
    expect(shown.stdout).toBe('New-message emails are on.\n')
    expectStatus(await desk.run(['account', 'notify', 'off']), 0)
    // Kept by the server: another sign-in of the same account sees it.
    expect(parseJson(await laptop.run(['account', 'notify', '--json']))).toEqual({
      notifyByEmail: false,
    })
    expect((await laptop.run(['account', 'notify', 'on'])).stdout).toBe(
      'New-message emails are on.\n',
    )
    expect(parseJson(await desk.run(['account', 'notify', '--json']))).toEqual({
      notifyByEmail: true,
    })
    expectStatus(await desk.run(['account', 'notify', 'maybe']), 2)
  })

  test('passwd refuses a wrong current password and changes nothing', async () => {
    const result = await desk.run(['passwd', '--password-stdin'], {
      stdin: `not the password\n${secondPassword}\n`,
    })
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/\(invalid_credentials\)\n$/)
    // The laptop's session still works.
    expect((parseJson(await laptop.run(['whoami', '--json'])) as Me).username).toBe('alice')
  })

  test('passwd needs both lines', async () => {
    const result = await desk.run(['passwd', '--password-stdin'], { stdin: `${firstPassword}\n` })
    expect(result.status).toBe(2)
    expect(result.stderr).toContain('the new password is missing')
  })

  test('passwd changes the password, keeps this session and the vault, ends the others', async () => {
    const result = await desk.run(['passwd', '--password-stdin'], {
      stdin: `${firstPassword}\n${secondPassword}\n`,
    })
    expectStatus(result, 0)
    expect(result.stdout).toContain('Password changed')
    // This session still unlocks the keys (the saved export key was replaced).
    const note = parseJson(await desk.run(['vault', 'get', 'router', '--json'])) as {
      notes: string
    }
    expect(note.notes).toBe('admin/admin on the router\n')
    const ended = await laptop.run(['whoami'])
    expect(ended.status).toBe(1)
    expect(ended.stderr).toContain('(not_signed_in)')

    const old = await laptop.run(['login', '--username', 'alice', '--password-stdin'], {
      stdin: `${firstPassword}\n`,
    })
    expect(old.status).toBe(1)
    expect(old.stderr).toContain('(invalid_credentials)')
    const fresh = await laptop.run(['login', '--username', 'alice', '--password-stdin'], {
      stdin: `${secondPassword}\n`,
    })
    expectStatus(fresh, 0)
    const again = parseJson(await laptop.run(['vault', 'get', 'router', '--json'])) as {
      notes: string
    }
    expect(again.notes).toBe('admin/admin on the router\n')
  })

  type Listed = { sessions: Array<{ id: string; device: string; isCurrent: boolean }> }

  test('sessions lists both computers as CLI, this one marked', async () => {
    const list = parseJson(await desk.run(['sessions', '--json'])) as Listed
    expect(list.sessions).toHaveLength(2)
    expect(list.sessions.every((s) => s.device === 'CLI')).toBe(true)
    expect(list.sessions.filter((s) => s.isCurrent)).toHaveLength(1)
    const human = await desk.run(['sessions'])
    expectStatus(human, 0)
    expect(human.stdout).toMatch(/^ID +DEVICE +ADDRESS +CREATED +LAST SEEN\n/)
    expect(human.stdout).toContain('CLI (this one)')
  })

  test('sessions revoke ends one session by id; it needs an id or --others', async () => {
    const list = parseJson(await desk.run(['sessions', '--json'])) as Listed
    const other = list.sessions.find((s) => !s.isCurrent)
    if (!other) throw new Error('no other session')
    const usage = await desk.run(['sessions', 'revoke'])
    expect(usage.status).toBe(2)
    expectStatus(await desk.run(['sessions', 'revoke', other.id]), 0)
    const ended = await laptop.run(['whoami'])
    expect(ended.stderr).toContain('(not_signed_in)')
    const again = await desk.run(['sessions', 'revoke', other.id])
    expect(again.status).toBe(1)
    expect(again.stderr).toContain('(not_found)')
  })

  test('sessions revoke --others keeps only this session', async () => {
    expectStatus(
      await laptop.run(['login', '--username', 'alice', '--password-stdin'], {
        stdin: `${secondPassword}\n`,
      }),
      0,
    )
    const result = parseJson(await desk.run(['sessions', 'revoke', '--others', '--json']))
    expect(result).toEqual({ ended: 1 })
    expect((await laptop.run(['whoami'])).stderr).toContain('(not_signed_in)')
    const list = parseJson(await desk.run(['sessions', '--json'])) as Listed
    expect(list.sessions.map((s) => s.isCurrent)).toEqual([true])
  })

  test('admin users end-sessions signs a user out everywhere', async () => {
    expectStatus(
      await laptop.run(['login', '--username', 'alice', '--password-stdin'], {
        stdin: `${secondPassword}\n`,
      }),
      0,
    )
    const result = await laptop.run(['admin', 'users', 'end-sessions', 'alice'])
    expectStatus(result, 0)
    expect(result.stdout).toBe('Ended 2 session(s) of alice.\n')
    expect((await desk.run(['whoami'])).stderr).toContain('(not_signed_in)')
    expectStatus(
      await desk.run(['login', '--username', 'alice', '--password-stdin'], {
        stdin: `${secondPassword}\n`,
      }),
      0,
    )
  })

  test('recovery-code create prints a new code once', async () => {
    const result = parseJson(await desk.run(['recovery-code', 'create', '--json'])) as {
      code: string
    }
    expect(result.code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/)
    recoveryCode = result.code
    const human = await desk.run(['recovery-code', 'create'])
    expectStatus(human, 0)
    const replaced = / {2}(\S{39})\n/.exec(human.stdout)?.[1] ?? ''
    expect(replaced).not.toBe(recoveryCode)
    // The newer code replaced the first one, which no longer recovers anything.
    const old = await laptop.run(['recover', '--username', 'alice', '--password-stdin'], {
      stdin: `${recoveryCode}\n${thirdPassword}\n`,
    })
    expect(old.status).toBe(1)
    expect(old.stderr).toContain('(invalid_credentials)')
    recoveryCode = replaced
  })

  test('recover sets a new password with the code, keeps the vault, and spends the code', async () => {
    const result = await laptop.run(['recover', '--username', 'alice', '--password-stdin'], {
      stdin: `${recoveryCode.toLowerCase()}\n${thirdPassword}\n`,
    })
    expectStatus(result, 0)
    expect(result.stdout).toContain('recovery code is used up')
    const note = parseJson(await laptop.run(['vault', 'get', 'router', '--json'])) as {
      notes: string
    }
    expect(note.notes).toBe('admin/admin on the router\n')
    expect((await desk.run(['whoami'])).stderr).toContain('(not_signed_in)')
    const again = await desk.run(['recover', '--username', 'alice', '--password-stdin'], {
      stdin: `${recoveryCode}\n${firstPassword}\n`,
    })
    expect(again.status).toBe(1)
    const old = await desk.run(['login', '--username', 'alice', '--password-stdin'], {
      stdin: `${secondPassword}\n`,
    })
    expect(old.stderr).toContain('(invalid_credentials)')
    expectStatus(
      await desk.run(['login', '--username', 'alice', '--password-stdin'], {
        stdin: `${thirdPassword}\n`,
      }),
      0,
    )
  }, 90_000)

  test('2fa: TOTP set-up, sign-in with a code or a backup code, and off', async () => {
    const setup = parseJson(await desk.run(['2fa', 'totp', '--json'])) as {
      secret: string
      uri: string
    }
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(setup.uri).toMatch(/^otpauth:\/\/totp\/Sealpost:alice\?/)
    const confirmed = parseJson(
      await desk.run(['2fa', 'confirm', totp(setup.secret, Date.now()), '--json']),
    ) as { backupCodes: string[] }
    expect(confirmed.backupCodes).toHaveLength(10)

    const login = ['login', '--username', 'alice', '--password-stdin']
    const missing = await laptop.run(login, { stdin: `${thirdPassword}\n` })
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain('add --totp CODE')
    const wrong = await laptop.run([...login, '--totp', '000000'], {
      stdin: `${thirdPassword}\n`,
    })
    expect(wrong.stderr).toContain('(invalid_second_factor)')
    // The next step's code: the one confirming is spent, and ±1 step is allowed.
    const next = totp(setup.secret, Date.now() + 30_000)
    expectStatus(await laptop.run([...login, '--totp', next], { stdin: `${thirdPassword}\n` }), 0)
    const reused = await laptop.run([...login, '--totp', next], { stdin: `${thirdPassword}\n` })
    expect(reused.stderr).toContain('(invalid_second_factor)')
    const backup = confirmed.backupCodes[0] ?? ''
    expectStatus(
      await laptop.run([...login, '--backup-code', backup], { stdin: `${thirdPassword}\n` }),
      0,
    )
    const again = await laptop.run([...login, '--backup-code', backup], {
      stdin: `${thirdPassword}\n`,
    })
    expect(again.stderr).toContain('(invalid_second_factor)')

    expectStatus(
      await desk.run(['2fa', 'off', '--password-stdin'], { stdin: `${thirdPassword}\n` }),
      0,
    )
    expectStatus(await laptop.run(login, { stdin: `${thirdPassword}\n` }), 0)
  }, 90_000)

  test('admin recovery enable, then an enrolled member is reset with a one-time link', async () => {
    const member = await createCliUser()
    try {
      expectStatus(await desk.run(['admin', 'recovery', 'enable']), 0)
      const invite = async (username: string) => {
        const result = await desk.run([
          'admin',
          'users',
          'invite',
          '--username',
          username,
          '--email',
          `${username}@example.com`,
        ])
        expectStatus(result, 0)
        return result.stdout.trim()
      }
      const bobPassword = `canary-bob-${randomUUID()}`
      expectStatus(
        await member.run(['accept-invite', await invite('bob'), '--password-stdin'], {
          stdin: `${bobPassword}\n`,
        }),
        0,
      )
      // Enrolled at the next sign-in.
      expectStatus(
        await member.run(['login', '--username', 'bob', '--password-stdin'], {
          stdin: `${bobPassword}\n`,
        }),
        0,
      )
      const link = await desk.run(['admin', 'users', 'reset-password', 'bob'])
      expectStatus(link, 0)
      const url = link.stdout.trim()
      expect(url).toMatch(/\/reset#[A-Za-z0-9_-]{43}$/)
      const newPassword = `canary-bob-new-${randomUUID()}`
      const reset = await member.run(['reset-password', url, '--password-stdin'], {
        stdin: `${newPassword}\n`,
      })
      expectStatus(reset, 0)
      expect(reset.stdout).toBe('Password reset; signed in as bob.\n')
      const again = await member.run(['reset-password', url, '--password-stdin'], {
        stdin: `${newPassword}\n`,
      })
      expect(again.stderr).toContain('(not_available)')
      // Carol never signed in after recovery was turned on: she cannot be reset.
      const other = await createCliUser()
      try {
        expectStatus(
          await other.run(['accept-invite', await invite('carol'), '--password-stdin'], {
            stdin: 'carol password for tests\n',
          }),
          0,
        )
      } finally {
        await other.remove()
      }
      const refused = await desk.run(['admin', 'users', 'reset-password', 'carol'])
      expect(refused.status).toBe(1)
      expect(refused.stderr).toContain('not enrolled in account recovery')
      expect(refused.stderr).toContain('(not_enrolled)')
    } finally {
      await member.remove()
    }
  }, 120_000)

  test('no password or recovery code reaches the server’s database or log, nor any argv', async () => {
    if (!server) throw new Error('no server')
    await expectKeptFromRest({
      server,
      secrets: [
        ['first password', firstPassword],
        ['second password', secondPassword],
      ],
      inClear: 'alice@example.com',
      inLog: '/api/account/password/finish',
    })
    for (const argv of [...desk.argvLog, ...laptop.argvLog]) {
      expect(argv.join(' ')).not.toContain('canary-')
      expect(argv.join(' ')).not.toContain(recoveryCode)
    }
  })
})
