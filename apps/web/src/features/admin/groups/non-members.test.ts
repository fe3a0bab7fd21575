import { describe, expect, it } from 'vitest'
import { nonMembers } from './non-members'

describe('users who can join a group', () => {
  it('leaves the members out and sorts the rest by name', () => {
    const users = [
      { id: 'c', displayName: 'Carol' },
      { id: 'a', displayName: 'Ada' },
      { id: 'm', displayName: 'Max' },
    ]
    expect(nonMembers(users, ['a']).map((u) => u.id)).toEqual(['c', 'm'])
  })
})
