import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/*
 * The copied vault items of a public link (src/features/messages/links/link-items-island.tsx) as a module
 * of their own on React, built between the app and the public pages into the same dist/. The
 * public page (Preact) imports it by the URL this build's manifest names, only when a link
 * carries vault items; `react-i18next` is the public pages' stand-in here too.
 */
export default defineConfig({
  plugins: [react()],
  resolve: {
    conditions: ['sealpost-source', ...defaultClientConditions],
    alias: [{ find: /^react-i18next$/, replacement: here('./src/i18n/public-i18n.ts') }],
  },
  define: { __LINK_ITEMS__: 'null', __PUBLIC_BUILD__: 'false' },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    // Read by vite.public.config.ts; a dot folder, so the server does not serve it.
    manifest: '.vite/link-items.json',
    rolldownOptions: {
      input: { 'link-items': here('./src/features/messages/links/link-items-island.tsx') },
      preserveEntrySignatures: 'exports-only',
      // One chunk for what the page imports statically, as in vite.config.ts: the API client's
      // contracts, loaded on demand, would otherwise cut it into a file per contract (issue 15).
      output: { codeSplitting: { groups: [{ name: 'start', tags: ['$initial'] }] } },
    },
  },
})
