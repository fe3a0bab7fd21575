// A private, throwaway PostgreSQL server for tests (DESIGN.md §6): its own
// temp dir, a free port on 127.0.0.1, trust auth, durability switched off
// for speed, and removed again when the process ends — even when tests fail.
import { execFile, execFileSync, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'

const run = promisify(execFile)

const USER = 'sealpost'
const TEST_DATABASE = 'sealpost_test'

/**
 * Starts PostgreSQL and creates the `sealpost_test` database.
 * @param {{ log?: (message: string) => void }} [options]
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startPostgres({ log } = {}) {
  const started = Date.now()
  const bin = findBinDir()
  // initdb and pg_ctl refuse to run as root, so as root they run as the
  // `postgres` user that the Debian package creates, in a dir that user owns.
  const asRoot = process.getuid?.() === 0
  const dir = mkdtempSync(join(tmpdir(), 'sealpost-pg-'))
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    chownSync(dir, uid, gid)
  }
  const dataDir = join(dir, 'data')
  const logFile = join(dir, 'postgres.log')

  /** Runs a PostgreSQL binary as the right user; cwd is the temp dir so the
   * postgres user never needs access to ours. */
  const pgRun = (tool, args) => {
    const [file, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]]
      : [join(bin, tool), args]
    return run(file, argv, { cwd: dir, encoding: 'utf8' })
  }
  const pgRunSync = (tool, args) =>
    asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { cwd: dir })
      : spawnSync(join(bin, tool), args, { cwd: dir })

  let running = false
  const cleanUpSync = () => {
    if (running) pgRunSync('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w'])
    running = false
    rmSync(dir, { recursive: true, force: true })
  }
  const onExit = () => cleanUpSync()
  // A signal handler replaces the default "terminate", so after cleaning up
  // we re-raise the signal unless someone else is also listening for it.
  const onSignal = (signal) => {
    cleanUpSync()
    removeHandlers()
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
  }
  const removeHandlers = () => {
    process.off('exit', onExit)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  process.on('exit', onExit)
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  try {
    await pgRun('initdb', [
      '-D',
      dataDir,
      '-U',
      USER,
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
      '--no-instructions',
    ]).catch((error) => {
      throw new Error(`initdb failed: ${error.stderr || error.message}`)
    })

    // Picking a free port and binding it are two steps; another process can
    // win the race, so try a few ports before giving up.
    let port
    for (let attempt = 1; ; attempt++) {
      port = await findFreePort()
      const options = [
        '-c fsync=off',
        '-c full_page_writes=off',
        '-c synchronous_commit=off',
        // Two vitest workers with a pool each, plus CLI tests' servers.
        '-c max_connections=200',
        `-k ${dir}`,
        '-h 127.0.0.1',
        `-p ${port}`,
      ].join(' ')
      try {
        // -w makes pg_ctl wait until the server accepts connections.
        await pgRun('pg_ctl', [
          'start',
          '-w',
          '-t',
          '60',
          '-D',
          dataDir,
          '-l',
          logFile,
          '-o',
          options,
        ])
        running = true
        break
      } catch (error) {
        if (attempt === 3) {
          const detail = pgLogTail(logFile)
          throw new Error(`pg_ctl start failed: ${error.stderr || error.message}\n${detail}`)
        }
      }
    }

    const serverUrl = `postgres://${USER}@127.0.0.1:${port}`
    await createDatabase(`${serverUrl}/postgres`, TEST_DATABASE)
    log?.(`PostgreSQL ready on 127.0.0.1:${port} in ${Date.now() - started} ms (${dir})`)

    return {
      url: `${serverUrl}/${TEST_DATABASE}`,
      stop: async () => {
        removeHandlers()
        if (running) {
          running = false
          await pgRun('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w'])
        }
        rmSync(dir, { recursive: true, force: true })
        log?.('PostgreSQL stopped')
      },
    }
  } catch (error) {
    cleanUpSync()
    removeHandlers()
    throw error
  }
}

/**
 * Creates database `name` on the server behind `url` and returns its URL: empty, or a copy of
 * `template` (a database nobody is connected to). Tests make one per test or per file.
 * @param {string} url any database on the server
 * @param {string} name lower-case letters, digits and underscores
 * @param {{ template?: string }} [options]
 * @returns {Promise<string>}
 */
export async function createDatabase(url, name, options = {}) {
  // Identifiers cannot be bound as parameters; allow only a safe shape.
  for (const identifier of [name, options.template ?? name]) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(identifier)) {
      throw new Error(`invalid database name: ${JSON.stringify(identifier)}`)
    }
  }
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(
      options.template
        ? `CREATE DATABASE "${name}" TEMPLATE "${options.template}"`
        : `CREATE DATABASE "${name}"`,
    )
  } finally {
    await client.end()
  }
  const target = new URL(url)
  target.pathname = `/${name}`
  return target.toString()
}

function findBinDir() {
  // /usr/lib/postgresql/<major>/bin; highest major first, should a machine have several.
  const root = '/usr/lib/postgresql'
  const majors = existsSync(root) ? readdirSync(root) : []
  const dirs = majors
    .filter((major) => existsSync(join(root, major, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => join(root, major, 'bin'))
  if (dirs.length === 0) {
    throw new Error(
      'PostgreSQL not found under /usr/lib/postgresql/*/bin; run `bash scripts/ensure-system-deps.sh`',
    )
  }
  return dirs[0]
}

function findFreePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function pgLogTail(logFile) {
  try {
    const lines = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-20)
    return `postgres.log:\n${lines.join('\n')}`
  } catch {
    return ''
  }
}

/**
 * The databases the tests run on: both by default (STYLE.md rule 13);
 * `SEALPOST_TEST_DIALECTS=sqlite` for a fast local loop. CI keeps both.
 * @returns {Array<'sqlite' | 'postgres'>}
 */
export function testDialects(env = process.env) {
  const all = ['sqlite', 'postgres']
  const given = (env.SEALPOST_TEST_DIALECTS ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean)
  if (given.length === 0) return all
  const unknown = given.filter((d) => !all.includes(d))
  if (unknown.length > 0) {
    throw new Error(`SEALPOST_TEST_DIALECTS: unknown ${unknown.join(', ')} (use sqlite, postgres)`)
  }
  if (env.CI && given.length < all.length) {
    throw new Error('SEALPOST_TEST_DIALECTS narrows the databases; CI runs them all')
  }
  return all.filter((d) => given.includes(d))
}
