import { fileURLToPath } from 'node:url'
import optimizeLocales from '@react-aria/optimize-locales-plugin'
import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/*
 * The first downloads, one file each with everything its roots import (issue 15): gzip does
 * better on one file than on the ~40 shared pieces the route splitting cut the vault page into
 * (each compressed alone; ~25 KiB more). 'start' is what the entry imports plus `bothFirstPages`,
 * the few modules the sign-in page and the signed-in app's first page share, so that neither
 * downloads the other's file: the sign-in page is start + 'sign-in' (react-hook-form…), which a
 * returning user with a session never fetches, and the vault page is start + 'app' (the shell
 * and the vault page). A module they come to share later lands in whichever file rolldown
 * picks, and bench/page-weight.ts shows the weight it adds. Every other module splits by route.
 */
const firstPages = {
  start: here('./src/main.tsx'),
  signIn: here('./src/features/account/sign-in/sign-in-page.tsx'),
  app: [here('./src/shell/shell.tsx'), here('./src/features/vault/vault-page.tsx')],
}
const bothFirstPages = [
  here('./src/ui/text-field.tsx'),
  here('../../node_modules/react-aria-components/dist/private/Link.mjs'),
]

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
    // the app; the first pages are a few files (`firstPages` above); the rest splits by route
    // (app.tsx), so a page downloads what it shows.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            {
              name: 'start',
              test: (id) => id === firstPages.start || bothFirstPages.includes(id),
            },
            { name: 'sign-in', test: (id) => id === firstPages.signIn },
            { name: 'app', test: (id) => firstPages.app.includes(id) },
          ],
        },
      },
    },
  },
})
