import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import type { en } from './en'
import type { enAccount } from './en-account'
import { enStart } from './en-start'

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation'
    resources: { translation: typeof en; account: typeof enAccount }
  }
}

/**
 * Starts i18next with the first page's words (`en-start.ts`); the rest of the catalogue and the
 * account pages' namespace (`en-account.ts`) come by `withAppStrings`.
 */
export async function initI18n(): Promise<void> {
  await i18next.use(initReactI18next).init({
    lng: 'en',
    fallbackLng: 'en',
    resources: { en: { translation: enStart } },
    // React escapes output already.
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  })
  document.documentElement.lang = i18next.language
}

let appStrings: Promise<void> | undefined

/**
 * Resolves to `load` once the rest of the catalogue (`en-app.ts`, `en-account.ts`) is in i18next
 * too: every page loaded by route goes through it, so the sign-in page downloads only its own
 * words (issue 15). They download side by side.
 */
export async function withAppStrings<T>(load: Promise<T>): Promise<T> {
  appStrings ??= Promise.all([import('./en-app'), import('./en-account')]).then(
    ([{ enApp }, { enAccount }]) => {
      i18next.addResourceBundle('en', 'translation', enApp, true)
      i18next.addResourceBundle('en', 'account', enAccount)
    },
  )
  const [loaded] = await Promise.all([load, appStrings])
  return loaded
}

let adminStrings: Promise<void> | undefined

/** As `withAppStrings`, with the administration pages' words (`en-admin.ts`) too. */
export async function withAdminStrings<T>(load: Promise<T>): Promise<T> {
  adminStrings ??= import('./en-admin').then(({ enAdmin }) => {
    i18next.addResourceBundle('en', 'translation', enAdmin, true)
  })
  const [loaded] = await Promise.all([withAppStrings(load), adminStrings])
  return loaded
}
