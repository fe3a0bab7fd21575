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

let vaultStrings: Promise<void> | undefined
let appStrings: Promise<void> | undefined

function loadVaultStrings(): Promise<void> {
  vaultStrings ??= import('./en-app').then(({ enApp }) => {
    i18next.addResourceBundle('en', 'translation', enApp, true)
  })
  return vaultStrings
}

/**
 * Resolves to `load` once the signed-in frame's and the vault page's words (`en-app.ts`) are in
 * i18next too: the shell and the vault page, the first page after signing in, load with only
 * these (issue 15).
 */
export async function withVaultStrings<T>(load: Promise<T>): Promise<T> {
  const [loaded] = await Promise.all([load, loadVaultStrings()])
  return loaded
}

/**
 * Resolves to `load` once the rest of the catalogue (`en-app.ts`, `en-pages.ts` and the account
 * pages' namespace, `en-account.ts`) is in i18next too: every other page and dialog loaded on
 * demand goes through it, so the sign-in page downloads only its own words and the vault page
 * only its own (issue 15). They download side by side.
 */
export async function withAppStrings<T>(load: Promise<T>): Promise<T> {
  appStrings ??= Promise.all([
    loadVaultStrings(),
    import('./en-pages'),
    import('./en-account'),
  ]).then(([, { enPages }, { enAccount }]) => {
    i18next.addResourceBundle('en', 'translation', enPages, true)
    i18next.addResourceBundle('en', 'account', enAccount)
  })
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
