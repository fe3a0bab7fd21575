import type { FieldError } from 'react-hook-form'

/** Turns the form library's message into the words shown under a field. */
export type ErrorText = (message: string | undefined) => string | undefined

/** The words under a form-bound field: the error's message, translated when a mapping is given. */
export function formFieldError(
  error: FieldError | undefined,
  errorText: ErrorText | undefined,
): string | undefined {
  if (!error) return undefined
  return errorText?.(error.message) ?? error.message
}
