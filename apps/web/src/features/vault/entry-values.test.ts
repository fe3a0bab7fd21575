import { describe, expect, it } from 'vitest'
import { safeHref } from '../../lib/safe-href'
import { EntryValues, contentOf, emptyValues, valuesOf } from './entry-values'

describe('entry values', () => {
  it('leaves empty fields out of the sealed content', () => {
    expect(contentOf({ ...emptyValues('credential'), name: ' nginx ' })).toEqual({
      name: 'nginx',
      type: 'credential',
      fields: [],
    })
  })

  it('keeps username, password and URL for credentials only', () => {
    const values = {
      ...emptyValues('note'),
      name: 'Wi-Fi',
      username: 'guest',
      password: 'pw',
      url: 'wifi.example',
      notes: 'on the fridge',
    }
    expect(contentOf(values)).toEqual({
      name: 'Wi-Fi',
      type: 'note',
      notes: 'on the fridge',
      fields: [],
    })
    expect(contentOf({ ...values, type: 'credential' })).toMatchObject({
      username: 'guest',
      password: 'pw',
      url: 'wifi.example',
    })
  })

  it('round-trips through the sealed content', () => {
    const values = {
      ...emptyValues('credential'),
      name: 'db',
      password: 'secret',
      fields: [{ label: 'PIN', value: '1', hidden: true }],
    }
    expect(valuesOf({ ...contentOf(values), files: [] })).toEqual(values)
  })

  it('requires a name and a label for each custom field', () => {
    expect(EntryValues.safeParse(emptyValues('note')).success).toBe(false)
    const result = EntryValues.safeParse({
      ...emptyValues('note'),
      name: 'x',
      fields: [{ label: ' ', value: 'v', hidden: false }],
    })
    expect(result.success).toBe(false)
  })
})

describe('safeHref', () => {
  it('links http and https addresses, adding https to a bare host', () => {
    expect(safeHref('https://a.example/x')).toBe('https://a.example/x')
    expect(safeHref('a.example')).toBe('https://a.example/')
  })

  it('never links other schemes', () => {
    expect(safeHref('javascript:alert(1)')).toBeNull()
    expect(safeHref('data:text/html,<b>x</b>')).toBeNull()
  })
})
