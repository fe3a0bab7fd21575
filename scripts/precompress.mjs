// Writes a brotli (.br) and a gzip (.gz) copy beside every text file of a build folder, so the
// server sends them as they are (@fastify/static `preCompressed`, apps/server/src/http/web-app.ts)
// instead of compressing per request. apps/web's build runs it after both Vite builds:
//   node ../../scripts/precompress.mjs dist
import { readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

if (!process.argv[2]) throw new Error('usage: node scripts/precompress.mjs <build folder>')
const DIST = resolve(process.argv[2])
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map|wasm)$/

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* files(path)
    else yield path
  }
}

let written = 0
let before = 0
let after = 0
for await (const path of files(DIST)) {
  if (path.endsWith('.br') || path.endsWith('.gz')) {
    // A copy whose original is gone (an older build's) would be served for nothing.
    const original = path.slice(0, -3)
    if (!(await stat(original).catch(() => null))) await unlink(path)
    continue
  }
  if (!COMPRESSIBLE.test(path)) continue
  const bytes = await readFile(path)
  const copies = {
    br: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
    gz: gzipSync(bytes, { level: 9 }),
  }
  for (const [extension, copy] of Object.entries(copies)) {
    // Not worth a second file when compression saves nothing (tiny files).
    if (copy.length >= bytes.length) {
      await unlink(`${path}.${extension}`).catch(() => undefined)
      continue
    }
    await writeFile(`${path}.${extension}`, copy)
    written++
  }
  before += bytes.length
  after += copies.br.length
}
console.log(
  `precompress: ${written} files; ${Math.round(before / 1024)} KiB → ${Math.round(after / 1024)} KiB with brotli`,
)
