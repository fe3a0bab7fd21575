import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { en } from '../../i18n/en'
import {
  type ComposeMode,
  type ComposeValues,
  composeErrorText,
  composeSchema,
  groupProblem,
} from './compose-schema'

const i18n = i18next.createInstance()
beforeAll(async () => {
  await i18n.init({
    lng: 'en',
    resources: { en: { translation: en } },
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  })
})

const empty: ComposeValues = {
  recipients: [],
  groups: [],
  emails: [],
  emailText: '',
  subject: '',
  body: '',
  expiry: 'none',
  customExpiry: '',
  highPriority: false,
  linkExpiry: '7d',
  maxViews: 1,
  passphrase: '',
  label: '',
}

/** The messages of each field the schema refuses, as { field: message }. */
function problems(mode: ComposeMode, values: Partial<ComposeValues>, hasFiles = false) {
  const result = composeSchema(mode, 30, hasFiles).safeParse({ ...empty, ...values })
  if (result.success) return {}
  return Object.fromEntries(
    result.error.issues.map((issue) => [issue.path.join('.'), issue.message]),
  )
}

describe('composeSchema', () => {
  it('needs recipients, a subject and a message in-app, whatever the link fields hold', () => {
    expect(problems('in-app', { maxViews: Number.NaN })).toEqual({
      recipients: 'recipients',
      subject: 'subjectRequired',
      body: 'bodyRequired',
    })
    expect(problems('in-app', { recipients: ['u1'], subject: 'Hi', body: 'Hello' })).toEqual({})
    // A group alone is someone to send to.
    expect(problems('in-app', { groups: ['g1'], subject: 'Hi', body: 'Hello' })).toEqual({})
  })

  it('makes a link from text or files, the subject optional', () => {
    expect(problems('link', {})).toEqual({ body: 'textRequired' })
    expect(problems('link', {}, true)).toEqual({})
    expect(problems('link', { body: 'secret' })).toEqual({})
  })

  it('holds subject, text and label to the limits the CLI uses, after trimming', () => {
    const long = { subject: 's'.repeat(201), body: 'b'.repeat(100_001), label: 'l'.repeat(201) }
    expect(problems('link', long)).toEqual({
      subject: 'subjectTooLong',
      body: 'bodyTooLong',
      label: 'labelTooLong',
    })
    const padded = { subject: ` ${'s'.repeat(200)} `, body: 'b'.repeat(100_000) }
    expect(problems('link', { ...padded, label: ` ${'l'.repeat(200)} ` })).toEqual({})
    expect(problems('in-app', { recipients: ['u1'], subject: '   ', body: ' \n ' })).toEqual({
      subject: 'subjectRequired',
      body: 'bodyRequired',
    })
  })

  it('allows 1 to 100 whole views', () => {
    expect(problems('link', { body: 'x', maxViews: 0 })).toEqual({ maxViews: 'maxViews' })
    expect(problems('link', { body: 'x', maxViews: 101 })).toEqual({ maxViews: 'maxViews' })
    expect(problems('link', { body: 'x', maxViews: Number.NaN })).toEqual({ maxViews: 'maxViews' })
    expect(problems('link', { body: 'x', maxViews: 100 })).toEqual({})
  })

  it('refuses an expiry beyond the organisation maximum', () => {
    const result = composeSchema('link', 7, false).safeParse({
      ...empty,
      body: 'x',
      linkExpiry: '30d',
    })
    expect(result.success).toBe(false)
  })

  it('needs at least one address by email, counting what is still typed', () => {
    expect(problems('email', { body: 'x' })).toEqual({ emails: 'emailsRequired' })
    expect(problems('email', { body: 'x', emailText: 'a@example.com' })).toEqual({})
    expect(problems('email', { body: 'x', emails: ['a@example.com'], emailText: 'nope' })).toEqual({
      emails: 'emailInvalid:nope',
    })
  })

  it('sends to at most 20 addresses at once', () => {
    const emails = Array.from({ length: 21 }, (_, i) => `p${i}@example.com`)
    expect(problems('email', { body: 'x', emails })).toEqual({ emails: 'emailsTooMany' })
  })
})

describe('groupProblem', () => {
  const limits = { maxFileBytes: 1, maxMessageBytes: 1, maxExpiryDays: 30 }
  const say = (error: Parameters<typeof groupProblem>[0]) =>
    composeErrorText(i18n.t, groupProblem(error), limits, 'en')

  it('names a group too large to send to, with its size and the most a message reaches', () => {
    expect(say({ code: 'group_too_large', group: 'Everyone EU', memberCount: 1200 })).toBe(
      'Everyone EU has 1,200 members, and a message can reach at most 1,000 people. Choose people or smaller groups instead.',
    )
  })

  it('names a group with no one else to send to', () => {
    expect(say({ code: 'group_empty', group: 'Ops', memberCount: 0 })).toBe(
      'Ops has no one else to send to. Remove it, or ask an administrator to add its members.',
    )
  })
})
