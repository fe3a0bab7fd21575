// Builds the CLI as one minified ES module (with core from its TypeScript sources). Every
// `sealpost` run starts a fresh Node; resolving and evaluating ~400 separate modules was
// about 40 % of a command's CPU time, so one file makes each command start faster.
import { chmod, rm } from 'node:fs/promises'
import { build } from 'esbuild'

await rm('dist', { recursive: true, force: true })
await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
  bundle: true,
  minify: true,
  sourcemap: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['sealpost-source'],
  // commander and other CommonJS dependencies call require() for Node's own modules.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  logLevel: 'warning',
})
await chmod('dist/main.js', 0o755)
