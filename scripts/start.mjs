// `npm start`: install if needed, build if needed, then run the server
// (DESIGN.md §6). Plain Node with no dependencies: it runs before
// `npm install` may have happened. SQLite needs no system packages, so unlike
// `npm test` this never calls ensure-system-deps.sh.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { staleBuilds } from './build-freshness.mjs'

const root = dirname(dirname(fileURLToPath(import.meta.url)))

installIfNeeded()
buildIfNeeded()
serve()

function installIfNeeded() {
  const lockfile = join(root, 'package-lock.json')
  // npm writes node_modules/.package-lock.json after every install; a lockfile
  // newer than it means dependencies changed since (a pull, a merge).
  const installed = join(root, 'node_modules', '.package-lock.json')
  const upToDate =
    existsSync(join(root, 'node_modules')) &&
    (!existsSync(lockfile) || (existsSync(installed) && mtime(lockfile) <= mtime(installed)))
  if (upToDate) return
  const args = existsSync(lockfile) ? ['ci'] : ['install']
  console.log(`sealpost: installing dependencies (npm ${args[0]})…`)
  run('npm', args)
}

function buildIfNeeded() {
  const stale = staleBuilds()
  if (stale.length === 0) return
  const names = stale.map(({ output }) => output.split('/dist/')[0]).join(', ')
  console.log(`sealpost: building (out of date: ${names})…`)
  // One build for all: the apps compile against core's output.
  run('npm', ['run', 'build'])
}

function serve() {
  const env = {
    ...process.env,
    SEALPOST_HOST: process.env.SEALPOST_HOST ?? '127.0.0.1',
    SEALPOST_DATA_DIR: resolve(process.env.SEALPOST_DATA_DIR ?? join(root, 'data')),
  }
  const server = spawn(process.execPath, [join(root, 'apps/server/dist/main.js')], {
    cwd: root,
    env,
    stdio: 'inherit',
  })
  // Pass stop requests on so the server can close its database cleanly, but
  // only once: the server takes a second SIGINT as "quit now". Ctrl-C in a
  // terminal already reaches the server (same process group), and npm
  // relays it to us as well, so then there is nothing to forward.
  const forwarded = new Set()
  const forward = (signal) => {
    if (forwarded.has(signal)) return
    forwarded.add(signal)
    if (signal === 'SIGINT' && process.stdin.isTTY) return
    server.kill(signal)
  }
  process.on('SIGINT', forward)
  process.on('SIGTERM', forward)
  server.on('exit', (code, signal) => {
    process.off('SIGINT', forward)
    process.off('SIGTERM', forward)
    // Die the way the server died, so callers see the same outcome.
    if (signal) process.kill(process.pid, signal)
    else process.exit(code ?? 1)
  })
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    console.error(`sealpost: \`${command} ${args.join(' ')}\` failed`)
    process.exit(result.status ?? 1)
  }
}

function mtime(path) {
  return statSync(path).mtimeMs
}
