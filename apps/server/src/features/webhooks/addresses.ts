import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'

/**
 * Where webhooks may not go (SSRF): link-local ranges and the cloud metadata addresses, whatever
 * the setting; private ranges when SEALPOST_WEBHOOKS_ALLOW_PRIVATE is false. Checked when an
 * endpoint is registered and again on every attempt, on the addresses its name resolves to.
 */
const NEVER = new BlockList()
NEVER.addSubnet('0.0.0.0', 8, 'ipv4') // "this network": 0.0.0.0 reaches the host itself
NEVER.addSubnet('169.254.0.0', 16, 'ipv4') // link-local, incl. 169.254.169.254 metadata
NEVER.addAddress('100.100.100.200', 'ipv4') // Alibaba Cloud metadata
NEVER.addSubnet('192.0.0.0', 24, 'ipv4') // IETF protocol assignments, incl. Oracle's 192.0.0.192
NEVER.addSubnet('224.0.0.0', 4, 'ipv4') // multicast
NEVER.addSubnet('240.0.0.0', 4, 'ipv4') // reserved, and 255.255.255.255 broadcast
NEVER.addAddress('::', 'ipv6') // unspecified
NEVER.addSubnet('fe80::', 10, 'ipv6') // link-local
NEVER.addAddress('fd00:ec2::254', 'ipv6') // AWS metadata over IPv6
NEVER.addSubnet('ff00::', 8, 'ipv6') // multicast
// Tunnels that carry an IPv4 address somewhere in the IPv6 one (6to4, Teredo): no receiver
// needs them, and unpacking each encoding is a place to get wrong.
NEVER.addSubnet('2002::', 16, 'ipv6') // 6to4
NEVER.addSubnet('2001::', 32, 'ipv6') // Teredo

const PRIVATE = new BlockList()
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4')
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4')
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4')
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4')
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4') // carrier-grade NAT, shared address space
PRIVATE.addSubnet('198.18.0.0', 15, 'ipv4') // network benchmarking, used inside some networks
PRIVATE.addAddress('::1', 'ipv6')
PRIVATE.addSubnet('fc00::', 7, 'ipv6') // unique local

/** IPv6 ranges whose last 32 bits are an IPv4 address the packet ends up at. */
const EMBEDS_IPV4 = new BlockList()
EMBEDS_IPV4.addSubnet('::ffff:0:0', 96, 'ipv6') // IPv4-mapped
EMBEDS_IPV4.addSubnet('64:ff9b::', 96, 'ipv6') // NAT64
EMBEDS_IPV4.addSubnet('64:ff9b:1::', 48, 'ipv6') // NAT64 for local use
EMBEDS_IPV4.addSubnet('::', 96, 'ipv6') // IPv4-compatible (deprecated), :: and ::1 aside below

/** The eight 16-bit groups of an IPv6 address (one isIP accepted). */
function ipv6Groups(ipv6: string): number[] {
  const numbers = (text: string) =>
    text === ''
      ? []
      : text.split(':').flatMap((word) => {
          if (!word.includes('.')) return [parseInt(word, 16)]
          const [a = 0, b = 0, c = 0, d = 0] = word.split('.').map(Number)
          return [(a << 8) | b, (c << 8) | d]
        })
  const [head = '', tail = ''] = ipv6.split('::')
  const start = numbers(head)
  const end = numbers(tail)
  return [...start, ...Array<number>(8 - start.length - end.length).fill(0), ...end]
}

/** `address` and, for IPv6 that carries an IPv4 address, that IPv4 address too. */
function spellings(address: string): { ip: string; type: 'ipv4' | 'ipv6' }[] {
  if (isIP(address) === 4) return [{ ip: address, type: 'ipv4' }]
  const forms: { ip: string; type: 'ipv4' | 'ipv6' }[] = [{ ip: address, type: 'ipv6' }]
  // `::` and `::1` sit in the IPv4-compatible range but are the unspecified and loopback ones.
  if (EMBEDS_IPV4.check(address, 'ipv6') && !['::', '::1'].includes(address)) {
    const groups = ipv6Groups(address)
    const high = groups[6] ?? 0
    const low = groups[7] ?? 0
    forms.push({ ip: [high >> 8, high & 255, low >> 8, low & 255].join('.'), type: 'ipv4' })
  }
  return forms
}

/** Why `address` (an IP literal) is refused, or null when webhooks may go there. */
export function refusedAddress(address: string, allowPrivate: boolean): string | null {
  for (const { ip, type } of spellings(address)) {
    if (NEVER.check(ip, type)) return `${address} is a link-local or metadata address`
    if (!allowPrivate && PRIVATE.check(ip, type)) {
      return `${address} is a private address (SEALPOST_WEBHOOKS_ALLOW_PRIVATE is false)`
    }
  }
  return null
}

export type Resolved = { address: string; family: 4 | 6 }

/**
 * Resolves a URL's host and checks every address it has: one refused address refuses the URL,
 * so a name cannot hide a metadata address among ordinary ones. Requests then connect to the
 * address checked here, never resolving again (no DNS rebinding in between).
 */
export async function resolveTarget(
  url: URL,
  allowPrivate: boolean,
): Promise<{ ok: true; target: Resolved } | { ok: false; reason: string }> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  let addresses: Resolved[]
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) as 4 | 6 }]
  } else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((entry) => ({
        address: entry.address,
        family: entry.family as 4 | 6,
      }))
    } catch {
      return { ok: false, reason: `cannot resolve ${host}` }
    }
  }
  for (const { address } of addresses) {
    const refused = refusedAddress(address, allowPrivate)
    if (refused) return { ok: false, reason: refused }
  }
  const first = addresses[0]
  if (!first) return { ok: false, reason: `cannot resolve ${host}` }
  return { ok: true, target: first }
}
