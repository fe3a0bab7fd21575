import {
  REQUEST_MAX_ANSWERS,
  REQUEST_MAX_EXPIRY_DAYS,
  REQUEST_NOTE_MAX,
  SUBJECT_MAX,
} from '@sealpost/core'
import { z } from 'zod'
import { LINK_EXPIRY_CHOICES, linkExpiryChoices } from '../links/link-options'

/*
 * The Request a secret form: the same limits the CLI checks (the server sees only ciphertext,
 * so the note's length is checked here), and the expiries it offers.
 */

export const requestFormSchema = z.object({
  note: z
    .string()
    .refine((text) => text.trim().length > 0, 'note_required')
    .refine((text) => text.trim().length <= REQUEST_NOTE_MAX, 'note_too_long'),
  label: z.string().max(SUBJECT_MAX),
  expiry: z.enum(LINK_EXPIRY_CHOICES),
  maxAnswers: z.number().int().min(1).max(REQUEST_MAX_ANSWERS),
  allowFiles: z.boolean(),
})
export type RequestFormValues = z.infer<typeof requestFormSchema>

/** Days a request may stay open here: 30, or the organisation's maximum if shorter. */
export function requestMaxDays(maxExpiryDays: number): number {
  return Math.min(REQUEST_MAX_EXPIRY_DAYS, maxExpiryDays)
}

/** The expiries offered: those of links, within a request's longest (an hour at least). */
export function requestExpiryChoices(maxExpiryDays: number) {
  return linkExpiryChoices(requestMaxDays(maxExpiryDays))
}

export function defaultRequestValues(maxExpiryDays: number): RequestFormValues {
  const choices = requestExpiryChoices(maxExpiryDays)
  return {
    note: '',
    label: '',
    expiry: choices.includes('7d') ? '7d' : (choices.at(-1) ?? '1h'),
    maxAnswers: 1,
    allowFiles: false,
  }
}
