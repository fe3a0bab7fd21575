// Apart from lockout.test.ts, which runs in-process: mutation testing (stryker/) leaves out the
// files that start the built server, so the in-process limits there are still mutation-tested.
import { readFileSync } from 'node:fs'
import { opaqueClient, opaqueReady } from '@sealpost/core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createDatabase } from '../../../../../scripts/postgres.mjs'
import { hasPostgres } from '../../test-support/harness.js'
import { type ServerProcess, startServerProcess } from '../../test-support/server-process.js'

// Only PostgreSQL serves several processes at once.
describe.runIf(hasPostgres)('sign-in limits across two server processes on one PostgreSQL', () => {
  let a: ServerProcess
  let b: ServerProcess
  beforeAll(async () => {
    const databaseUrl = await createDatabase(inject('pgUrl'), `limits_${process.pid}_${Date.now()}`)
    a = await startServerProcess({ databaseUrl })
    const setup = readFileSync(`${a.dataDir}/opaque-server-setup`, 'utf8')
    b = await startServerProcess({ databaseUrl, opaqueServerSetup: setup })
    await opaqueReady
  })
  afterAll(async () => {
    await a?.stop()
    await b?.stop()
  })

  it('allows the same number of attempts whatever process answers', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 20; i++) {
      const url = (i % 2 === 0 ? a : b).url
      const response = await fetch(`${url}/api/auth/login/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sealpost-csrf': '1' },
        body: JSON.stringify({
          username: 'alice',
          startLoginRequest: opaqueClient.startLogin(`guess ${i}`).startLoginRequest,
        }),
      })
      statuses.push(response.status)
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(10)
    expect(statuses.slice(10)).toEqual(Array<number>(10).fill(429))
  })
})
