import optimizeLocales from '@react-aria/optimize-locales-plugin'
import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'

export default defineConfig({
  plugins: [
    // React Aria ships its own strings (screen reader announcements, "Dismiss"…) in 34 locales,
    // ~40 KiB gzip of which the vault page alone pulled in (issue 15). The interface is English
    // only (i18n/), so only English is kept; any other locale falls back to it, as i18next does.
    optimizeLocales.vite({ locales: ['en-US'] }),
    react(),
  ],
  // Bundle @sealpost/core from its TypeScript source (see its package.json "exports").
  resolve: { conditions: ['sealpost-source', ...defaultClientConditions] },
  // The app loads a link's copied items itself; the public build points at an island instead.
  define: { __LINK_ITEMS__: 'null', __PUBLIC_BUILD__: 'false' },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Lists the app's chunks for bench/page-weight.ts (a dot folder: the server does not serve it).
    manifest: true,
    // OPAQUE ships its WebAssembly inlined (~430 kB) in a chunk of its own, loaded when a
    // sign-in runs (core's opaqueReady). React has its own chunk, cacheable across releases of
    // the app; everything else the first page imports is one chunk ('$initial': the modules the
    // entry imports statically), which gzips better than the ~30 shared pieces it was cut into;
    // the rest splits by route (app.tsx), so a page downloads what it shows.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'start', tags: ['$initial'] },
          ],
        },
      },
    },
  },
})
