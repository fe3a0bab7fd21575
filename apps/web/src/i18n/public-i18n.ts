import { useMemo } from 'react'
import { enPublic } from './en-public'

/*
 * The public pages' stand-in for react-i18next (vite.public.config.ts points `react-i18next`
 * here): the same `useTranslation().t` over `enPublic` alone, without i18next's 15 kB. Keys are
 * dotted paths; `{{name}}` interpolates; `count` picks `key_one` / `key_other` like i18next.
 */

type Words = { readonly [key: string]: string | Words }

let words: Words = enPublic
const language = 'en'
const plurals = new Intl.PluralRules(language)

/** Swaps in a larger dictionary (the app's whole `en`) for a lazily loaded part that needs it. */
export function addWords(more: Words): void {
  words = more
}

function lookup(key: string): string | undefined {
  let node: string | Words | undefined = words
  for (const part of key.split('.')) {
    if (typeof node !== 'object') return undefined
    node = node[part]
  }
  return typeof node === 'string' ? node : undefined
}

export function t(key: string, values: Record<string, unknown> = {}): string {
  const count = values.count
  const found =
    (typeof count === 'number' ? lookup(`${key}_${plurals.select(count)}`) : undefined) ??
    lookup(key) ??
    key
  return found.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  )
}

const translation = { t, i18n: { language } }

export function useTranslation() {
  return useMemo(() => translation, [])
}
