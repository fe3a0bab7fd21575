import { z } from 'zod'
import { Id } from './common.js'
import { LINK_MAX_VIEWS } from './links.js'

/**
 * What each user may do, as data (issue 13). A key is one line in `policyCatalogue`; the
 * database, the API contracts, the resolution, the CLI and the tests all read it from there.
 *
 * Resolution: the catalogue default, overridden by an organisation value, overridden by the
 * user's groups (the most generous of them), overridden by a value set for the user alone.
 */

const MINUTE_MS = 60_000
const DURATION_MS = { m: MINUTE_MS, h: 60 * MINUTE_MS, d: 1440 * MINUTE_MS, w: 10_080 * MINUTE_MS }

/** A duration of whole minutes, hours, days or weeks (`90m`, `12h`, `7d`, `2w`), or `never`. */
export const ExpiryPreset = z
  .string()
  .regex(/^(never|[1-9]\d{0,5}[mhdw])$/, 'must be never or a duration such as 1h, 7d or 2w')
export type ExpiryPreset = z.infer<typeof ExpiryPreset>

/** Milliseconds of an `ExpiryPreset`; null for `never`. */
export function expiryPresetMs(preset: ExpiryPreset): number | null {
  if (preset === 'never') return null
  const unit = preset.slice(-1) as keyof typeof DURATION_MS
  return Number(preset.slice(0, -1)) * DURATION_MS[unit]
}

/** A domain name, lower case (`example.org`); an address matches its exact domain. */
export const EmailDomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'not a domain name')

type Definition<S extends z.ZodType> = {
  schema: S
  default: z.output<S>
  description: string
  /** Of two groups' values, the one that lets the user do more. */
  moreGenerous: (a: z.output<S>, b: z.output<S>) => z.output<S>
  /** The value a person typed (the CLI's KEY=VALUE), before the schema checks it. */
  fromText: (text: string) => unknown
}

const booleanText = (text: string): unknown =>
  ({ true: true, yes: true, on: true, false: false, no: false, off: false })[
    text.trim().toLowerCase()
  ] ?? text
const numberText = (text: string): unknown => (/^\s*\d+\s*$/.test(text) ? Number(text) : text)
/** Whichever is larger, with 0 meaning "no maximum". */
const largerLimit = (a: number, b: number) => (a === 0 || b === 0 ? 0 : Math.max(a, b))

/** Something a user may do unless a policy says otherwise. */
function allowance(description: string): Definition<z.ZodBoolean> {
  return {
    schema: z.boolean(),
    default: true,
    description,
    moreGenerous: (a, b) => a || b,
    fromText: booleanText,
  }
}

/** Something the organisation may demand; off unless a policy says otherwise. */
function requirement(description: string): Definition<z.ZodBoolean> {
  return {
    schema: z.boolean(),
    default: false,
    description,
    moreGenerous: (a, b) => a && b,
    fromText: booleanText,
  }
}

/** A whole-number maximum from 1 to `max`; 0 (the default) sets none. */
function limit(max: number, description: string): Definition<z.ZodNumber> {
  return {
    schema: z.number().int().min(0).max(max),
    default: 0,
    description,
    moreGenerous: largerLimit,
    fromText: numberText,
  }
}

const expiryPreset: Definition<typeof ExpiryPreset> = {
  schema: ExpiryPreset,
  default: '7d',
  description:
    'The expiry preset for new messages, links and replies: never or a duration (7d); a reply ' +
    'keeps the original’s remaining time when that is shorter',
  moreGenerous: (a, b) => {
    const [ma, mb] = [expiryPresetMs(a), expiryPresetMs(b)]
    return ma === null || (mb !== null && ma >= mb) ? a : b
  },
  fromText: (text) => text.trim(),
}

const emailDomains: Definition<z.ZodArray<typeof EmailDomain>> = {
  schema: z.array(EmailDomain).max(100),
  default: [],
  description:
    'Send by email and email notifications go only to addresses in these domains; empty is any',
  moreGenerous: (a, b) => (a.length === 0 || b.length === 0 ? [] : [...new Set([...a, ...b])]),
  fromText: (text) =>
    text
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
}

/**
 * Every policy key: its value's schema, the organisation default, what it governs, how two
 * groups' values combine and how a typed value reads. Adding a key is one line here plus the
 * route that enforces it.
 */
export const policyCatalogue = {
  canSendMessages: allowance('Compose and send in-app messages and replies'),
  canSendAttachments: allowance('Attach files to messages and links, and Send copy of vault items'),
  canCreateLinks: allowance('Create shareable links'),
  canSendEmail: allowance('Have the server email a link or a request for a secret to someone'),
  canRequestSecrets: allowance('Create requests for a secret (and keep existing ones open)'),
  defaultExpiry: expiryPreset,
  maxExpiryDays: limit(
    3650,
    'Every message, link, reply and request must expire within this many days (never is ' +
      'refused); 0 is no maximum and allows never',
  ),
  maxLinkViews: limit(
    LINK_MAX_VIEWS,
    `Most views a shareable link may allow; 0 is ${LINK_MAX_VIEWS}`,
  ),
  requireLinkPassphrase: requirement('Shareable links must have a passphrase'),
  allowedEmailDomains: emailDomains,
  maxFileMb: limit(1024, 'Largest file in MB a message or link may carry; 0 is the server’s limit'),
  requireTwoFactor: requirement(
    'Users without a second factor must set one up before anything else',
  ),
} as const satisfies Record<string, Definition<z.ZodType>>

type Catalogue = typeof policyCatalogue
export type PolicyKey = keyof Catalogue
export const policyKeys = Object.keys(policyCatalogue) as PolicyKey[]
export const PolicyKeyName = z.enum(policyKeys as [PolicyKey, ...PolicyKey[]])

