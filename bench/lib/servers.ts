// The two servers every HTTP benchmark runs against: a bare Fastify route as
// the baseline, and the BUILT Sealpost server on SQLite in a data dir.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { root } from './paths.js'
import { type Child, findFreePort, startChild } from './process.js'

export const serverMain = join(root, 'apps/server/dist/main.js')

/** Exits with a hint when `npm run build` has not been run. */
export function requireBuiltServer() {
  if (!existsSync(serverMain)) {
    console.error(`bench: ${serverMain} is missing; run \`npm run build\` first.`)
    process.exit(1)
  }
}

export type Running = Child & { origin: string }

/**
 * The baseline runs in its own process like the real server does, so both
 * compete with the load generator (this process) on equal terms.
 */
export async function startBareFastify(): Promise<Running> {
  const port = await findFreePort()
  const origin = `http://127.0.0.1:${port}`
  const entry = fileURLToPath(new URL('./bare-fastify-server.ts', import.meta.url))
  // execArgv carries --import tsx and the source condition to the child.
  const child = await startChild([...process.execArgv, entry, String(port)], {}, `${origin}/`)
  return { ...child, origin }
}

/** Starts apps/server/dist/main.js on `dataDir` (SQLite) and waits for /api/health. */
export async function startSealpost(dataDir: string, logLevel: string): Promise<Running> {
  const port = await findFreePort()
  const origin = `http://127.0.0.1:${port}`
  const child = await startChild(
    [serverMain],
    {
      SEALPOST_PORT: String(port),
      SEALPOST_HOST: '127.0.0.1',
      SEALPOST_DATA_DIR: dataDir,
      SEALPOST_PUBLIC_URL: origin,
      SEALPOST_LOG_LEVEL: logLevel,
    },
    `${origin}/api/health`,
  )
  return { ...child, origin }
}
