import { useTranslation } from 'react-i18next'

/** The language times and sizes are formatted in: the interface's. */
export function useLocale(): string {
  const { i18n } = useTranslation()
  return i18n.resolvedLanguage ?? i18n.language
}
