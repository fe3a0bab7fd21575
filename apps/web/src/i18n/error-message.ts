import { ApiError, CryptoError } from '@sealpost/core'
import type { TFunction } from 'i18next'
import { enPublic as en } from './en-public'

type TranslatedCode = Exclude<keyof typeof en.errors, 'rate_limited_later' | 'unknown' | 'keys'>

/** Codes we have words for; a code added to core later falls back to the server's message. */
function isTranslatedCode(code: string): code is TranslatedCode {
  return Object.hasOwn(en.errors, code) && !['rate_limited_later', 'unknown', 'keys'].includes(code)
}

/** Seconds to wait, read from the server's message ("… try again in 42 s"). */
export function retryAfterSeconds(error: ApiError): number | undefined {
  const match = /(\d+)\s*s\b/.exec(error.message)
  return match?.[1] === undefined ? undefined : Number(match[1])
}

/** What a failure means for the user, in their language; falls back to the server's words. */
export function errorMessage(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    const code = error.code
    if (code === 'rate_limited') {
      const seconds = retryAfterSeconds(error)
      return seconds === undefined
        ? t('errors.rate_limited_later')
        : t('errors.rate_limited', { seconds: String(seconds) })
    }
    if (code === 'invalid_input') return t('errors.invalid_input', { message: error.message })
    if (isTranslatedCode(code)) return t(`errors.${code}`)
    return t('errors.unknown', { message: error.message })
  }
  if (error instanceof CryptoError) return t('errors.keys', { message: error.message })
  return t('errors.unknown', { message: error instanceof Error ? error.message : String(error) })
}
