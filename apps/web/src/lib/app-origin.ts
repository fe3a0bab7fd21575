import type { SessionResponse } from '@sealpost/core'

type PublicUrl = Pick<SessionResponse, 'publicUrl'>

/**
 * The origin of the links this app makes (shareable links, requests, reset links): the server's
 * public URL when the administrator set one, otherwise this page's own. The server builds invite
 * links the same way, so every link a user copies starts alike.
 */
export function appOrigin({ publicUrl }: PublicUrl, here = window.location.origin): string {
  return publicUrl.isSet ? publicUrl.url : here
}

/** localhost and its subdomains, 127.0.0.0/8 and ::1: names only this computer can use. */
export function isLocalName(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(hostname) ||
    hostname === '[::1]'
  )
}

/**
 * When the public URL is unset or a local name but this page was reached by another name, the
 * links in Sealpost's emails (and, when set, in the app) point where others cannot follow:
 * answers the two addresses for an administrator's warning, or null when all is well.
 */
export function publicUrlMismatch(
  { publicUrl }: PublicUrl,
  here: URL = new URL(window.location.href),
): { publicUrl: string; here: string } | null {
  const configured = new URL(publicUrl.url)
  const suspicious = !publicUrl.isSet || isLocalName(configured.hostname)
  if (!suspicious || isLocalName(here.hostname) || configured.origin === here.origin) return null
  return { publicUrl: configured.origin, here: here.origin }
}
