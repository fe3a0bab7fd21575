import type { TFunction } from 'i18next'

/** Saves of each message to each place during this session: the second one says so (S16). */
const saves = new Map<string, number>()

export function countSave(messageId: string, vaultId: string, parentId: string | null): number {
  const key = `${messageId}/${vaultId}/${parentId ?? ''}`
  const count = (saves.get(key) ?? 0) + 1
  saves.set(key, count)
  return count
}

export type SaveResult = { created: number; copies: number; where: string }

/** "Saved 4 items to My vault", or "Saved again — you now have two copies". */
export function savedText(
  t: TFunction,
  result: SaveResult,
): { title: string; description?: string } {
  const saved = t('vaultCopy.saved', { count: result.created, where: result.where })
  if (result.copies < 2) return { title: saved }
  return {
    title:
      result.copies === 2
        ? t('vaultCopy.savedTwice')
        : t('vaultCopy.savedAgain', { count: result.copies }),
    description: saved,
  }
}
