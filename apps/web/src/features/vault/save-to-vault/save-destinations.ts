/*
 * Where a message's files and copied items can be saved (S16, S17), as pure functions over
 * plain data. Tested without a browser.
 */

/** A folder that can receive a save (S17); entries are not offered. */
export type FolderNode = { id: string; name: string; children: FolderNode[] }

/** What the destination tree needs of a vault item; DecryptedItem fits. */
export type PlaceItem = {
  id: string
  parentId: string | null
  kind: 'folder' | 'entry'
  content: { name: string }
}

/** A vault's folders as a tree, each level sorted by name; entries and what is below them left out. */
export function folderTree(items: readonly PlaceItem[], locale = 'en'): FolderNode[] {
  const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' })
  const folders = items.filter((item) => item.kind === 'folder')
  const ids = new Set(folders.map((folder) => folder.id))
  const byParent = new Map<string | null, PlaceItem[]>()
  for (const folder of folders) {
    // A folder whose parent is missing shows at the root, never lost.
    const parent = folder.parentId !== null && ids.has(folder.parentId) ? folder.parentId : null
    const list = byParent.get(parent)
    if (list) list.push(folder)
    else byParent.set(parent, [folder])
  }
  const seen = new Set<string>()
  const build = (parentId: string | null): FolderNode[] =>
    (byParent.get(parentId) ?? [])
      .filter((folder) => !seen.has(folder.id))
      .sort((a, b) => collator.compare(a.content.name, b.content.name))
      .map((folder) => {
        seen.add(folder.id)
        return { id: folder.id, name: folder.content.name, children: build(folder.id) }
      })
  return build(null)
}

/** The names beside which a save lands (S16: clashes get " (2)", nothing is overwritten). */
export function siblingNames(items: readonly PlaceItem[], parentId: string | null): Set<string> {
  return new Set(
    items.filter((item) => item.parentId === parentId).map((item) => item.content.name),
  )
}

/** The folder names from the vault root down to `folderId`, for "Ops › Servers". */
export function folderPath(items: readonly PlaceItem[], folderId: string): string[] {
  const byId = new Map(items.map((item) => [item.id, item]))
  const path: string[] = []
  const seen = new Set<string>()
  let current = byId.get(folderId)
  while (current && !seen.has(current.id)) {
    seen.add(current.id)
    path.unshift(current.content.name)
    current = current.parentId === null ? undefined : byId.get(current.parentId)
  }
  return path
}
