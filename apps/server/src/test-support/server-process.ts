import { type ServerProcess, startServerProcess as start } from '@sealpost/test-support'

export { freePort, type ServerProcess } from '@sealpost/test-support'

/** The built server as a real process, on fresh builds of core and server. */
export async function startServerProcess(options: {
  databaseUrl?: string
  dataDir?: string
  opaqueServerSetup?: string
}): Promise<ServerProcess> {
  return start({
    builds: ['packages/core', 'apps/server'],
    databaseUrl: options.databaseUrl,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    env: options.opaqueServerSetup
      ? { SEALPOST_OPAQUE_SERVER_SETUP: options.opaqueServerSetup }
      : {},
  })
}
