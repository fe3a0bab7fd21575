import type { z } from 'zod'
import { isAtLeast, passwordStrength } from '../../../lib/password-strength'

type NewPasswordValues = {
  password: string
  passwordAgain: string
  username?: string
  displayName?: string
  email?: string
}

/** Password rules for choosing a password (setup, invite): at least "fair", typed twice. */
export function checkNewPassword(value: NewPasswordValues, ctx: z.RefinementCtx): void {
  const context = [value.username, value.displayName, value.email].filter((part): part is string =>
    Boolean(part),
  )
  if (!value.password) {
    ctx.addIssue({ code: 'custom', path: ['password'], message: 'validation.passwordChoose' })
  } else if (!isAtLeast(passwordStrength(value.password, context), 'fair')) {
    ctx.addIssue({ code: 'custom', path: ['password'], message: 'validation.passwordTooWeak' })
  }
  if (value.passwordAgain !== value.password) {
    ctx.addIssue({
      code: 'custom',
      path: ['passwordAgain'],
      message: 'validation.passwordMismatch',
    })
  }
}
