/**
 * JSON with object keys sorted (by UTF-16 code units, as RFC 8785 JCS orders them) at every
 * depth and no whitespace, so two serialisations of the same value compare equal whatever
 * order their keys were written in. Arrays keep their order; like JSON.stringify, undefined
 * object members are left out. For plain JSON data: `toJSON` methods are not called.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const members = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
    return `{${members.join(',')}}`
  }
  return JSON.stringify(value)
}
