import type { SentToGroup } from '@sealpost/core'
import type { TFunction } from 'i18next'

/**
 * "To: Ops (5), Carol": the groups a message went to, as its sender recorded them, then the
 * people chosen one by one; without groups, everyone it went to by name. The reader is "you";
 * someone no longer in the directory "a former user".
 */
export function toText(
  t: TFunction,
  message: {
    recipientIds: readonly string[]
    /** From the sealed header; empty for a message that went to no group. */
    groups: readonly SentToGroup[]
    /** With groups: the recipients chosen besides them. */
    directIds: readonly string[]
  },
  reader: { meId: string; nameOf: (id: string) => string | undefined },
): string {
  const people =
    message.groups.length === 0
      ? message.recipientIds
      : message.directIds.filter((id) => message.recipientIds.includes(id))
  const names = [
    ...message.groups.map((group) =>
      t('messages.toGroup', { name: group.name, count: group.count }),
    ),
    ...people.map((id) =>
      id === reader.meId ? t('messages.you') : (reader.nameOf(id) ?? t('messages.someone')),
    ),
  ]
  return t('messages.toNames', { names: names.join(', ') })
}
