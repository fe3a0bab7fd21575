// The server's vitest config for Stryker, rooted at the package (see vitest.core.config.ts).
import { fileURLToPath } from 'node:url'
import { mergeConfig } from 'vitest/config'
import server from '../apps/server/vitest.config.ts'

export default mergeConfig(server, {
  root: fileURLToPath(new URL('../apps/server/', import.meta.url)),
  test: {
    // These run the built server (dist/), which never contains a mutant.
    exclude: [
      '**/node_modules/**',
      'src/features/messages/crash.test.ts',
      'src/features/events/events-processes.test.ts',
    ],
  },
})
