// The two servers every HTTP benchmark runs against: a bare Fastify route as
// the baseline, and the BUILT Sealpost server on SQLite in a data dir.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { root } from './paths.js'
import { type Child, findFreePort, startChild } from './process.js'

export const serverMain = join(root, 'apps/server/dist/main.js')

/**
 * Exits with a hint when `npm run build` has not been run, and warns when a
 * source of the server or of core (which the built server imports from
 * packages/core/dist) is newer than its build.
 */
export function requireBuiltServer() {
  if (!existsSync(serverMain)) {
    console.error(`bench: ${serverMain} is missing; run \`npm run build\` first.`)
    process.exit(1)
  }
  const stale = [
    { src: join(root, 'apps/server/src'), built: serverMain },
    { src: join(root, 'packages/core/src'), built: join(root, 'packages/core/dist/index.js') },
  ].flatMap(({ src, built }) => {
    const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0
    return newerSources(src, builtAt)
  })
  if (stale.length > 0) {
    console.warn(
      `bench: WARNING: ${stale.length} source file(s) are newer than the build, e.g. ` +
        `${relative(root, stale[0] ?? '')}; run \`npm run build\` to measure them.\n`,
    )
  }
}

/** Non-test .ts files under `dir` modified after `since` (ms). */
function newerSources(dir: string, since: number): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !/\.test\.ts$/.test(file))
    .map((file) => join(dir, file))
    .filter((file) => statSync(file).mtimeMs > since)
}

export type Running = Child & { origin: string }

/**
 * The baseline runs in its own process like the real server does, so both
 * compete with the load generator (this process) on equal terms.
 */
export function startBareFastify(): Promise<Running> {
  return startBaseline('./bare-fastify-server.ts', [], '/')
}

/**
 * The inbox baseline: the same query on the same database file with
 * better-sqlite3 behind one bare Fastify route, `GET /inbox[?before=…]`.
 */
export function startBareInbox(dbFile: string, userId: string): Promise<Running> {
  return startBaseline('./bare-inbox-server.ts', [dbFile, userId], '/')
}

/** The send baseline: `PUT /api/messages/:id` validated and inserted, on `dbFile`. */
export function startBareSend(dbFile: string): Promise<Running> {
  return startBaseline('./bare-send-server.ts', [dbFile], '/')
}

async function startBaseline(entry: string, args: string[], readyPath: string): Promise<Running> {
  const port = await findFreePort()
  const origin = `http://127.0.0.1:${port}`
  const file = fileURLToPath(new URL(entry, import.meta.url))
  // execArgv carries --import tsx and the source condition to the child.
  const child = await startChild(
    [...process.execArgv, file, String(port), ...args],
    {},
    `${origin}${readyPath}`,
  )
  return { ...child, origin }
}

/** Starts apps/server/dist/main.js on `dataDir` (SQLite) and waits for /api/health. */
export async function startSealpost(dataDir: string, logLevel: string): Promise<Running> {
  const port = await findFreePort()
  const origin = `http://127.0.0.1:${port}`
  // Where the time goes: BENCH_SERVER_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles
  // every Sealpost server the bench starts (a profile is written when it stops).
  const flags = process.env.BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? []
  const child = await startChild(
    [...flags, serverMain],
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
