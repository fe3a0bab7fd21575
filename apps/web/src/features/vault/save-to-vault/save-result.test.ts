import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { en } from '../../../i18n/en'
import { countSave, savedText } from './save-result'

const t = i18next.createInstance()
beforeAll(async () => {
  await t.init({
    lng: 'en',
    resources: { en: { translation: en } },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  })
})

describe('savedText', () => {
  it('says how many items went where', () => {
    expect(savedText(t.t, { created: 4, copies: 1, where: 'My vault' })).toEqual({
      title: 'Saved 4 items to My vault',
    })
    expect(savedText(t.t, { created: 1, copies: 1, where: 'Ops › Inbox' }).title).toBe(
      'Saved 1 item to Ops › Inbox',
    )
  })

  it('says so when a save makes another copy', () => {
    expect(savedText(t.t, { created: 4, copies: 2, where: 'My vault' })).toEqual({
      title: 'Saved again — you now have two copies',
      description: 'Saved 4 items to My vault',
    })
    expect(savedText(t.t, { created: 4, copies: 3, where: 'My vault' }).title).toBe(
      'Saved again — you now have 3 copies',
    )
  })
})

describe('countSave', () => {
  it('counts the saves of one message to one place', () => {
    expect(countSave('m1', 'v1', null)).toBe(1)
    expect(countSave('m1', 'v1', null)).toBe(2)
    expect(countSave('m1', 'v1', 'folder')).toBe(1)
    expect(countSave('m2', 'v1', null)).toBe(1)
  })
})
