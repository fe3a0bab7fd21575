import type { DirectoryUser, GroupSummary } from '@sealpost/core'
import { describe, expect, it } from 'vitest'
import { recipientChoices } from './recipient-choices'

const user = (id: string, displayName: string) =>
  ({ id, username: id, displayName }) as DirectoryUser
const users = [user('ada', 'Ada Lovelace'), user('bob', 'Bob Builder')]
const groups: GroupSummary[] = [
  { id: 'g-ops', name: 'Ops', memberCount: 5 },
  { id: 'g-empty', name: 'Empty', memberCount: 0 },
]

function choices(picks = { userIds: [] as string[], groupIds: [] as string[] }, text = '') {
  return recipientChoices({
    users,
    groups,
    picks,
    matches: (value) => value.toLowerCase().includes(text.toLowerCase()),
  })
}

describe('recipientChoices', () => {
  it('offers groups before people, both filtered by the typed text', () => {
    expect(choices().available.map((choice) => choice.id)).toEqual([
      'group:g-ops',
      'group:g-empty',
      'ada',
      'bob',
    ])
    expect(choices(undefined, 'o').available.map((choice) => choice.id)).toEqual([
      'group:g-ops',
      'ada',
      'bob',
    ])
    expect(choices(undefined, 'lovelace').available.map((choice) => choice.id)).toEqual(['ada'])
  })

  it('adds a group to the groups and a person to the people, once each, and stops offering them', () => {
    const picked = choices().add('group:g-ops')
    expect(picked).toEqual({ userIds: [], groupIds: ['g-ops'] })
    const both = choices(picked).add('bob')
    expect(both).toEqual({ userIds: ['bob'], groupIds: ['g-ops'] })
    expect(choices(both).add('bob')).toBe(both)
    expect(choices(both).selected.map((choice) => choice.id)).toEqual(['group:g-ops', 'bob'])
    expect(choices(both).available.map((choice) => choice.id)).toEqual(['group:g-empty', 'ada'])
  })

  it('removes chips by key without mixing a group up with a person of the same id', () => {
    const picks = { userIds: ['g-ops', 'bob'], groupIds: ['g-ops'] }
    expect(choices(picks).remove(['group:g-ops'])).toEqual({
      userIds: ['g-ops', 'bob'],
      groupIds: [],
    })
    expect(choices(picks).remove(['g-ops'])).toEqual({ userIds: ['bob'], groupIds: ['g-ops'] })
  })
})
