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
import type { ComposeRules } from './compose-policy'

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

/** A policy with nothing set, under a 30-day maximum. */
const open: ComposeRules = {
  maxExpiryDays: 30,
  mustExpire: false,
  defaultExpiry: 'never',
  maxLinkViews: 100,
  requireLinkPassphrase: false,
  allowedEmailDomains: [],
}

/** The messages of each field the schema refuses, as { field: message }. */
function problems(
  mode: ComposeMode,
  values: Partial<ComposeValues>,
  hasFiles = false,
  rules: Partial<ComposeRules> = {},
) {
  const result = composeSchema(mode, { ...open, ...rules }, hasFiles).safeParse({
    ...empty,
    ...values,
  })
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
    expect(problems('link', { body: 'x', maxViews: 0 })).toEqual({ maxViews: 'maxViews:100' })
    expect(problems('link', { body: 'x', maxViews: 101 })).toEqual({ maxViews: 'maxViews:100' })
    expect(problems('link', { body: 'x', maxViews: Number.NaN })).toEqual({
      maxViews: 'maxViews:100',
    })
    expect(problems('link', { body: 'x', maxViews: 100 })).toEqual({})
  })

  it('holds views to the policy’s maxLinkViews', () => {
    const rules = { maxLinkViews: 5 }
    expect(problems('link', { body: 'x', maxViews: 6 }, false, rules)).toEqual({
      maxViews: 'maxViews:5',
    })
    expect(
      problems('email', { body: 'x', emailText: 'a@example.com', maxViews: 5 }, false, rules),
    ).toEqual({})
  })

  it('needs a passphrase on links and emailed links when the policy requires one', () => {
    const rules = { requireLinkPassphrase: true }
    expect(problems('link', { body: 'x' }, false, rules)).toEqual({
      passphrase: 'passphraseRequired',
    })
    expect(problems('email', { body: 'x', emailText: 'a@example.com' }, false, rules)).toEqual({
      passphrase: 'passphraseRequired',
    })
    expect(problems('link', { body: 'x', passphrase: 'horse battery' }, false, rules)).toEqual({})
    // In-app messages have no passphrase.
    expect(
      problems('in-app', { recipients: ['u1'], subject: 'Hi', body: 'x' }, false, rules),
    ).toEqual({})
  })

  it('emails only addresses in the allowed domains, chips and typed text alike', () => {
    const rules = { allowedEmailDomains: ['example.org', 'partner.test'] }
    expect(
      problems(
        'email',
        { body: 'x', emails: ['a@example.org'], emailText: 'b@PARTNER.test' },
        false,
        rules,
      ),
    ).toEqual({})
    expect(
      problems(
        'email',
        { body: 'x', emails: ['a@example.org'], emailText: 'c@example.org.evil' },
        false,
        rules,
      ),
    ).toEqual({ emails: 'emailOutside:c@example.org.evil' })
    expect(problems('email', { body: 'x', emails: ['d@sub.example.org'] }, false, rules)).toEqual({
      emails: 'emailOutside:d@sub.example.org',
    })
  })

  it('refuses never when the policy says everything must expire', () => {
    const message = { recipients: ['u1'], subject: 'Hi', body: 'x', expiry: 'none' as const }
    expect(problems('in-app', message)).toEqual({})
    expect(problems('in-app', message, false, { mustExpire: true })).toEqual({
      expiry: 'expiry_required',
    })
    expect(problems('in-app', { ...message, expiry: '7d' }, false, { mustExpire: true })).toEqual(
      {},
    )
  })

  it('refuses an expiry beyond the organisation maximum', () => {
    const result = composeSchema('link', { ...open, maxExpiryDays: 7 }, false).safeParse({
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
  const say = (error: Parameters<typeof groupProblem>[0]) =>
    composeErrorText(i18n.t, groupProblem(error), open, 'en')

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
