import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrateToLatest, openDatabase } from '../db/database.js'
import { setupAdmin } from '../test-support/accounts.js'
import { dialects, rawRequest, startTestServer, type TestServer } from '../test-support/harness.js'

describe.each(dialects)('the edges of the HTTP surface on %s', (dialect) => {
  let server: TestServer
  let logLines: { level: number; msg: string }[]
  beforeEach(async () => {
    logLines = []
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          logLines.push(JSON.parse(line) as { level: number; msg: string })
        }
        done()
      },
    })
    server = await startTestServer(dialect, { logger: { level: 'debug', stream } })
  })
  afterEach(async () => {
    await server.close()
  })

  it('answers a malformed OPAQUE message with 400 and logs it below error level', async () => {
    const res = await rawRequest(server.app, {
      method: 'POST',
      url: '/api/auth/login/start',
      csrf: '1',
      body: { username: 'nobody', startLoginRequest: 'AAAA' },
    })
    expect(res.status).toBe(400)
    expect(res.json().error?.code).toBe('invalid_input')
    const setup = await rawRequest(server.app, {
      method: 'POST',
      url: '/api/setup/start',
      csrf: '1',
      body: { username: 'admin', registrationRequest: 'AAAA' },
    })
    expect(setup.status).toBe(400)
    // pino levels: 30 info, 40 warn, 50 error.
    expect(logLines.filter((line) => line.level >= 50)).toEqual([])
    expect(logLines.some((line) => line.level === 20 && line.msg.startsWith('malformed'))).toBe(
      true,
    )
  })

  it('checks CSRF and the session however the /api path is spelled', async () => {
    const { api } = await setupAdmin(server)
    const cookie = api.session.cookie ?? ''
    for (const url of ['/api/auth/logout', '/%61pi/auth/logout', '/%61%70%69/auth/logout']) {
      const res = await rawRequest(server.app, { method: 'POST', url, cookie })
      expect(res.status, url).toBe(403)
      expect(res.json().error?.code).toBe('csrf_required')
    }
    const session = await rawRequest(server.app, {
      method: 'GET',
      url: '/%61pi/auth/session',
      cookie,
    })
    expect(session.status).toBe(200)
  })

  it('answers HEAD / like GET /', async () => {
    const get = await server.app.inject({ method: 'GET', url: '/' })
    const head = await server.app.inject({ method: 'HEAD', url: '/' })
    expect(get.statusCode).toBe(200)
    expect(head.statusCode).toBe(200)
    expect(head.headers['content-type']).toBe(get.headers['content-type'])
    expect(head.body).toBe('')
  })
})

describe('the data directory', () => {
  let root: string
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sealpost-modes-'))
  })
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true })
  })

  const modeOf = (file: string) => fs.statSync(file).mode & 0o777

  it('is created private: directory 0700, database, WAL and SHM files 0600', async () => {
    const dataDir = path.join(root, 'new', 'data')
    const { db } = openDatabase({ dataDir })
    await migrateToLatest(db)
    try {
      expect(modeOf(dataDir)).toBe(0o700)
      for (const name of ['sealpost.db', 'sealpost.db-wal', 'sealpost.db-shm']) {
        expect(modeOf(path.join(dataDir, name)), name).toBe(0o600)
      }
    } finally {
      await db.destroy()
    }
  })

  it('is made private at start when an earlier version left it readable, with a warning', async () => {
    const dataDir = path.join(root, 'data')
    fs.mkdirSync(dataDir, { mode: 0o755 })
    fs.chmodSync(dataDir, 0o755)
    for (const name of ['sealpost.db', 'sealpost.db-wal', 'sealpost.db-shm']) {
      fs.writeFileSync(path.join(dataDir, name), '')
      fs.chmodSync(path.join(dataDir, name), 0o644)
    }
    const warnings: string[] = []
    const { db } = openDatabase({ dataDir, warn: (message) => warnings.push(message) })
    await db.destroy()
    expect(modeOf(dataDir)).toBe(0o700)
    for (const name of ['sealpost.db', 'sealpost.db-wal', 'sealpost.db-shm']) {
      expect(modeOf(path.join(dataDir, name)), name).toBe(0o600)
    }
    expect(warnings).toHaveLength(4)
    expect(warnings[0]).toContain('mode 755')
  })
})
