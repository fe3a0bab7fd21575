import { expect } from 'vitest'
import { databaseBytes } from './database.js'
import type { RunningServer } from './server.js'
import { formsFound } from '@sealpost/test-support'

/**
 * Asserts that no form of any secret is in the server's database or its log (at `trace`). The
 * search proves itself first: the log holds `inLog` and the database holds `inClear`.
 */
export async function expectKeptFromRest(options: {
  server: RunningServer
  secrets: Array<[string, string | Uint8Array]>
  /** Something stored in the clear, e.g. an email address. */
  inClear: string
  /** Something the server logs, e.g. a request path. */
  inLog: string
}): Promise<void> {
  const database = await databaseBytes(options.server)
  const log = Buffer.from(options.server.log())
  expect(log.includes(options.inLog), 'the log holds what the server logs').toBe(true)
  expect(
    formsFound(database, options.inClear),
    'the search finds what is stored in clear',
  ).toContain('raw')
  for (const [name, secret] of options.secrets) {
    expect(formsFound(database, secret), `${name} in the database`).toEqual([])
    expect(formsFound(log, secret), `${name} in the log`).toEqual([])
  }
}
