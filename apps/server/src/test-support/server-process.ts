import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type ServerProcess, startServerProcess as start } from '@sealpost/test-support'

export { freePort, type ServerProcess } from '@sealpost/test-support'

/**
 * The built server as a real process, on fresh builds of core and server. Its data dir outlives
 * it, so a test can start the next process on the same data (a restart, a crash).
 */
export async function startServerProcess(options: {
  databaseUrl?: string
  dataDir?: string
  opaqueServerSetup?: string
}): Promise<ServerProcess> {
  return start({
    builds: ['packages/core', 'apps/server'],
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sealpost-proc-')),
    env: options.opaqueServerSetup
      ? { SEALPOST_OPAQUE_SERVER_SETUP: options.opaqueServerSetup }
      : {},
  })
}
