import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { en } from '../../i18n/en'
import { toText } from './to-text'

const i18n = i18next.createInstance()
beforeAll(async () => {
  await i18n.init({
    lng: 'en',
    resources: { en: { translation: en } },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  })
})

const names: Record<string, string> = { ada: 'Ada', bob: 'Bob', carol: 'Carol & Co' }
const reader = { meId: 'bob', nameOf: (id: string) => names[id] }

describe('toText', () => {
  it('names everyone a message without groups went to, the reader as you', () => {
    const text = toText(
      i18n.t,
      { recipientIds: ['ada', 'bob', 'gone'], groups: [], directIds: [] },
      reader,
    )
    expect(text).toBe('To: Ada, you, a former user')
  })

  it('shows a group as its name and the people it reached, not each member', () => {
    const text = toText(
      i18n.t,
      {
        recipientIds: ['ada', 'bob', 'carol', 'm4', 'm5'],
        groups: [{ name: 'Ops', count: 5 }],
        directIds: [],
      },
      reader,
    )
    expect(text).toBe('To: Ops (5)')
  })

  it('lists the people chosen besides the groups by name, after the groups', () => {
    const text = toText(
      i18n.t,
      {
        recipientIds: ['ada', 'bob', 'carol'],
        groups: [
          { name: 'Ops', count: 1 },
          { name: 'Contractors', count: 1 },
        ],
        directIds: ['carol'],
      },
      reader,
    )
    expect(text).toBe('To: Ops (1), Contractors (1), Carol & Co')
  })
})
