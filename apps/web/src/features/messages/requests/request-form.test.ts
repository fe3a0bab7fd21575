import { describe, expect, it } from 'vitest'
import { defaultRequestValues, requestExpiryChoices, requestFormSchema } from './request-form'

describe('the Request a secret form', () => {
  it('offers an hour to 30 days, within a shorter organisation maximum', () => {
    expect(requestExpiryChoices(365)).toEqual(['1h', '1d', '7d', '30d'])
    expect(requestExpiryChoices(14)).toEqual(['1h', '1d', '7d', 'max'])
    expect(requestExpiryChoices(1)).toEqual(['1h', '1d'])
  })

  it('starts at a week and one answer, without files', () => {
    expect(defaultRequestValues(365)).toEqual({
      note: '',
      label: '',
      expiry: '7d',
      maxAnswers: 1,
      allowFiles: false,
    })
    expect(defaultRequestValues(1).expiry).toBe('1d')
  })

  it('needs a note of at most 2,000 characters and 1 to 100 answers', () => {
    const valid = { ...defaultRequestValues(365), note: 'VPN password' }
    expect(requestFormSchema.safeParse(valid).success).toBe(true)
    const problems = [
      { ...valid, note: '   ' },
      { ...valid, note: 'x'.repeat(2001) },
      { ...valid, maxAnswers: 0 },
      { ...valid, maxAnswers: 101 },
      { ...valid, label: 'x'.repeat(201) },
    ]
    for (const values of problems) expect(requestFormSchema.safeParse(values).success).toBe(false)
    expect(requestFormSchema.safeParse({ ...valid, note: 'x'.repeat(2000) }).success).toBe(true)
  })
})
