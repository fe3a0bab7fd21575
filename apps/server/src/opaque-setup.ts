import fs from 'node:fs'
import path from 'node:path'
import { opaqueReady, opaqueServer } from '@sealpost/core'

/**
 * The OPAQUE server setup is the secret that keeps stored records from being tested offline,
 * so it lives outside the database: from the environment, or a 0600 file in the data dir.
 */
export async function loadOpaqueServerSetup(options: {
  fromEnv: string | undefined
  dataDir: string
}): Promise<string> {
  await opaqueReady
  if (options.fromEnv) return options.fromEnv.trim()
  const file = path.join(options.dataDir, 'opaque-server-setup')
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 })
  try {
    return fs.readFileSync(file, 'utf8').trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const setup = opaqueServer.createSetup()
  // 'wx' fails if another process created it meanwhile; then read theirs.
  try {
    fs.writeFileSync(file, setup, { mode: 0o600, flag: 'wx' })
    return setup
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return fs.readFileSync(file, 'utf8').trim()
  }
}
