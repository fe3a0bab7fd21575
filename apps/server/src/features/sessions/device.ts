/** The CLI's User-Agent starts with this (apps/cli/src/context.ts). */
const CLI_PREFIX = 'sealpost-cli/'

const BROWSERS: Array<[RegExp, string]> = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\bOPR\//, 'Opera'],
  [/\bFirefox\//, 'Firefox'],
  [/\b(Headless)?Chrom(e|ium)\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
]
const SYSTEMS: Array<[RegExp, string]> = [
  [/\b(iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
]

/**
 * What a person calls the client behind a User-Agent: "CLI", "Firefox on Windows", or
 * "Unknown device". Coarse on purpose: enough to recognise one's own devices.
 */
export function describeDevice(userAgent: string | null): { device: string; isCli: boolean } {
  if (!userAgent) return { device: 'Unknown device', isCli: false }
  if (userAgent.startsWith(CLI_PREFIX)) return { device: 'CLI', isCli: true }
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1]
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1]
  if (browser && system) return { device: `${browser} on ${system}`, isCli: false }
  return { device: browser ?? system ?? 'Unknown device', isCli: false }
}
