// Core's vitest config for Stryker: the runner starts vitest in the sandbox's root,
// so the root is set to the package, where the include patterns are relative to.
import { fileURLToPath } from 'node:url'
import { mergeConfig } from 'vitest/config'
import core from '../packages/core/vitest.config.ts'
import { testFilesOf } from './scopes.mjs'

const root = fileURLToPath(new URL('../packages/core/', import.meta.url))
const config = mergeConfig(core, { root })
// Only the running scope's test files (mergeConfig would add to core's include, not replace it).
config.test = { ...config.test, include: testFilesOf(root, config.test?.include ?? []) }

export default config
