import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// Same resolution as the apps' configs: @sealpost/core by its TypeScript source
// (the "sealpost-source" export condition). Vite replaces its default conditions
// when given a list, so keep them.
const SOURCE = 'sealpost-source'

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions] } },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
})
