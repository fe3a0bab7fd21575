// Core's vitest config for Stryker: the runner starts vitest in the sandbox's root,
// so the root is set to the package, where the include patterns are relative to.
import { fileURLToPath } from 'node:url'
import { mergeConfig } from 'vitest/config'
import core from '../packages/core/vitest.config.ts'

export default mergeConfig(core, {
  root: fileURLToPath(new URL('../packages/core/', import.meta.url)),
})
