import type { TFunction } from 'i18next'
import type { en } from './en'

export type ValidationKey = keyof typeof en.validation

function isValidationKey(key: string): key is ValidationKey {
  return key in validationKeys
}

const validationKeys: Record<ValidationKey, true> = {
  username: true,
  displayName: true,
  email: true,
  passwordRequired: true,
  passwordChoose: true,
  passwordTooWeak: true,
  passwordMismatch: true,
  usernameRequired: true,
  usernameTaken: true,
  recoveryCodeRequired: true,
  groupName: true,
  groupExists: true,
  webhookUrl: true,
  webhookEvents: true,
  webhookEventsTooMany: true,
  webhookDescription: true,
}

/**
 * Form messages in the user's language. Our own checks put `validation.<key>` in the
 * message; messages from the shared contracts (English) become the field's own hint.
 */
export function validationText(t: TFunction, fallback: ValidationKey) {
  return (message: string | undefined): string => {
    const key = message?.startsWith('validation.') ? message.slice('validation.'.length) : ''
    return t(`validation.${isValidationKey(key) ? key : fallback}`)
  }
}
