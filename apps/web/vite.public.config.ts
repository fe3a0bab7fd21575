import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/*
 * The public pages (/s/:id, /r/:id) as a bundle of their own, built after the app and the
 * copied-items island into the same dist/ (issue 15: a visitor on a phone downloads tens of kB, not the app). The same sources run
 * on Preact through its React compatibility layer, and `react-i18next` is a stand-in over the
 * public pages' words alone (src/i18n/public-i18n.ts).
 */
/** The copied-items island vite.island.config.ts built just before: its module and CSS. */
function linkItemsIsland(): { js: string; css: string[] } {
  const manifest = JSON.parse(readFileSync(here('./dist/.vite/link-items.json'), 'utf8')) as Record<
    string,
    { file: string; css?: string[]; isEntry?: boolean }
  >
  const entry = Object.values(manifest).find((chunk) => chunk.isEntry)
  if (!entry) throw new Error('dist/.vite/link-items.json names no entry: build the island first')
  return { js: `/${entry.file}`, css: (entry.css ?? []).map((file) => `/${file}`) }
}

export default defineConfig({
  plugins: [react()],
  define: { __LINK_ITEMS__: JSON.stringify(linkItemsIsland()), __PUBLIC_BUILD__: 'true' },
  resolve: {
    conditions: ['sealpost-source', ...defaultClientConditions],
    alias: [
      { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
      { find: /^react-dom$/, replacement: 'preact/compat' },
      { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
      { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
      { find: /^react$/, replacement: 'preact/compat' },
      { find: /^react-i18next$/, replacement: here('./src/i18n/public-i18n.ts') },
    ],
  },
  build: {
    outDir: 'dist',
    // vite.config.ts built the app into dist/ just before; keep it.
    emptyOutDir: false,
    target: 'es2022',
    rolldownOptions: {
      input: { public: here('./public.html') },
      // One chunk for what the page imports statically, as in vite.config.ts: the API client's
      // contracts, loaded on demand, would otherwise cut it into a file per contract (issue 15).
      output: { codeSplitting: { groups: [{ name: 'start', tags: ['$initial'] }] } },
    },
  },
})
