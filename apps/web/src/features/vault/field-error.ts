import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import { en } from '../../i18n/en'

type ErrorKey = keyof typeof en.vault.errors

function isErrorKey(key: string): key is ErrorKey {
  return Object.hasOwn(en.vault.errors, key)
}

/** Form messages: our schemas put `vault.errors.<key>` in the message; anything else is generic. */
export function useFieldError(): (message: string | undefined) => string {
  const { t } = useTranslation()
  return useCallback(
    (message) => {
      const key = message?.startsWith('vault.errors.') ? message.slice('vault.errors.'.length) : ''
      return isErrorKey(key) ? t(`vault.errors.${key}`) : t('vault.errors.invalid')
    },
    [t],
  )
}
