import type { FastifyRequest } from 'fastify'
import type { Config } from '../config.js'

/**
 * The origin of the links a user is shown (invite links; the web builds shareable links the
 * same way): SEALPOST_PUBLIC_URL when it is set, otherwise the address this request came to,
 * the one in the browser's address bar. Emails never use this: the server sends them on its
 * own account, so they link to the configured public URL only.
 */
export function appOrigin(
  config: Pick<Config, 'publicUrl' | 'publicUrlIsSet'>,
  request: Pick<FastifyRequest, 'protocol' | 'host'>,
): string {
  if (config.publicUrlIsSet) return config.publicUrl
  try {
    const { origin } = new URL(`${request.protocol}://${request.host}`)
    return origin === 'null' ? config.publicUrl : origin
  } catch {
    return config.publicUrl
  }
}
