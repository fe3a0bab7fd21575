import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'

export default defineConfig({
  plugins: [react()],
  // Bundle @sealpost/core from its TypeScript source (see its package.json "exports").
  resolve: { conditions: ['sealpost-source', ...defaultClientConditions] },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // OPAQUE ships its WebAssembly inlined (~430 kB); own chunks keep it and the UI
    // libraries cacheable across releases of the app code.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'opaque', test: /node_modules[\\/]@serenity-kit/ },
            {
              name: 'react-aria',
              test: /node_modules[\\/](react-aria|react-stately|@react-aria|@react-stately|@react-types|@internationalized)/,
            },
            { name: 'vendor', test: /node_modules/ },
          ],
        },
      },
    },
  },
})
