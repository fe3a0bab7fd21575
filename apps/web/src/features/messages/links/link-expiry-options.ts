import type { TFunction } from 'i18next'
import type { LinkExpiryChoice } from './link-options'

/** The expiry choices of a link or a request, in words ("7 days", "14 days (the most)"). */
export function linkExpiryOptions(
  t: TFunction,
  choices: readonly LinkExpiryChoice[],
  maxDays: number,
): { id: LinkExpiryChoice; label: string }[] {
  return choices.map((id) => ({
    id,
    label:
      id === 'max'
        ? t('compose.linkExpiry.max', { count: maxDays })
        : t(`compose.linkExpiry.${id}`),
  }))
}