/** Every key's value, as one user gets it. */
export type PolicyValues = { [K in PolicyKey]: z.output<Catalogue[K]['schema']> }

function mapKeys<T>(build: <K extends PolicyKey>(key: K) => T): Record<PolicyKey, T> {
  return Object.fromEntries(policyKeys.map((key) => [key, build(key)])) as Record<PolicyKey, T>
}

const schemaOf = <K extends PolicyKey>(key: K): Catalogue[K]['schema'] =>
  policyCatalogue[key].schema

/** Some keys' values, as stored for one scope (the organisation, later a group, or a user). */
export const PolicySettings = z.strictObject(
  mapKeys((key) => schemaOf(key).optional()) as {
    [K in PolicyKey]: z.ZodOptional<Catalogue[K]['schema']>
  },
)
export type PolicySettings = z.infer<typeof PolicySettings>

/**
 * `PUT /api/admin/users/:id/policy` and `PUT /api/admin/groups/:id/policy`: a value sets the
 * key for that user or group, null removes it.
 */
export const PolicyUpdate = z.strictObject(
  mapKeys((key) => schemaOf(key).nullable().optional()) as {
    [K in PolicyKey]: z.ZodOptional<z.ZodNullable<Catalogue[K]['schema']>>
  },
)
export type PolicyUpdate = z.infer<typeof PolicyUpdate>

/** Where an effective value comes from: the catalogue, the organisation, a group or the user. */
export const PolicySource = z
  .string()
  .regex(/^(default|org|user|group:.+)$/, 'default, org, user or group:NAME')
export type PolicySource = 'default' | 'org' | 'user' | `group:${string}`

/** Every key with its value and where it comes from. */
export const EffectivePolicy = z.object(
  mapKeys((key) => z.object({ value: schemaOf(key), source: PolicySource })) as {
    [K in PolicyKey]: z.ZodObject<{ value: Catalogue[K]['schema']; source: typeof PolicySource }>
  },
)
export type EffectivePolicy = z.infer<typeof EffectivePolicy>

export const OrgPolicyResponse = z.object({
  /** The values the organisation set; keys it did not set follow the catalogue default. */
  settings: PolicySettings,
  /** What a user with no group and no override of their own gets. */
  effective: EffectivePolicy,
})
export type OrgPolicyResponse = z.infer<typeof OrgPolicyResponse>

export const UserPolicyResponse = z.object({
  userId: Id,
  /** The values set for this user alone. */
  overrides: PolicySettings,
  effective: EffectivePolicy,
})
export type UserPolicyResponse = z.infer<typeof UserPolicyResponse>

/** One group's values for a user, named as its source (`group:NAME`). */
export type GroupPolicy = { name: string; settings: PolicySettings }

/**
 * The effective policy: the user's own value wins; otherwise the most generous of the groups
 * that set the key (booleans: allowed if any group allows); otherwise the organisation's;
 * otherwise the catalogue default.
 */
export function resolvePolicy(scopes: {
  org: PolicySettings
  groups?: GroupPolicy[]
  user?: PolicySettings
}): EffectivePolicy {
  const resolveKey = <K extends PolicyKey>(key: K) => {
    type Value = PolicyValues[K]
    const own = scopes.user?.[key] as Value | undefined
    if (own !== undefined) return { value: own, source: 'user' as const }
    let best: { value: Value; source: PolicySource } | undefined
    const combine = policyCatalogue[key].moreGenerous as unknown as (a: Value, b: Value) => Value
    for (const group of scopes.groups ?? []) {
      const value = group.settings[key] as Value | undefined
      if (value === undefined) continue
      // Domain lists merge, so the source is the last group that widened the value.
      const merged = best === undefined ? value : combine(best.value, value)
      if (best === undefined || merged !== best.value) {
        best = { value: merged, source: `group:${group.name}` }
      }
    }
    if (best) return best
    const org = scopes.org[key] as Value | undefined
    if (org !== undefined) return { value: org, source: 'org' as const }
    return { value: policyCatalogue[key].default as Value, source: 'default' as const }
  }
  return mapKeys(resolveKey) as EffectivePolicy
}

/** Just the values of an effective policy. */
export function policyValues(policy: EffectivePolicy): PolicyValues {
  return mapKeys((key) => policy[key].value) as PolicyValues
}

/**
 * Reads a typed `KEY=VALUE` (`canCreateLinks=false`, `allowedEmailDomains=a.org,b.test`)
 * through the key's schema; an error names the key.
 */
export function parsePolicyAssignment(
  text: string,
): { ok: true; key: PolicyKey; value: unknown } | { ok: false; error: string } {
  const at = text.indexOf('=')
  const name = at < 0 ? text : text.slice(0, at)
  const key = parsePolicyKey(name)
  if (!key.ok) return key
  if (at < 0) return { ok: false, error: `${name}: give a value, as in ${name}=VALUE` }
  const definition = policyCatalogue[key.key]
  const parsed = definition.schema.safeParse(definition.fromText(text.slice(at + 1)))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.length ? ` (item ${issue.path.join('.')})` : ''
    return { ok: false, error: `${name}: ${issue?.message ?? 'invalid value'}${where}` }
  }
  return { ok: true, key: key.key, value: parsed.data }
}

export function parsePolicyKey(
  name: string,
): { ok: true; key: PolicyKey } | { ok: false; error: string } {
  const parsed = PolicyKeyName.safeParse(name)
  return parsed.success
    ? { ok: true, key: parsed.data }
    : { ok: false, error: `${name}: no such policy (keys: ${policyKeys.join(', ')})` }
}

/** A value as a person reads it: `true`, `7d`, `example.org,partner.test`, `(any)`. */
export function formatPolicyValue(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '(any)' : value.join(',')
  return String(value)
}
