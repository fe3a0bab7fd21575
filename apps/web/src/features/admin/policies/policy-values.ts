import {
  type PolicyKey,
  type PolicySettings,
  type PolicyUpdate,
  formatPolicyValue,
  policyCatalogue,
} from '@sealpost/core'

/** Keys whose value is on or off: a switch; every other key is typed as text. */
export function isSwitchKey(key: PolicyKey): boolean {
  return typeof policyCatalogue[key].default === 'boolean'
}

/** A key's value as the text field shows it: `7d`, `25`, `example.org, partner.test`. */
export function policyValueText(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ')
  return value === undefined ? '' : formatPolicyValue(value)
}

/**
 * What an administrator typed for a key, read the way the CLI reads `KEY=VALUE` (the
 * catalogue's `fromText`) and checked by the key's schema: the update to send, or the
 * schema's reason (English, from core) when the text is not a value of the key.
 */
export function parsePolicyText(
  key: PolicyKey,
  text: string,
): { ok: true; update: PolicyUpdate } | { ok: false; reason: string } {
  const definition = policyCatalogue[key]
  const parsed = definition.schema.safeParse(definition.fromText(text))
  if (!parsed.success) {
    return { ok: false, reason: parsed.error.issues[0]?.message ?? 'invalid value' }
  }
  return { ok: true, update: { [key]: parsed.data } }
}

/** Whether the scope (a group, the organisation) sets the key; an unset key is inherited. */
export function isSet(settings: PolicySettings, key: PolicyKey): boolean {
  return settings[key] !== undefined
}
