import fs from 'node:fs'
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

/** Shareable links (`/s/:id`) and requests for a secret (`/r/:id`): the public pages. */
const PUBLIC_PAGES = /^\/[sr]\//

/**
 * Files under assets/ have their content's hash in their name: cached for a year, never
 * revalidated. The HTML entries name those files, so they are revalidated on every load
 * (ETag → 304); so is everything else, whose name stays when its content changes.
 */
function cacheControlFor(root: string, file: string): string {
  const relative = path.relative(root, file).split(path.sep).join('/')
  return relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'
}

/**
 * Serves the built web app (apps/web/dist) when there is one: its files, the app's index.html
 * for every other page address, and public.html (the public pages' small bundle, issue 15) for
 * /s/* and /r/*. Unknown /api/ addresses and other methods get the API's 404.
 */
export async function registerWebApp(app: FastifyInstance, webRoot: string): Promise<void> {
  const hasWeb = fs.existsSync(path.join(webRoot, 'index.html'))
  // A build without the public entry serves those pages the app, as before.
  const publicEntry = fs.existsSync(path.join(webRoot, 'public.html'))
    ? 'public.html'
    : 'index.html'
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      index: false,
      // The build writes .br and .gz beside each file (apps/web/scripts/precompress.mjs): the
      // one Accept-Encoding asks for is sent, with Vary: Accept-Encoding, else the file itself.
      preCompressed: true,
      globIgnore: ['**/*.br', '**/*.gz'],
      cacheControl: false,
      setHeaders: (reply, file) => {
        reply.header('cache-control', cacheControlFor(webRoot, file))
      },
    })
  }
  app.setNotFoundHandler((request, reply) => {
    const isPageRequest = request.method === 'GET' || request.method === 'HEAD'
    if (request.url.startsWith('/api/') || !isPageRequest || !hasWeb) {
      return reply.status(404).send({ error: { code: 'not_found', message: 'not found' } })
    }
    // Client-side routes: every other GET (and HEAD, for uptime checks) gets the single-page
    // app, except shareable links and requests, which get their own small page.
    return reply.sendFile(PUBLIC_PAGES.test(request.url) ? publicEntry : 'index.html')
  })
}
