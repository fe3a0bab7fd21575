import { useTranslation } from 'react-i18next'

/**
 * The locale times, dates and sizes are formatted in: the interface's language, in the
 * browser's regional variant of it when the user prefers one, so an English interface writes
 * dates day first for en-GB and month first for en-US, as the user's system does.
 */
export function useLocale(): string {
  const { i18n } = useTranslation()
  const language = i18n.resolvedLanguage ?? i18n.language
  // Node before 21 (the unit tests) has no navigator.
  return regionalLocale(language, typeof navigator === 'undefined' ? [] : navigator.languages)
}

/** The first of the user's preferred locales (well-formed tags) in `language`, else `language`. */
export function regionalLocale(language: string, preferred: readonly string[]): string {
  const base = (tag: string) => tag.split('-')[0]?.toLowerCase()
  return preferred.find((tag) => base(tag) === base(language)) ?? language
}
