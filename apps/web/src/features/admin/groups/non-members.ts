/** Users who can be added: everyone not yet a member, by display name. */
export function nonMembers<U extends { id: string; displayName: string }>(
  users: readonly U[],
  memberIds: readonly string[],
): U[] {
  const members = new Set(memberIds)
  return users
    .filter((user) => !members.has(user.id))
    .sort((a, b) => a.displayName.localeCompare(b.displayName))
}
