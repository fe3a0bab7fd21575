import { type ServerProcess, startServerProcess } from '@sealpost/test-support'

export type RunningServer = ServerProcess & { databaseUrl: string | undefined }

export type ServerOptions = {
  /** PostgreSQL; unset means SQLite in the data dir. */
  databaseUrl?: string | undefined
  /** More environment for the server, e.g. SEALPOST_SMTP_URL; wins over the defaults. */
  env?: NodeJS.ProcessEnv
}

/**
 * The built server on a free loopback port with its own data dir, logging everything it can
 * (`trace`), so tests that search the log for secrets search it all.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const server = await startServerProcess({
    builds: ['packages/core', 'apps/server'],
    databaseUrl: options.databaseUrl,
    logLevel: 'trace',
    ...(options.env === undefined ? {} : { env: options.env }),
  })
  return { ...server, databaseUrl: options.databaseUrl }
}
