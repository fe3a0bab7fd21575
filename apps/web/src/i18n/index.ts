import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import { en } from './en'
import { enAccount } from './en-account'

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation'
    resources: { translation: typeof en; account: typeof enAccount }
  }
}

export async function initI18n(): Promise<void> {
  await i18next.use(initReactI18next).init({
    lng: 'en',
    fallbackLng: 'en',
    resources: { en: { translation: en, account: enAccount } },
    // React escapes output already.
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  })
  document.documentElement.lang = i18next.language
}
